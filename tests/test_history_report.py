"""The report on a history store: Gia Lai's real captures (published group scores only, departments,
no communes in the period, TTTT published) render every page; a past date rebuilds its figures."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analysis.paths import DATA, NATIONAL_SCORES
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

GIA_LAI = DATA / "portal" / "gia-lai-2026"


def write_params(folder: Path, store: Path, **extra: str) -> Path:
    lines = [
        "scope: H21", "scope_slug: gia-lai", 'period: "2026"', f"store: {store}",
        f"history: [{GIA_LAI / 'agencies-year-2026-captures.csv'}]",
        f"published: {GIA_LAI / 'published.csv'}", f"national: {NATIONAL_SCORES}",
        *(f"{k}: {v}" for k, v in extra.items()),
    ]
    path = folder / "gia-lai.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_gia_lai_year_to_date_renders_every_page(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    result = run_cli("report", "--params", str(write_params(tmp_path, store)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    folder = out / "gia-lai" / "2026"
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert [n["ok"] for n in run["notebooks"]] == [True] * 4
    trends = (folder / "trends.html").read_text(encoding="utf-8")
    assert "tạm tính" in trends and "Điểm đã công bố theo tháng" in trends and "Tây Sơn" in trends
    assert "115/135" in trends  # February's placeholder-like totals are said
    comparison = (folder / "comparison.html").read_text(encoding="utf-8")
    assert "Không có số liệu để so sánh" in comparison
    # published group scores without counts: overdue dossiers unknown, no unit said to have none
    scorecard = (folder / "scorecard.html").read_text(encoding="utf-8")
    assert "chưa biết số hồ sơ quá hạn" in scorecard and "Không có hồ sơ quá hạn" not in scorecard
    assert "(*)" not in scorecard and "Chưa nêu được đề xuất" in scorecard
    card = pl.read_csv(folder / "scorecard.csv", schema_overrides={"period": pl.String})
    assert card.filter(pl.col("unit_code") == "H21")["total"].item() == 66.23  # the 10/10 capture
    assert (store / "period=2026").is_dir() and len(list(store.rglob("*.parquet"))) == 4


def test_a_report_as_it_stood_on_a_past_date(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    params = write_params(tmp_path, store, as_of="2026-10-01", notebooks="[scorecard]", language="en")
    result = run_cli("report", "--params", str(params), "--out", str(out))
    assert result.returncode == 0, result.stderr
    card = pl.read_csv(out / "gia-lai" / "2026" / "scorecard.csv", schema_overrides={"period": pl.String})
    assert card.filter(pl.col("unit_code") == "H21")["total"].item() == 62.74  # the 24/09 capture
    assert card.filter(pl.col("unit_code") == "H21.24")["total"].item() == 48.41
    # an English run writes its workbook too (two sheets whose names differ beyond case)
    book = out / "gia-lai" / "2026" / "scorecard.xlsx"
    assert pl.read_excel(book, sheet_name="Scores").height == pl.read_excel(book, sheet_name="scorecard").height == 15


def test_a_quarter_run_shows_the_months_summed_beside_the_portals_quarter(tmp_path):
    from analysis.scoring import history
    from analysis.scoring.facts import read_facts
    from tests.test_history import MONTHS

    (tmp_path / "months.csv").write_text(MONTHS, encoding="utf-8")
    months = read_facts(tmp_path / "months.csv")
    own = months.filter(pl.col("period") == "2026-09").with_columns(pl.lit("2026-Q3").alias("period"))
    store = tmp_path / "store"
    history.add(store, pl.concat([months, own]), as_of=__import__("datetime").date(2026, 10, 5), source="hand-made")
    params = tmp_path / "q3.yaml"
    params.write_text(f'scope: H99\nscope_slug: thu\nperiod: "2026-Q3"\nstore: {store}\nnotebooks: [trends]\n', encoding="utf-8")
    result = run_cli("report", "--params", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "thu" / "2026-Q3" / "trends.html").read_text(encoding="utf-8")
    beside = pl.read_parquet(tmp_path / "out" / "thu" / "2026-Q3" / "scored" / "derived.parquet")
    province = beside.filter(pl.col("unit_code") == "H99").row(0, named=True)
    assert province["held"] != province["derived"]  # September alone against the quarter summed
    from analysis.report.formatting import number

    assert "Tính từ các tháng" in page and number(province["derived"]) in page and number(province["held"]) in page


def test_a_province_only_source_renders_every_page(tmp_path):
    params = tmp_path / "dak-lak.yaml"
    params.write_text("\n".join([
        "scope: H15", "scope_slug: dak-lak", 'period: "2026"', f"store: {tmp_path / 'store'}",
        f"history: [{DATA / 'portal' / 'dak-lak-2026' / 'province-year-2026-two-captures.csv'}]",
        f"national: {NATIONAL_SCORES}",
    ]) + "\n", encoding="utf-8")
    result = run_cli("report", "--params", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "dak-lak" / "2026"
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert [n["ok"] for n in run["notebooks"]] == [True] * 4
    comparison = (folder / "comparison.html").read_text(encoding="utf-8")
    assert "không có đơn vị nào thuộc sở, ban, ngành" in comparison
    assert "thấp nhất" not in comparison and "Tỉnh Đắk Lắk: điểm từng nhóm" in comparison
    scorecard = (folder / "scorecard.html").read_text(encoding="utf-8")
    assert scorecard.count("Nguồn số liệu chỉ có cấp tỉnh") == 2  # under the per-unit and the classification sections
    assert "Hồ sơ trực tuyến, trực tiếp theo đơn vị" not in scorecard
    card = pl.read_csv(folder / "scorecard.csv", schema_overrides={"period": pl.String})
    assert card.select("unit_code", "total").rows() == [("H15", 65.49)]
