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
    assert "tạm tính" in trends and "Điểm Cổng công bố theo tháng" in trends and "Tây Sơn" in trends
    assert "115/135" in trends  # February's placeholder-like totals are said
    comparison = (folder / "comparison.html").read_text(encoding="utf-8")
    assert "Không có số liệu để so sánh" in comparison
    card = pl.read_csv(folder / "scorecard.csv", schema_overrides={"period": pl.String})
    assert card.filter(pl.col("unit_code") == "H21")["total"].item() == 66.23  # the 10/10 capture
    assert (store / "period=2026").is_dir() and len(list(store.rglob("*.parquet"))) == 3


def test_a_report_as_it_stood_on_a_past_date(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    params = write_params(tmp_path, store, as_of="2026-10-01", notebooks="[scorecard]")
    result = run_cli("report", "--params", str(params), "--out", str(out))
    assert result.returncode == 0, result.stderr
    card = pl.read_csv(out / "gia-lai" / "2026" / "scorecard.csv", schema_overrides={"period": pl.String})
    assert card.filter(pl.col("unit_code") == "H21")["total"].item() == 62.74  # the 24/09 capture
    assert card.filter(pl.col("unit_code") == "H21.24")["total"].item() == 48.41
