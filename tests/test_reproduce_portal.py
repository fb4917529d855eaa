"""The engine reproduces the portal: Phú Thọ, August 2026, every unit, every group."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.io.portal import read_portal
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score

GROUPS = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
TOLERANCE = 0.015


def deviations(scorecard: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    joined = scorecard.join(published, on=["period", "unit_code"], how="full", suffix="_published")
    return joined.select(
        "unit_code",
        *[(pl.col(c) - pl.col(f"{c}_published")).abs().alias(c) for c in [*GROUPS, "total"]],
    )


def test_every_unit_matches_the_published_group_scores(bundled_facts, published):
    scored = score(bundled_facts, load_methodology("portal-2025"))
    assert scored.scorecard.height == published.height == 164
    dev = deviations(scored.scorecard, published)
    assert dev.null_count().sum_horizontal().item() == 0, "a unit is missing on one side"
    worst = dev.select(pl.max_horizontal([*GROUPS, "total"]).max()).item()
    assert worst <= TOLERANCE, dev.sort(pl.max_horizontal(GROUPS), descending=True).head(5)
    # the portal's own rounding: all but two units exact to the cent
    exact = dev.filter(pl.max_horizontal([*GROUPS, "total"]) < 0.005).height
    assert exact >= 162


def test_summing_unrounded_scores_misses_so_the_rounding_rule_matters(bundled_facts, published):
    scored = score(bundled_facts, load_methodology("portal-2025+exact_sums"))
    dev = deviations(scored.scorecard, published)
    exact = dev.filter(pl.max_horizontal([*GROUPS, "total"]) < 0.005).height
    assert exact < 162


def test_published_indicator_scores_match_recomputed_ones(bundled_facts):
    detail = score(bundled_facts).detail
    checked = detail.filter(pl.col("published_score").is_not_null() & (pl.col("source") != "published"))
    assert checked.height > 1500
    worst = checked.select((pl.col("score") - pl.col("published_score")).abs().max()).item()
    assert worst <= 0.01


def test_saved_json_responses_give_the_same_facts_as_the_long_table(bundled_facts, raw_dir):
    from_json = read_portal(raw_dir, period="2026-08")
    key = ["unit_code", "indicator"]
    assert from_json.facts.sort(key).equals(bundled_facts.sort(key))


def test_children_inherit_catalogue_indicators_from_the_province(bundled_facts, published):
    inherited = [i.id for i in load_methodology().indicators if i.inherit]
    only_province = bundled_facts.filter(~pl.col("indicator").is_in(inherited) | (pl.col("level") == "province"))
    assert only_province.height < bundled_facts.height
    scored = score(only_province)
    assert deviations(scored.scorecard, published).select(pl.col("CKMB").max()).item() <= TOLERANCE
    sources = scored.detail.filter(pl.col("indicator") == "PUBLIC_CONTENT_FULL").group_by("source").len()
    assert dict(sources.iter_rows()) == {"own": 1, "inherited": 163}


def test_departments_and_communes_use_the_published_clgq(bundled_facts):
    card = score(bundled_facts).scorecard
    by_level = dict(
        card.group_by("level").agg(pl.col("published_groups").eq_missing("CLGQ").all()).iter_rows()
    )
    assert by_level == {"province": False, "department": True, "commune": True}


@pytest.mark.parametrize("unit,expected_class", [("H44", "average"), ("H44.01", "weak")])
def test_classes_follow_the_bands(bundled_facts, unit, expected_class):
    card = score(bundled_facts).scorecard
    assert card.filter(pl.col("unit_code") == unit)["class"].item() == expected_class


def test_units_without_dossiers_are_marked_inactive(bundled_facts):
    card = score(bundled_facts).scorecard
    inactive = sorted(card.filter(~pl.col("active"))["unit_code"].to_list())
    assert "H44.01" in inactive and "H44.23" in inactive
