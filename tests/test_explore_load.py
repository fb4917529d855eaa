"""The explore notebook's data: the facts file, the history files and a history store's periods."""

from __future__ import annotations

import datetime

import pytest

from analysis.explore import load
from analysis.params import ParameterError, validate_notebook_parameters
from analysis.paths import BUNDLED_FACTS
from analysis.scoring import history
from tests.test_explore_view import CHANGED_COMMUNE, july_from_august


def parameters(**extra):
    return validate_notebook_parameters(scope="H44", scope_slug="phu-tho", period="2026-08", facts=str(BUNDLED_FACTS), **extra)


def test_one_file_gives_one_period():
    data = load.from_parameters(parameters())
    assert data.periods == ("2026-08",)
    assert data.units.filter(data.units["level"] == "commune").height == 148


def test_history_files_add_their_periods(bundled_facts, tmp_path):
    july = tmp_path / "july.csv"
    july_from_august(bundled_facts).write_csv(july)
    data = load.from_parameters(parameters(history=str(july)))
    assert data.periods == ("2026-07", "2026-08")
    card = data.scorecard.filter(data.scorecard["unit_code"] == CHANGED_COMMUNE).sort("period")
    assert card["delta_total"].to_list()[1] == pytest.approx(card["total"][1] - card["total"][0], abs=0.005)


def test_a_history_stores_periods_are_read(bundled_facts, tmp_path):
    store = tmp_path / "history"
    history.add(store, july_from_august(bundled_facts), as_of=datetime.date(2026, 8, 5), source="portal")
    data = load.from_parameters(parameters(), store=str(store))
    assert data.periods == ("2026-07", "2026-08")
    assert ("2026-07", "SO_HOA_GIAY_TO_GIAI_QUYET") in data.figures


@pytest.mark.parametrize("where", ["no-such-folder", "data"])
def test_a_store_that_is_not_one_is_named(where):
    with pytest.raises(ParameterError) as raised:
        load.from_parameters(parameters(), store=where)
    assert "store" in str(raised.value) and where in str(raised.value)
