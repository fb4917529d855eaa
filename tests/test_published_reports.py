"""Rules checked against figures published in real monthly reports (tests/fixtures/published)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analysis.scoring import quality
from analysis.scoring.methodology import load_methodology

PUBLISHED = Path(__file__).parent / "fixtures" / "published"
GROUPS = ["CKMB", "TDGQ", "ONLINE_SERVICE", "MDSH", "MDHL"]


@pytest.mark.parametrize("row", list(pl.read_csv(PUBLISHED / "classes.csv").iter_rows(named=True)), ids=lambda r: f"{r['total']}-{r['class']}")
def test_class_bands_give_every_published_class(row):
    """The bands are unverified as a rule text; they agree with every class reports published."""
    method = load_methodology()
    assert method.class_of_label(row["class"]) is not None
    assert method.classify(row["total"]) == method.class_of_label(row["class"])


def test_the_shifted_columns_of_a_real_report_are_caught():
    bac_kan = pl.read_csv(PUBLISHED / "bac-kan-2024-09-departments.csv")
    flagged = quality.component_sums(bac_kan, GROUPS)
    assert flagged.height == 16  # every row but one: its groups do not add up to its total
    # at the top of the table the groups are shifted by one row: rows 2–6 add up to the totals of rows 1–5
    sums = bac_kan.select(pl.sum_horizontal(GROUPS).alias("s"))["s"].to_list()
    totals = bac_kan["total"].to_list()
    assert all(abs(s - t) < 0.011 for s, t in zip(sums[1:6], totals[:5], strict=False))


def test_five_group_maxima_are_those_the_reports_print():
    """Bắc Kạn's table headers: 18, 20, 22, 22, 18 — the five-group presentation."""
    maxima = {g.code: g.max for g in load_methodology("five-group-2022").groups}
    assert maxima == {"CKMB": 18, "TDGQ": 20, "ONLINE_SERVICE": 22, "MDSH": 22, "MDHL": 18}


def test_the_bundled_bac_kan_table_keeps_its_shift_and_the_check_flags_it():
    from analysis.paths import DATA

    bundled = pl.read_csv(DATA / "published" / "bac-kan-2024-09-published.csv")
    flagged = quality.component_sums(bundled, GROUPS)
    # 16 departments (the shifted rows) and the province (groups printed to one decimal: 77,5 against 77,59);
    # districts publish totals only and Ban Dân tộc nothing: nothing to compare, not flagged as zeros
    assert sorted(flagged["level"].to_list()) == ["department"] * 16 + ["province"]
    assert flagged.filter(pl.col("level") == "province")["difference"].item() == 0.09
    assert bundled.filter(pl.col("level") == "district").height == 8
    assert bundled.filter(pl.col("level") == "department").height == 18


def test_totals_only_rows_are_not_flagged_as_zero_sums():
    totals_only = pl.DataFrame({"CKMB": [None, 18.0], "TDGQ": [None, 20.0], "total": [64.09, 38.0]})
    assert quality.component_sums(totals_only, ["CKMB", "TDGQ"])["total"].to_list() == []
