"""The one atomic writer: a written file appears whole or not at all, with an ordinary file's permissions."""

import os
import stat

import polars as pl
import pytest

from analysis.io.load import atomic_path, publish, write_bytes_atomic, write_table, write_workbook


@pytest.fixture(params=[0o022, 0o027])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_writer_gives_the_permissions_of_an_ordinary_new_file(tmp_path, umask):
    frame = pl.DataFrame({"unit_code": ["H44"], "total": [77.59]})
    written = [
        write_table(frame, tmp_path / "a.csv"),
        write_table(frame, tmp_path / "a.parquet"),
        write_table(frame, tmp_path / "a.xlsx"),
        write_workbook({"Bảng điểm": frame}, tmp_path / "b.xlsx"),
        write_bytes_atomic(b"<html></html>", tmp_path / "c.html"),
    ]
    with open(tmp_path / "plain.txt", "w") as handle:  # what the system gives a new file
        handle.write("x")
    for path in written:
        assert mode(path) == 0o666 & ~umask == mode(tmp_path / "plain.txt"), path


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "scorecard.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target, suffix=".csv") as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.csv"]


def test_a_write_replaces_the_file_in_one_step(tmp_path):
    target = tmp_path / "out" / "report.html"
    write_bytes_atomic(b"first", target)
    write_bytes_atomic(b"second", target)
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_publish_gives_a_private_temporary_file_ordinary_permissions(tmp_path, umask):
    temporary = tmp_path / ".partial"
    temporary.write_bytes(b"done")
    os.chmod(temporary, 0o600)
    publish(temporary, tmp_path / "final")
    assert mode(tmp_path / "final") == 0o666 & ~umask
    assert not temporary.exists()
