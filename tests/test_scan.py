"""The command's large-data path: row checks, duplicates and rejects in the pass that counts."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from analysis.contract.periods import parse_period
from analysis.errors import InputError
from analysis.io import id_pass, scan
from analysis.io import rejects as reject_words
from analysis.io.facts_command import main as facts_main
from analysis.io.indicators import dossier_facts
from analysis.io.load import ROW
from analysis.io.records import read_dossiers, read_dossiers_folder
from analysis.io.scan import scan_dossiers
from analysis.scoring.units import read_units
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "records"
UNITS = FIXTURES / "units.csv"
BASE = {"unit_code": "T01.01", "procedure_code": "1.001", "status": "processing", "channel": "online"}


def dossier(i: int, **cells) -> dict:
    return {**BASE, "dossier_id": f"D{i}", "received_at": datetime(2026, 8, 3 + i % 20, 9), **cells}


def facts_cli(tmp_path: Path, records: Path, *extra: str):
    out = tmp_path / "facts.csv"
    result = run_cli("facts", "--records", str(records), "--units", str(UNITS), "--period", "2026-08",
                     "--out", str(out), *extra)
    return result, out


def received(out: Path, unit: str = "T01") -> float:
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    return facts.filter((pl.col("unit_code") == unit) & (pl.col("indicator") == "ON_TIME"))["denominator"].item()


# --------------------------------------------------------------------------------------------
# empty means missing


EMPTY_HEADER = "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Trạng thái,Hình thức nộp,Đánh giá,Đồng bộ"


def _write_empty_cells(path: Path) -> None:
    rows = [["E1", "T01.01", "1.001", "03/08/2026", "", "", "", ""],
            ["E2", "T01.01", "1.001", "04/08/2026", "Đang xử lý", "Trực tuyến", "", "có"],
            ["E3", "T01.01", "1.001", "05/08/2026", "Đang xử lý", "", "Hài lòng", ""]]
    header = EMPTY_HEADER.split(",")
    if path.suffix == ".xlsx":
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet()
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)  # empty strings written as strings, not blanks
        book.close()
    elif path.suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    else:  # Parquet as a system writes it: codes, and "" for "no value"
        pl.DataFrame([
            dossier(1, dossier_id="E1", status="", channel="", rating="", synced=""),
            dossier(2, dossier_id="E2", status="processing", channel="online", rating="", synced="true"),
            dossier(3, dossier_id="E3", status="processing", channel="", rating="satisfied", synced=""),
        ]).write_parquet(path)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".xlsx"])
def test_empty_coded_cells_are_missing_not_rejected(tmp_path, suffix):
    path = tmp_path / f"ho-so{suffix}"
    _write_empty_cells(path)
    result, out = facts_cli(tmp_path, path)
    assert result.returncode == 0, result.stderr
    assert "3 dòng đọc vào = 3 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert received(out) == 3
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    online = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ONLINE_DOSSIER"))
    assert online.select("numerator", "denominator").row(0) == (1, 3)  # one online; the empty channels are unknown


# --------------------------------------------------------------------------------------------
# duplicates across the files of a folder


def test_duplicate_id_across_two_parquet_files_is_a_rejected_row(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    pl.DataFrame([dossier(1, dossier_id="A1"), dossier(2, dossier_id="A2")]).write_parquet(folder / "2026-07.parquet")
    # the second file has a column the first lacks, and A1 again
    pl.DataFrame([dossier(3, dossier_id="A1", rating="satisfied"), dossier(4, dossier_id="A3", rating="")]).write_parquet(
        folder / "2026-08.parquet")
    result, out = facts_cli(tmp_path, folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "4 dòng đọc vào = 3 dòng sử dụng + 1 dòng bị loại" in result.stdout
    assert received(out) == 3  # the rows used are the rows counted
    rejects = pl.read_csv(tmp_path / "facts.rejects.csv", infer_schema=False)
    assert rejects.select("file", "_row", "column").rows() == [(str(folder / "2026-08.parquet"), "1", "dossier_id")]
    assert "first in" in rejects["reason"][0] and "2026-07.parquet row 1" in rejects["reason"][0]


def test_a_hash_shared_by_different_ids_is_not_a_duplicate(tmp_path):
    path = tmp_path / "d.parquet"
    pl.DataFrame([dossier(1, dossier_id="A1"), dossier(2, dossier_id="A2"), dossier(3, dossier_id="A2")]).write_parquet(path)
    rows, _ = scan.checked_rows(path, "dossiers", None)
    a1, a2 = pl.Series(["A1", "A2"]).hash(id_pass.HASH_SEED)
    # as if both hashes had been seen twice: only A2 really repeats
    found = scan.confirm_duplicates(rows, "dossier_id", pl.Series([a1, a2], dtype=pl.UInt64))
    assert found.select("dossier_id", "_row").rows() == [("A2", 3)]


@pytest.mark.parametrize("budget", [id_pass.SORT_BUDGET, 800])
def test_repeated_hashes_in_memory_and_by_slices(monkeypatch, budget):
    # in memory and one slice; through a temporary file and eleven slices of the hash range
    monkeypatch.setattr(id_pass, "SORT_BUDGET", budget)
    ids = [f"X{i}" for i in range(1000)] + ["X5", "X999", "X5"]
    hashes = pl.LazyFrame({"dossier_id": [*ids, None]})
    found, missing = id_pass.repeated_hashes(id_pass.id_hashes(hashes, "dossier_id"), len(ids))
    assert missing == 1  # the empty id
    assert sorted(found.to_list()) == sorted(pl.Series(["X5", "X999"]).hash(id_pass.HASH_SEED).to_list())


# --------------------------------------------------------------------------------------------
# the single pass gives the library's facts over the rows used


def test_checked_facts_match_the_library_on_the_rows_used(tmp_path):
    units = read_units(UNITS)
    good = [dossier(i, status="finished" if i % 3 else "processing",
                    finished_at=datetime(2026, 8, 25) if i % 3 else None,
                    due_at=datetime(2026, 8, 20 + i % 5), channel=("online", "direct", "postal")[i % 3],
                    synced=bool(i % 2), rating="unsatisfied" if i % 7 == 0 else None) for i in range(40)]
    bad = [dossier(100, status="flying"), dossier(101, unit_code="Z9"), dossier(102, received_at=None),
           dossier(5, dossier_id="D5"), dossier(103, received_at=datetime(2026, 7, 30))]  # a duplicate; July
    path = tmp_path / "d.parquet"
    pl.DataFrame([*good, *bad]).write_parquet(path)
    period = parse_period("2026-08")
    facts, checked = scan.checked_facts(path, period, units=units)
    assert (checked.summary.rows_in, checked.summary.rows_used, checked.summary.rows_rejected) == (45, 41, 4)
    used = tmp_path / "used.parquet"
    pl.DataFrame([*good, bad[-1]]).write_parquet(used)
    expected = dossier_facts(scan_dossiers(used), period, units=units)
    assert facts.equals(expected)
    assert facts.filter((pl.col("unit_code") == "T01") & (pl.col("indicator") == "ON_TIME"))["denominator"].item() == 40
    tally = {(c, r): n for c, r, n in checked.tally.iter_rows()}
    assert tally[("dossier_id", "duplicate id (later copies)")] == 1
    assert sum(tally.values()) == 4


@pytest.mark.parametrize("supplement_columns", [False, True])
def test_empty_ids_and_procedure_codes_are_rejected_and_the_rest_counted(tmp_path, supplement_columns):
    # the id-hash pass finds the empty cells the counting pass leaves out; the counts are made again
    units = read_units(UNITS)
    extra = {"supplement_requested_at": None, "supplement_pending": False} if supplement_columns else {}
    good = [dossier(i, channel=("online", "direct")[i % 2], due_at=datetime(2026, 8, 28), **extra) for i in range(12)]
    bad = [dossier(50, dossier_id=None, **extra), dossier(51, dossier_id="", **extra),
           dossier(52, procedure_code="", **extra),
           dossier(3, dossier_id="D3", procedure_code=None, **extra)]  # its id's other copy is the only one used
    path = tmp_path / "d.parquet"
    pl.DataFrame([*good, *bad]).write_parquet(path)
    period = parse_period("2026-08")
    facts, checked = scan.checked_facts(path, period, units=units)
    s = checked.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (16, 12, 4)
    assert checked.duplicates.height == 0
    tally = {(c, r): n for c, r, n in checked.tally.iter_rows()}
    assert tally == {("dossier_id", "empty cell"): 2, ("procedure_code", "empty cell"): 2}
    used = tmp_path / "used.parquet"
    pl.DataFrame(good).write_parquet(used)
    assert facts.equals(dossier_facts(scan_dossiers(used), period, units=units))
    rejected = checked.rejected_rows().collect().sort(ROW)
    assert rejected.select(ROW, "column").rows() == [
        (13, "dossier_id"), (14, "dossier_id"), (15, "procedure_code"), (16, "procedure_code")]


def test_whole_number_ids_are_compared_as_the_scan_reads_them(tmp_path):
    # a system that writes its ids as integers: the id pass reads them as text, as the typed scan
    # does, so a repeated number is a duplicate and its later copy the one rejected
    units = read_units(UNITS)
    rows = [dossier(i) for i in range(6)] + [dossier(9)]
    frame = pl.DataFrame(rows).with_columns(pl.Series("dossier_id", [100, 101, 102, 103, 104, 105, 101]))
    path = tmp_path / "d.parquet"
    frame.write_parquet(path)
    _, checked = scan.checked_facts(path, parse_period("2026-08"), units=units)
    assert (checked.summary.rows_in, checked.summary.rows_used) == (7, 6)
    assert checked.duplicates.select(ROW, "reason").rows() == [(7, f"duplicate id (first in {path} row 2)")]


def test_ids_that_cannot_be_text_are_the_files_problem(tmp_path):
    # ids written as lists of numbers: the id pass cannot read them as text; exit 2 naming the file
    rows = [dossier(i) for i in range(3)]
    path = tmp_path / "d.parquet"
    pl.DataFrame(rows).with_columns(pl.Series("dossier_id", [[1, 2], [3], [4]])).write_parquet(path)
    result = run_cli("facts", "--records", str(path), "--units", str(UNITS), "--period", "2026-08",
                     "--out", str(tmp_path / "facts.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{path}" in result.stderr and not (tmp_path / "facts.csv").exists()


def test_rows_in_are_rows_used_plus_rejected_across_files_of_a_folder(tmp_path):
    units = read_units(UNITS)
    folder = tmp_path / "parts"
    folder.mkdir()
    pl.DataFrame([dossier(i) for i in range(10)]).write_parquet(folder / "a.parquet")
    # b: two later copies of a's ids, one of its own id twice, a bad status, an unknown unit
    pl.DataFrame([dossier(2), dossier(7), dossier(20), dossier(20, dossier_id="D20"),
                  dossier(21, status="flying"), dossier(22, unit_code="Z9")]).write_parquet(folder / "b.parquet")
    facts, checked = scan.checked_facts(folder, parse_period("2026-08"), units=units)
    s = checked.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (16, 11, 5)
    assert s.rows_in == s.rows_used + s.rows_rejected
    assert sorted(checked.duplicates.select("file", ROW).rows()) == [
        (str(folder / "b.parquet"), 1), (str(folder / "b.parquet"), 2), (str(folder / "b.parquet"), 4)]
    assert facts.filter((pl.col("unit_code") == "T01") & (pl.col("indicator") == "ON_TIME"))["denominator"].item() == 11


def test_a_bad_units_table_beside_parquet_records_stops_cleanly(tmp_path):
    # the records' id-hash pass starts while the units table is read; a bad table still stops with exit 2
    path = tmp_path / "d.parquet"
    pl.DataFrame([dossier(i) for i in range(5)]).write_parquet(path)
    units = tmp_path / "units.csv"
    units.write_text("unit_code,unit_name\n", encoding="utf-8")
    result = run_cli("facts", "--records", str(path), "--units", str(units), "--period", "2026-08",
                     "--out", str(tmp_path / "facts.csv"))
    assert result.returncode == 2
    assert "the table has no rows" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "facts.csv").exists()


# --------------------------------------------------------------------------------------------
# rejects that help


def test_a_reason_taking_many_rows_is_said_first_loudly(tmp_path):
    path = tmp_path / "d.parquet"
    rows = [dossier(i, rating="Hài lòng" if i < 20 else "satisfied") for i in range(60)]  # a third spelled out
    pl.DataFrame(rows).write_parquet(path)
    result, _ = facts_cli(tmp_path, path)
    assert result.returncode == 0, result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("CHÚ Ý — CÓ THỂ TỆP KHÁC ĐỊNH DẠNG: 20 / 60 dòng (33,3 %)")
    assert "cột 'rating'" in first and "Hài lòng" not in result.stderr + result.stdout
    assert "20 dòng (dossiers), cột 'rating'" in result.stdout


def test_few_rejects_are_not_called_a_format_mismatch(tmp_path):
    path = tmp_path / "d.parquet"
    pl.DataFrame([dossier(i, rating="Hài lòng" if i < 2 else None) for i in range(100)]).write_parquet(path)
    result, _ = facts_cli(tmp_path, path)
    assert result.returncode == 0 and "CHÚ Ý" not in result.stderr


def test_large_rejects_go_to_parquet_with_a_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(reject_words, "LARGE_REJECTS", 5)
    path = tmp_path / "d.parquet"
    rows = [dossier(i, channel="fax" if i < 8 else "online", status="flying" if i in (20, 21) else "processing")
            for i in range(40)]
    pl.DataFrame(rows).write_parquet(path)
    out = tmp_path / "facts.csv"
    args = argparse.Namespace(records=str(path), procedures=None, petitions=None, units=str(UNITS), period="2026-08",
                              out=str(out), rejects=None, methodology="portal-2025")
    assert facts_main(args) == 0
    assert not (tmp_path / "facts.rejects.csv").exists()
    rejected = pl.read_parquet(tmp_path / "facts.rejects.parquet")
    assert rejected.height == 10
    assert rejected.columns[:5] == ["table", "file", "_row", "column", "reason"]
    assert sorted(rejected["_row"].to_list()) == [1, 2, 3, 4, 5, 6, 7, 8, 21, 22]
    summary = pl.read_csv(tmp_path / "facts.rejects.summary.csv")
    assert summary.select("column", "rows").rows() == [("channel", 8), ("status", 2)]


def test_tally_of_text_rejects_does_not_repeat_cells():
    rejects = pl.DataFrame({"_row": [2, 3, 4], "column": ["status", "status", "channel"],
                            "reason": ["unknown status 'Nguyễn Văn An' (e.g. …)", "unknown status 'x' (e.g. …)",
                                       "unknown channel 'Fax' (Trực tuyến, …)"]})
    counted = reject_words.tally(rejects, "dossiers")
    assert counted.select("column", "reason", "rows").rows() == [
        ("status", "unknown status '…' (e.g. …)", 2), ("channel", "unknown channel '…' (Trực tuyến, …)", 1)]


# --------------------------------------------------------------------------------------------
# too large to read whole


def _large_export(path: Path) -> None:
    """A CSV export with a title row above its header, 3.000 dossiers, a bad row near the end and a
    duplicate id far from its first copy (so that they fall in other parts when read in parts)."""
    rows = [f"D{i},{'T01.01' if i % 2 else 'T01.H1.X1'},1.001,{3 + i % 20:02d}/08/2026 09:00,,,\"Đang xử lý\",Trực tuyến"
            for i in range(3000)]
    rows[2900] = "D2900,T01.01,1.001,05/08/2026,,,Bay đi,Trực tuyến"  # unknown status
    rows[2950] = "D7,T01.01,1.001,05/08/2026,,,Đang xử lý,Trực tuyến"  # D7 again
    title = "Báo cáo hồ sơ tháng 8/2026,,,,,,,"
    header = "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Ngày hẹn trả,Ngày hoàn thành,Trạng thái,Hình thức nộp"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([title, header, *rows, ""]).encode("utf-8"))


def test_a_csv_too_large_to_read_whole_is_read_in_parts(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    _large_export(path)
    (tmp_path / "whole").mkdir()
    whole, whole_out = facts_cli(tmp_path / "whole", path)
    assert whole.returncode == 0, whole.stderr
    monkeypatch.setenv("ANALYSIS_MAX_READ_MB", "0.02")  # 20 KiB read whole: parts of 5 KiB
    (tmp_path / "parts").mkdir()
    parts, parts_out = facts_cli(tmp_path / "parts", path)
    assert parts.returncode == 0, parts.stderr
    assert "đọc theo" in parts.stdout and "phần" in parts.stdout
    assert pl.read_csv(parts_out).equals(pl.read_csv(whole_out))
    assert "3.000 dòng đọc vào = 2.998 dòng sử dụng + 2 dòng bị loại" in parts.stdout
    rejects = pl.read_csv(tmp_path / "parts" / "facts.rejects.csv").sort("_row")
    # named by the export and its row (title row 1, header row 2: dossier D2900 is on row 2903)
    assert rejects.select("file", "_row", "column").rows() == [(str(path), 2903, "status"), (str(path), 2953, "dossier_id")]
    assert rejects["reason"][1] == f"duplicate id (first in {path} row 10)"
    # the library still reads a file whole, and says so with its size
    with pytest.raises(InputError, match=r"the file is 0,2 MiB, more than the 0,0 MiB read whole into memory: give it to `facts --records`, which reads it in parts"):
        read_dossiers(path)
    with pytest.raises(InputError, match="the folder's exports total"):
        read_dossiers_folder(tmp_path)


def test_a_folder_of_exports_each_read_in_parts(tmp_path, monkeypatch):
    # two large exports and a small one, read a few at a time: every part of each is its own, and
    # each reject is named by its export and row
    folder = tmp_path / "exports"
    folder.mkdir()
    _large_export(folder / "a.csv")
    text = (folder / "a.csv").read_text("utf-8-sig").replace("D", "E")
    (folder / "b.csv").write_text(text.replace("Báo cáo hồ sơ", "Báo cáo"), encoding="utf-8")
    (folder / "c.csv").write_text("Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận\nF1,T01.01,1.001,04/08/2026\n",
                                  encoding="utf-8")
    (tmp_path / "whole").mkdir()
    whole, whole_out = facts_cli(tmp_path / "whole", folder)
    assert whole.returncode == 0, whole.stderr
    # just under each export's size: four or five parts each, the parts of both waiting at once
    limit = min((folder / "a.csv").stat().st_size, (folder / "b.csv").stat().st_size) - 100
    monkeypatch.setenv("ANALYSIS_MAX_READ_MB", str(limit / 2**20))
    (tmp_path / "parts").mkdir()
    parts, parts_out = facts_cli(tmp_path / "parts", folder)
    assert parts.returncode == 0, parts.stderr
    assert parts.stdout.count("đọc theo") == 2
    assert pl.read_csv(parts_out).equals(pl.read_csv(whole_out))
    assert "6.001 dòng đọc vào = 5.997 dòng sử dụng + 4 dòng bị loại" in parts.stdout
    rejects = pl.read_csv(tmp_path / "parts" / "facts.rejects.csv").sort("file", "_row")
    assert rejects.select("file", "_row", "column").rows() == [
        (str(folder / "a.csv"), 2903, "status"), (str(folder / "a.csv"), 2953, "dossier_id"),
        (str(folder / "b.csv"), 2903, "status"), (str(folder / "b.csv"), 2953, "dossier_id")]


def test_a_row_is_never_cut_inside_quotes():
    from analysis.io.exports import last_row_end as _cut

    assert _cut(b'a,b\nc,"d\ne"\nf') == len(b'a,b\nc,"d\ne"\n')
    assert _cut(b'a,b\nc,"d\ne') == len(b"a,b\n")
    assert _cut(b'a,"b\nc') == 0


def test_validate_streams_a_parquet_export_and_names_its_rejects(tmp_path):
    path = tmp_path / "d.parquet"
    pl.DataFrame([dossier(1), dossier(2, status="flying"), dossier(3, dossier_id="D1")]).write_parquet(path)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert f"{path}, row 2, column 'status': unknown status" in result.stderr
    assert f"{path}, row 3, column 'dossier_id': duplicate id (first in {path} row 1)" in result.stderr
    good = tmp_path / "ok.parquet"
    pl.DataFrame([dossier(1), dossier(2)]).write_parquet(good)
    result = run_cli("validate", str(good))
    assert result.returncode == 0 and "2 dòng, không có lỗi" in result.stdout


def test_a_parquet_read_whole_has_a_size_limit_too(tmp_path, monkeypatch):
    path = tmp_path / "d.parquet"
    pl.DataFrame([dossier(i, dossier_id=f"ID-{i:08d}-{'x' * 40}") for i in range(30000)]).write_parquet(
        path, compression="uncompressed")
    monkeypatch.setenv("ANALYSIS_MAX_READ_MB", "0.5")
    with pytest.raises(InputError, match="give it to `facts --records`, which streams Parquet"):
        read_dossiers(path)


def test_which_csv_exports_are_read_in_parts(tmp_path, monkeypatch):
    from analysis.io import exports

    path = tmp_path / "big.csv"
    _large_export(path)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(path.read_text("utf-8-sig"), encoding="utf-16")
    assert not exports.read_in_parts(path)  # far below a part
    monkeypatch.setattr(exports, "PART_BYTES", 50_000)
    assert exports.read_in_parts(path)
    assert not exports.read_in_parts(utf16)  # cut only between lines of UTF-8 text: read whole (or refused)
    assert not exports.read_in_parts(FIXTURES / "dossiers.csv")
    parts = exports.split_export(path, tmp_path, exports.part_size(path))
    assert len(parts) >= path.stat().st_size // 50_000 and parts[0].offset == 0
    assert all(p.file.stat().st_size <= 50_000 + 200 for p in parts)  # a part, and the title and header rows
    header = "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Ngày hẹn trả,Ngày hoàn thành,Trạng thái,Hình thức nộp"
    for part in parts:  # each part: the title row, the header, then whole rows
        lines = part.file.read_bytes().decode("utf-8").split("\r\n")
        assert lines[1] == header and lines[2].startswith("D") and lines[-1] == ""
    assert sum(len(p.file.read_bytes().decode("utf-8").split("\r\n")) - 3 for p in parts) == 3000


def test_exports_read_at_once_fit_the_memory_budget(tmp_path):
    # three small CSV exports at once; fewer when large; a workbook, which takes far more memory
    # than its size, alone once over a few MiB
    from analysis.io import exports

    def part(name: str, size: int) -> exports.Part:
        path = tmp_path / name
        with path.open("wb") as sink:
            sink.truncate(size)
        return exports.Part(path, str(path))

    mib = 2**20
    assert exports.staging_workers([part("a.csv", 18 * mib), part("b.csv", 2 * mib)]) == 3
    assert exports.staging_workers([part("c.csv", 32 * mib)]) == 2
    assert exports.staging_workers([part("d.csv", 2 * mib), part("e.xlsx", 2 * mib)]) == 3
    assert exports.staging_workers([part("f.xlsx", 8 * mib)]) == 1
    assert exports.staging_workers([part("g.csv", 200 * mib)]) == 1  # never none


def test_a_large_utf16_export_is_refused_with_what_to_do(tmp_path, monkeypatch):
    # UTF-16 text cannot be cut between rows by bytes: over what is read whole, the command says
    # to save it as UTF-8 (then read in parts), not to give it to the command that just refused it
    path = tmp_path / "utf16.csv"
    _large_export(tmp_path / "big.csv")
    path.write_text((tmp_path / "big.csv").read_text("utf-8-sig"), encoding="utf-16")
    monkeypatch.setenv("ANALYSIS_MAX_READ_MB", "0.05")
    (tmp_path / "out").mkdir()
    result, _ = facts_cli(tmp_path / "out", path)
    assert result.returncode == 2
    assert "save it as UTF-8 (`facts --records` then reads it in parts) or convert it to Parquet" in result.stderr
    assert "Traceback" not in result.stderr
