"""The report folder is replaced whole: built beside its place, swapped in, one run at a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.paths import BUNDLED_FACTS, ROOT
from analysis.run import swap
from analysis.run.runlock import RunLock
from analysis.run.swap import build_folder, fresh_build_folder, old_folder, swap_into_place
from tests.conftest import run_cli
from tests.test_report import tiny_notebook


def report(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")


def listing(folder: Path) -> dict[str, str]:
    """Each file's text (a binary file by its bytes' repr)."""
    def text(p: Path) -> str:
        data = p.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return repr(data)
    return {p.name: text(p) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step", "two-renames"])
def test_a_swap_replaces_the_whole_folder_and_deletes_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    final = tmp_path / "phu-tho" / "2026-08"
    report(final, index_html="old index", old_chart_svg="chart the old index links")
    build = fresh_build_folder(final)
    assert build == build_folder(final) and list(build.iterdir()) == []
    report(build, index_html="new index", scorecard_html="new page")
    swap_into_place(build, final)
    assert listing(final) == {"index.html": "new index", "scorecard.html": "new page"}
    assert sorted(p.name for p in final.parent.iterdir()) == ["2026-08"]


def test_a_first_report_is_renamed_into_place(tmp_path: Path) -> None:
    final = tmp_path / "r" / "2026-08"
    build = fresh_build_folder(final)
    report(build, index_html="first")
    swap_into_place(build, final)
    assert listing(final) == {"index.html": "first"}
    assert not build.exists()


def test_what_a_killed_run_left_is_cleaned_or_put_back(tmp_path: Path) -> None:
    final = tmp_path / "r" / "2026-08"
    report(build_folder(final), index_html="half a build")
    report(old_folder(final), index_html="the previous report")  # killed between the two renames
    fresh_build_folder(final)
    assert listing(final) == {"index.html": "the previous report"}
    assert not old_folder(final).exists() and list(build_folder(final).iterdir()) == []

    report(final, **{"_index_html_a1b2": "a temporary of a killed write"})
    (final / "notebooks").mkdir()
    (final / "notebooks" / ".scorecard.partial.ipynb").write_text("{", encoding="utf-8")
    fresh_build_folder(final)
    assert listing(final) == {"index.html": "the previous report"}
    assert list((final / "notebooks").iterdir()) == []


def test_a_second_holder_of_a_lock_is_refused_and_a_released_lock_is_free(tmp_path: Path) -> None:
    lock = tmp_path / ".2026-08.lock"
    with RunLock(lock, "report thu 2026-08"):
        with pytest.raises(InputError, match=r"report thu 2026-08: another run is under way \(pid \d+\)"):
            RunLock(lock, "report thu 2026-08").__enter__()
    with RunLock(lock, "report thu 2026-08"):
        pass


def write_params(tmp_path: Path, notebook: str) -> Path:
    params = tmp_path / "run.yaml"
    params.write_text(
        f'scope: H44\nscope_slug: thu\nperiod: "2026-08"\nfacts: {BUNDLED_FACTS}\nnotebooks: [{notebook}]\n', encoding="utf-8"
    )
    return params


def test_a_report_run_holds_its_lock(tmp_path: Path) -> None:
    params = write_params(tmp_path, "fine.ipynb")
    tiny_notebook(tmp_path / "fine.ipynb", 'print("kỳ", period)')
    out = tmp_path / "out"
    with RunLock(out / "thu" / ".2026-08.lock", "test"):
        result = run_cli("report", "--params", str(params), "--out", str(out))
    assert result.returncode == 2
    assert "report thu 2026-08: another run is under way" in result.stderr
    assert not (out / "thu" / "2026-08").exists() and not build_folder(out / "thu" / "2026-08").exists()


@pytest.mark.slow
def test_a_run_killed_half_way_leaves_the_previous_complete_report(tmp_path: Path) -> None:
    params = write_params(tmp_path, "page.ipynb")
    out = tmp_path / "out"
    final = out / "thu" / "2026-08"
    tiny_notebook(tmp_path / "page.ipynb", 'print("lần một", period)')
    assert run_cli("report", "--params", str(params), "--out", str(out)).returncode == 0
    first = listing(final)

    marker = tmp_path / "running"
    tiny_notebook(tmp_path / "page.ipynb", f'import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(120)')
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--params", str(params), "--out", str(out)],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        assert marker.exists(), "the notebook never started"
        assert build_folder(final).is_dir()  # the new report is being built beside the old one
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its kernel, killed at once
        run.wait(timeout=30)
    assert listing(final) == first  # the previous report, whole
    assert "lần một" in first["page.html"]

    tiny_notebook(tmp_path / "page.ipynb", 'print("lần hai", period)')
    assert run_cli("report", "--params", str(params), "--out", str(out)).returncode == 0
    assert "lần hai" in listing(final)["page.html"]
    assert sorted(p.name for p in final.parent.iterdir()) == [".2026-08.lock", "2026-08"]
