"""Numbers read cell by cell in one rule: Vietnamese style, English style, or an ambiguous cell rejected."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.errors import InputError
from analysis.io.load import number_style, parse_number
from analysis.paths import BUNDLED_FACTS
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score
from tests.conftest import FACTS_HEADER, run_cli, write_csv

CELLS = {
    "184503": 184503.0, "1.234.567": 1234567.0, "2.348,0": 2348.0, "1360.0": 1360.0, "0.125": 0.125,
    "0,125": 0.125, "2,5": 2.5, "1,234,567": 1234567.0, "1,234.5": 1234.5, "1e3": 1000.0, "-5": -5.0,
    "7.05": 7.05, "1 234": 1234.0, "inf": None, "NaN": None, "1e309": None, "-inf": None, "abc": None,
}


@pytest.mark.parametrize("cell,expected", CELLS.items())
def test_each_cell_is_read_by_its_own_form(cell, expected):
    frame = pl.DataFrame({"x": [cell]})
    for style in ("vi", "en", None):
        assert frame.select(parse_number("x", style))["x"].item() == expected, style


@pytest.mark.parametrize("cell,vi,en", [("184.503", 184503.0, 184.503), ("1,234", 1.234, 1234.0)])
def test_an_ambiguous_cell_takes_the_files_style_or_none(cell, vi, en):
    frame = pl.DataFrame({"x": [cell]})
    assert frame.select(parse_number("x", "vi"))["x"].item() == vi
    assert frame.select(parse_number("x", "en"))["x"].item() == en
    assert frame.select(parse_number("x", None))["x"].item() is None


def test_one_pasted_vietnamese_cell_does_not_switch_the_column():
    frame = pl.DataFrame({"x": ["1360.0", "2.348,0", "12"]})
    assert frame.select(parse_number("x"))["x"].to_list() == [1360.0, 2348.0, 12.0]


def test_the_files_style():
    assert number_style(pl.DataFrame({"a": ["184.503", "1"], "b": ["0,93", "1"]}), ["a", "b"]) == "vi"
    assert number_style(pl.DataFrame({"a": ["184.503", "85633.0"]}), ["a"]) == "en"
    assert number_style(pl.DataFrame({"a": ["2,5", "7.05"]}), ["a"]) is None
    assert number_style(pl.DataFrame({"a": ["184.503"]}), ["a"]) is None


def vietnamese(value: str | None) -> str | None:
    """A number the way a Vietnamese spreadsheet shows it: 184.503 and 7,05."""
    if value is None:
        return None
    number = float(value)
    whole, _, fraction = f"{number:.10f}".rstrip("0").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def test_a_hand_edited_vietnamese_facts_file_scores_like_the_clean_one(tmp_path):
    clean = pl.read_csv(BUNDLED_FACTS, infer_schema=False)
    numbers = ["numerator", "denominator", "published_score"]
    hand = clean.with_columns(pl.col(c).map_elements(vietnamese, return_dtype=pl.String) for c in numbers)
    assert hand["denominator"].str.contains(r"^\d{1,3}\.\d{3}$").sum() > 100  # 184.503 and its like
    path = tmp_path / "facts-vi.csv"
    hand.write_csv(path, separator=";")
    method = load_methodology()
    expected = score(read_facts(BUNDLED_FACTS, method), method).scorecard
    got = score(read_facts(path, method), method).scorecard
    assert got.equals(expected)
    out = tmp_path / "card.csv"
    result = run_cli("score", "--facts", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr


def test_ambiguous_cells_in_a_file_of_both_styles_are_rejected_by_row(tmp_path):
    path = write_csv(
        tmp_path / "f.csv", FACTS_HEADER,
        '2026-08,P,Tỉnh,province,,ON_TIME,"2,5",10',
        "2026-08,P,Tỉnh,province,,ONLINE_DOSSIER,1.5,10",
        "2026-08,P,Tỉnh,province,,PAYMENT_DOSSIER,184.503,200.000",
    )
    with pytest.raises(InputError) as caught:
        read_facts(path, load_methodology())
    text = str(caught.value)
    assert "row 4, column 'numerator': '184.503' could be read in Vietnamese style" in text
    assert "row 4, column 'denominator': '200.000' could be read" in text
    assert "row 2" not in text and "row 3" not in text


@pytest.mark.parametrize("cell,message", [
    ("inf", "'inf' is not a finite number"), ("NaN", "'NaN' is not a finite number"), ("1e309", "'1e309' is not a finite number"),
    ("5e15", "'5e15' is not a plausible count"), ("-3", "negative count -3"),
])
def test_non_finite_and_absurd_counts_are_rejected_by_row_and_column(tmp_path, cell, message):
    path = write_csv(tmp_path / "f.csv", FACTS_HEADER, "2026-08,P,Tỉnh,province,,ON_TIME,1,10",
                     f"2026-08,P,Tỉnh,province,,ONLINE_DOSSIER,{cell},1e16")
    result = run_cli("score", "--facts", str(path), "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"row 3, column 'numerator': {message}" in result.stderr


def test_a_formula_without_a_calculated_value_is_refused_by_cell(tmp_path):
    import xlsxwriter

    book = tmp_path / "facts.xlsx"
    with xlsxwriter.Workbook(book) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, FACTS_HEADER.split(","))
        sheet.write_row(1, 0, ["2026-08", "P", "Tỉnh", "province", "", "ON_TIME", 5, 10])
        sheet.write_row(2, 0, ["2026-08", "P", "Tỉnh", "province", "", "ONLINE_DOSSIER"])
        sheet.write_formula(2, 6, "=G2*2")
        sheet.write(2, 7, 10)
    result = run_cli("score", "--facts", str(book), "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2
    assert "row 3, column 'G': a formula whose value was never calculated" in result.stderr


def test_a_header_only_file_is_refused(tmp_path):
    path = write_csv(tmp_path / "f.csv", FACTS_HEADER)
    result = run_cli("score", "--facts", str(path), "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2 and "no data rows" in result.stderr


def test_a_cut_off_row_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(FACTS_HEADER + "\n2026-08,P,Tỉnh,province,,ON_TIME,5,10\n2026-08,P,Tỉnh,province,,ONLINE_DOSSIER,12", encoding="utf-8")
    result = run_cli("score", "--facts", str(path), "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2
    assert "row 3, column 'denominator': a numerator without its denominator" in result.stderr


def test_typed_numbers_are_checked_as_numbers():
    # facts just computed (numbers already typed) go through the same checks without a text round trip
    from analysis.scoring.facts import check_facts

    typed = pl.DataFrame({
        "period": ["2026-08"] * 3, "unit_code": ["P", "P", "P"], "unit_name": ["Tỉnh"] * 3, "level": ["province"] * 3,
        "parent_code": [None] * 3, "indicator": ["ONLINE_DOSSIER", "PAYMENT_DOSSIER", "DOSSIER_SYNC"],
        "numerator": [float("inf"), -1.0, 12.0], "denominator": [10.0, 10.0, 10.0],
    })
    with pytest.raises(InputError) as caught:
        check_facts(typed, source="facts", methodology=load_methodology())
    text = str(caught.value)
    assert "row 2, column 'numerator': 'inf' is not a finite number" in text
    assert "row 3, column 'numerator': negative count -1.0" in text
    assert "row 4, column 'numerator': numerator 12.0 is above its denominator 10.0" in text
    good = typed.with_columns(pl.Series("numerator", [1.0, 2.0, 3.0]))
    as_text = good.with_columns(pl.col("numerator", "denominator").cast(pl.String))
    assert check_facts(good, source="f").equals(check_facts(as_text, source="f"))
