"""Sentences of a source of published group scores without counts (Gia Lai 2026: province and 14
departments, the portal's group scores only): what is unknown is said to be unknown, never none."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from analysis.contract.periods import parse_period
from analysis.paths import DATA
from analysis.report import narrative, quality_text, tables
from analysis.scoring import history, quality
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score

CAPTURES = DATA / "portal" / "gia-lai-2026" / "agencies-year-2026-captures.csv"
LAST = datetime.date(2026, 10, 10)


@pytest.fixture(scope="module")
def gia_lai():
    facts = history.read_capture(CAPTURES).filter(pl.col("as_of") == LAST)
    return score(facts, load_methodology())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_overdue_of_units_without_counts_is_unknown_not_none(gia_lai, language):
    table = tables.unit_table(gia_lai.scorecard, gia_lai.detail, "department")
    assert table.height == 14 and table["ON_TIME_den"].null_count() == 14
    sentence = narrative.overdue_sentence(table, "department", language)
    assert "Không có hồ sơ quá hạn" not in sentence and "No overdue" not in sentence
    assert ("chưa biết số hồ sơ quá hạn" in sentence) if language == "vi" else ("not known" in sentence)


def test_overdue_said_for_the_units_with_figures_only(gia_lai):
    table = tables.unit_table(gia_lai.scorecard, gia_lai.detail, "department")
    one = table.with_columns(pl.when(pl.col("unit_code") == "H21.17").then(10).otherwise(pl.col("ON_TIME_den")).alias("ON_TIME_den"),
                             pl.when(pl.col("unit_code") == "H21.17").then(0).otherwise(pl.col("overdue")).alias("overdue"))
    sentence = narrative.overdue_sentence(one, "department")
    assert sentence.startswith("Không có hồ sơ quá hạn tại 1 sở, ban, ngành có số liệu; 13 đơn vị")


def test_no_recommendations_are_said_not_left_as_a_dangling_intro(gia_lai):
    text = narrative.report_text(gia_lai.scorecard, gia_lai.detail, load_methodology(), scope="H21",
                                 period=parse_period("2026"), targets={}, as_of=LAST)
    assert text.recommendations == []
    assert not text.recommendations_intro.endswith(":") and "Chưa nêu được đề xuất" in text.recommendations_intro
    assert all("Không có hồ sơ quá hạn" not in f.text for f in text.findings)


def test_the_no_dossier_footnote_only_under_a_table_with_such_a_unit(gia_lai, bundled_facts):
    table = tables.unit_table(gia_lai.scorecard, gia_lai.detail, "department")
    assert "(*)" not in tables.unit_table_note(table)  # activity unknown: no unit is said to have no dossiers
    phu_tho = score(bundled_facts, load_methodology())
    departments = tables.unit_table(phu_tho.scorecard, phu_tho.detail, "department")
    assert "(*)" in tables.unit_table_note(departments)  # Phú Thọ's two departments without dossiers


def test_the_lowest_ranked_unit_is_not_said_to_have_dossiers(gia_lai):
    row = tables.graded(gia_lai.scorecard).filter(pl.col("rank") == 14).row(0, named=True)
    assert row["unit_name"].startswith("Thanh tra tỉnh") and row["active"] is None
    for language in ("vi", "en"):
        _, lead = narrative.focus_heading(row, chosen=False, language=language)
        assert "phát sinh hồ sơ" not in lead and "with dossiers" not in lead


def test_totals_of_published_groups_are_not_said_recomputed_from_counts(gia_lai):
    published = pl.read_csv(CAPTURES, schema_overrides={"period": pl.String}).filter(pl.col("as_of") == LAST.isoformat())
    reconciled = quality.reconcile_groups(gia_lai.scorecard, published, load_methodology())
    sentence = quality_text.reconcile_sentence(reconciled)
    assert "tử số, mẫu số của 15" not in sentence and sentence.startswith("Đối chiếu 15 tổng điểm (cộng các điểm nhóm")
    assert "recomputed from counts" not in quality_text.reconcile_sentence(reconciled, "en")


def test_a_province_alone_gets_its_findings_and_recommendations():
    """Đắk Lắk 2026: the province's counts, no department or commune (the scorecard page once failed here)."""
    facts = history.read_capture(DATA / "portal" / "dak-lak-2026" / "province-year-2026-two-captures.csv")
    scored = score(facts.filter(pl.col("as_of") == LAST), load_methodology())
    text = narrative.report_text(scored.scorecard, scored.detail, load_methodology(), scope="H15",
                                 period=parse_period("2026"), targets={"on_time": 0.95}, as_of=LAST)
    assert text.findings and text.findings[0].text.startswith("Tỉnh mất nhiều điểm nhất")
    assert text.recommendations and text.recommendations_intro.endswith(":")


def test_a_province_alone_is_not_called_the_lowest_of_its_level():
    facts = history.read_capture(DATA / "portal" / "dak-lak-2026" / "province-year-2026-two-captures.csv")
    card = score(facts.filter(pl.col("as_of") == LAST), load_methodology()).scorecard
    focus = tables.lowest_active(card, "department")
    row = tables.graded(card).filter(pl.col("unit_code") == focus).row(0, named=True)
    heading, why = narrative.focus_heading(row, chosen=False)
    assert heading == "Tỉnh Đắk Lắk: điểm từng nhóm" and "thấp nhất" not in why and "chỉ có cấp tỉnh" in why
    assert "thấp nhất" not in narrative.focus_heading(row, chosen=False, language="en")[1]
    table = tables.peer_table(card, load_methodology(), focus)
    assert table.columns == ["group", "max", "unit"]  # no 'median of its level' that is the province itself


def test_the_classification_footnote_only_with_a_unit_without_dossiers(gia_lai, bundled_facts):
    method = load_methodology()
    assert tables.no_activity_note(tables.classification_table(gia_lai.scorecard, method, "department")) is None
    phu_tho = score(bundled_facts, method).scorecard
    assert tables.no_activity_note(tables.classification_table(phu_tho, method, "department"), "en").startswith("(*)")


def test_a_run_on_the_store_says_it_loaded_the_store_not_an_internal_file(gia_lai, tmp_path):
    facts = history.read_capture(CAPTURES).filter(pl.col("as_of") == LAST)
    extract = tmp_path / "gia-lai" / "2026" / "scored" / "facts.parquet"
    vi, en = quality_text.load_sentence(facts, extract), quality_text.load_sentence(facts, extract, "en")
    assert "kho số liệu các kỳ" in vi and "facts.parquet" not in vi and "Số liệu lấy ngày 10/10/2026" in vi
    assert "history store" in en and "facts.parquet" not in en
    assert "`data/portal" in quality_text.load_sentence(facts, CAPTURES)
