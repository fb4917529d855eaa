"""The JupyterLab explorer: pickers wired to the chosen unit's view."""

from __future__ import annotations

import pytest

from analysis import explore
from analysis.scoring.score import score


@pytest.fixture(scope="module")
def scored(bundled_facts):
    return score(bundled_facts)


def test_only_an_analysts_session_is_interactive():
    assert explore.interactive("") and explore.interactive(None)
    assert not explore.interactive("/tmp/report/charts")


def test_unit_options_list_every_unit_of_a_level_with_its_total(scored):
    options = explore.unit_options(scored.scorecard, "department")
    assert len(options) == 15
    labels = dict((code, label) for label, code in options)
    assert labels["H44.20"].startswith("Sở Văn hóa, Thể thao và Du lịch — 71,60 (#1)")


def test_a_units_name_keeps_its_full_stops_beside_a_vietnamese_total(scored):
    import polars as pl

    card = scored.scorecard.with_columns(
        pl.when(pl.col("unit_code") == "H44.20").then(pl.lit("TP. Việt Trì")).otherwise(pl.col("unit_name")).alias("unit_name"))
    labels = {code: label for label, code in explore.unit_options(card, "department")}
    assert labels["H44.20"] == "TP. Việt Trì — 71,60 (#1)"


def test_choosing_a_level_and_a_unit_redraws_the_view_for_that_unit(scored, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(explore, "unit_view", lambda card, detail, m, code, language: shown.append(code) or [])
    box = explore.unit_explorer(scored.scorecard, scored.detail, scored.methodology)
    level, unit = box.children[0].children
    assert level.value == "department" and len(unit.options) == 15
    first = unit.value
    level.value = "commune"
    assert len(unit.options) == 148
    unit.value = "H44.100"
    assert shown[0] == first and shown[-1] == "H44.100"


def test_the_view_of_a_unit_holds_its_groups_indicators_and_peers(scored):
    chart, indicators, peers = explore.unit_view(scored.scorecard, scored.detail, scored.methodology, "H44.100")
    assert chart.to_dict()["title"]["text"].startswith("Phường Việt Trì")
    assert "Tỷ lệ hồ sơ xử lý đúng hạn" in indicators.data
    assert "Trung vị cùng cấp" in peers.data
