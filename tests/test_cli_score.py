"""``python -m analysis score``: the contract's scorecard and detail, every file format, bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analysis.paths import BUNDLED_FACTS, BUNDLED_RAW
from tests.conftest import FACTS_HEADER, run_cli, write_csv

CONTRACT = [
    "period", "unit_code", "unit_name", "level", "parent_code", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
    "total", "class", "rank", "rank_CKMB", "rank_TDGQ", "rank_CLGQ", "rank_TTTT", "rank_MDHL", "rank_MDSH",
    "delta_total",
]
DETAIL = ["period", "unit_code", "group", "indicator", "numerator", "denominator", "ratio", "score", "max_score"]


def read_any(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix == ".xlsx":
        return pl.read_excel(path)
    return pl.read_csv(path, schema_overrides={"period": pl.String})


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_score_writes_the_contract_columns(tmp_path, suffix):
    out, detail = tmp_path / f"scorecard{suffix}", tmp_path / f"detail{suffix}"
    result = run_cli("score", "--facts", str(BUNDLED_FACTS), "--out", str(out), "--detail", str(detail))
    assert result.returncode == 0, result.stderr
    card = read_any(out)
    assert card.columns[: len(CONTRACT)] == CONTRACT
    assert card.height == 164
    assert read_any(detail).columns[: len(DETAIL)] == DETAIL
    assert not list(tmp_path.glob(".*")), "a temporary file was left behind"


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_score_reads_parquet_and_xlsx_facts(tmp_path, suffix):
    facts = pl.read_csv(BUNDLED_FACTS, schema_overrides={"period": pl.String, "parent_code": pl.String})
    source = tmp_path / f"facts{suffix}"
    facts.write_parquet(source) if suffix == ".parquet" else facts.write_excel(source)
    out = tmp_path / "card.csv"
    assert run_cli("score", "--facts", str(source), "--out", str(out)).returncode == 0
    reference = tmp_path / "ref.csv"
    assert run_cli("score", "--facts", str(BUNDLED_FACTS), "--out", str(reference)).returncode == 0
    assert read_any(out).equals(read_any(reference))


def test_score_reads_saved_portal_responses(tmp_path):
    out = tmp_path / "card.csv"
    result = run_cli("score", "--facts", str(BUNDLED_RAW), "--period", "2026-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert read_any(out).filter(pl.col("unit_code") == "H44")["total"].item() == pytest.approx(59.92)


def small_facts(tmp_path: Path, *rows: str, name: str = "facts.csv") -> Path:
    header = FACTS_HEADER + (",published_score,as_of" if any(r.count(",") > 7 for r in rows) else "")
    return write_csv(tmp_path / name, header, *rows)


def test_ranks_are_competition_ranks_and_delta_compares_the_previous_month(tmp_path):
    rows = []
    for period, scores in (("2026-07", (5, 5, 5)), ("2026-08", (10, 9, 9))):
        rows.append(f"{period},P,Tỉnh,province,,ON_TIME,1,1")
        for code, on_time in zip(("A", "B", "C"), scores, strict=False):
            rows.append(f"{period},{code},Xã {code},commune,P,ON_TIME,{on_time},10")
    rows.append("2026-08,D,Xã D,commune,P,ON_TIME,8,10")
    out = tmp_path / "card.csv"
    assert run_cli("score", "--facts", str(small_facts(tmp_path, *rows)), "--out", str(out)).returncode == 0
    card = read_any(out).filter(pl.col("period") == "2026-08", pl.col("level") == "commune").sort("unit_code")
    assert card["rank"].to_list() == [1, 2, 2, 4]
    assert card["rank_of"].to_list() == [4, 4, 4, 4]
    # ON_TIME 10/10 → 20 points, July 5/10 → 10 points: +10 (plus the no-petition 12 both months)
    assert card["delta_total"].to_list()[:3] == [pytest.approx(10.0), pytest.approx(8.0), pytest.approx(8.0)]
    assert card["delta_total"].to_list()[3] is None


@pytest.mark.parametrize(
    "rows,where,what",
    [
        (["2026-08,P,Tỉnh,province,,ON_TIME,abc,10"], "row 2, column 'numerator'", "'abc' is not a number"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,1,10", "2026-08,P,Tỉnh,province,,ON_TIMEX,1,10"],
         "row 3, column 'indicator'", "unknown indicator id 'ON_TIMEX'"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,-1,10"], "row 2, column 'numerator'", "negative count"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,1,-10"], "row 2, column 'denominator'", "negative count"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,11,10"], "row 2, column 'numerator'", "above its denominator"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,1,10", "2026-08,P,Tỉnh,province,,ON_TIME,2,10"],
         "row 3, column 'indicator'", "duplicate row for 2026-08 / P / ON_TIME (first at row 2)"),
        (["2026-13,P,Tỉnh,province,,ON_TIME,1,10"], "row 2, column 'period'", "is not a period"),
        (["2026-08,P,Tỉnh,tỉnh,,ON_TIME,1,10"], "row 2, column 'level'", "unknown level 'tỉnh'"),
        (["2026-08,P,Tỉnh,commune,X,CLGQ,,"], "row 2, column 'published_score'", "needs its published score"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,1,10,,3/8/26"], "row 2, column 'as_of'", "not a plausible capture date"),
        (["2026-08,P,Tỉnh,province,,ON_TIME,1,10,,31/02/2026"], "row 2, column 'as_of'", "'31/02/2026' is not a date"),
    ],
)
def test_bad_facts_exit_2_naming_file_row_and_column(tmp_path, rows, where, what):
    source = small_facts(tmp_path, *rows)
    result = run_cli("score", "--facts", str(source), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert f"{source}, {where}" in result.stderr and what in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_missing_columns_are_named(tmp_path):
    source = write_csv(tmp_path / "f.csv", "period,unit_code,indicator", "2026-08,P,ON_TIME")
    result = run_cli("score", "--facts", str(source), "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    for column in ("unit_name", "level", "parent_code", "numerator", "denominator"):
        assert f"{source}, row 1, column '{column}': missing column" in result.stderr


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    source = small_facts(tmp_path, "2026-08,P,Tỉnh,province,,ON_TIME,x,10", "2026-08,Q,Tỉnh,province,,ON_TIME,1,y")
    result = run_cli("score", "--facts", str(source), "--out", str(tmp_path / "o.csv"))
    assert "row 2, column 'numerator'" in result.stderr and "row 3, column 'denominator'" in result.stderr


def test_unknown_methodology_exits_2(tmp_path):
    result = run_cli("score", "--facts", str(BUNDLED_FACTS), "--methodology", "portal-1999", "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2
    assert "unknown methodology 'portal-1999'" in result.stderr and "Traceback" not in result.stderr


def test_vietnamese_headers_numbers_and_semicolons_are_read(tmp_path):
    source = tmp_path / "vi.csv"
    source.write_bytes(
        "\ufeffKỳ;Mã đơn vị;Tên đơn vị;Cấp;Mã đơn vị cha;Chỉ số;Tử số;Mẫu số\n"
        "2026-08;P;Tỉnh Thử;province;;ON_TIME;1.234,0;2.468,0\n".encode("utf-8")
    )
    out = tmp_path / "card.csv"
    result = run_cli("score", "--facts", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert read_any(out)["TDGQ"].item() == pytest.approx(10.0)


def test_validate_reports_and_exits_2(tmp_path):
    good = small_facts(tmp_path, "2026-08,P,Tỉnh,province,,ON_TIME,1,10", name="good.csv")
    bad = small_facts(tmp_path, "2026-08,P,Tỉnh,province,,ON_TIME,1,x", name="bad.csv")
    ok = run_cli("validate", str(good))
    assert ok.returncode == 0 and "no problems" in ok.stdout
    failed = run_cli("validate", str(good), str(bad))
    assert failed.returncode == 2 and f"{bad}, row 2, column 'denominator'" in failed.stderr


def test_xlsx_problems_name_the_sheets_own_row(tmp_path):
    """Blank rows in a sheet still count: the message gives the row Excel shows."""
    import xlsxwriter

    book = tmp_path / "facts.xlsx"
    workbook = xlsxwriter.Workbook(book)
    sheet = workbook.add_worksheet("Tháng 8")
    sheet.write_row(0, 0, FACTS_HEADER.split(","))
    sheet.write_row(1, 0, ["2026-08", "P", "Tỉnh", "province", "", "ON_TIME", 1, 10])
    # row 3 left blank
    sheet.write_row(3, 0, ["2026-08", "P", "Tỉnh", "province", "", "PAYMENT_DOSSIER", "nhiều", 10])
    workbook.close()
    result = run_cli("score", "--facts", f"{book}#Tháng 8", "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2
    assert f"{book}#Tháng 8, row 4, column 'numerator': 'nhiều' is not a number" in result.stderr
