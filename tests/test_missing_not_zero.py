"""Missing is not zero in the scorecard: a group with incomplete counts takes its published score."""

from __future__ import annotations

import json
import shutil

import polars as pl

from analysis.io.portal import read_portal
from analysis.scoring.score import score

TTTT_PUBLISHED_H44 = 6.25  # published.csv: Phú Thọ's TTTT, August 2026


def partial_response(tmp_path, raw_dir):
    """The saved responses with one of TTTT's three indicators missing for the province."""
    folder = tmp_path / "2026-08"
    shutil.copytree(raw_dir, folder)
    path = folder / "formality-online-payment-tree.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    del payload["data"]["parent"]["totalFeeDossierFormality"]  # FEE_INTEGRATED's numerator
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return read_portal(folder)


def test_the_group_takes_its_published_score_when_an_indicator_lacks_counts(tmp_path, raw_dir):
    data = partial_response(tmp_path, raw_dir)
    facts = data.facts
    province = facts.filter(pl.col("unit_code") == "H44")
    assert "FEE_INTEGRATED" not in province["indicator"].to_list()
    assert province.filter(pl.col("indicator") == "TTTT")["published_score"].item() == TTTT_PUBLISHED_H44
    scored = score(facts)
    card = scored.scorecard.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert card["TTTT"] == TTTT_PUBLISHED_H44
    assert "TTTT" in card["published_groups"].split(",")
    assert card["total"] == 59.92  # the portal's total, as with complete counts
    # the detail shows the recomputed part beside the published group
    detail = scored.detail.filter((pl.col("unit_code") == "H44") & (pl.col("group") == "TTTT"))
    sources = dict(detail.select("indicator", "source").iter_rows())
    assert sources == {"PAYMENT_DOSSIER": "own", "PAYMENT_FORMALITY": "own", "FEE_INTEGRATED": "none", "TTTT": "published"}


def test_without_the_published_score_the_missing_indicator_would_have_scored_zero(tmp_path, raw_dir):
    facts = partial_response(tmp_path, raw_dir).facts
    without = facts.filter(~((pl.col("unit_code") == "H44") & (pl.col("indicator") == "TTTT")))
    card = score(without).scorecard.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert card["TTTT"] < TTTT_PUBLISHED_H44
    assert card["published_groups"] is None or "TTTT" not in card["published_groups"]


def test_complete_counts_are_recomputed_not_taken_from_the_group_row(bundled_facts):
    # a TTTT group row next to complete counts changes nothing: the counts are scored
    extra = bundled_facts.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "PAYMENT_DOSSIER")).with_columns(
        pl.lit("TTTT").alias("indicator"), pl.lit(None, dtype=pl.Float64).alias("numerator"),
        pl.lit(None, dtype=pl.Float64).alias("denominator"), pl.lit(1.0).alias("published_score"),
    )
    card = score(pl.concat([bundled_facts, extra])).scorecard.filter(pl.col("unit_code") == "H44").row(0, named=True)
    assert card["TTTT"] == TTTT_PUBLISHED_H44
    assert "TTTT" not in (card["published_groups"] or "")
