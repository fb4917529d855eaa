"""The explorer's callbacks as plain functions: a state in, frames and chart specs out.

Two periods: the bundled real August 2026 and a July built here from it by changing counts
(one commune digitised half as many results, one department lost its online payments).
"""

from __future__ import annotations

import altair as alt
import polars as pl
import pytest

from analysis.explore import charts as echarts
from analysis.explore import drill, view
from analysis.io.load import fold_text
from analysis.report.formatting import indicator_name
from analysis.scoring.score import score

CHANGED_COMMUNE = "H44.100"  # Phường Việt Trì
CHANGED_DEPARTMENT = "H44.20"


def july_from_august(facts: pl.DataFrame) -> pl.DataFrame:
    """A second period: August's counts, except two units' (so exactly those move)."""
    halve = (pl.col("unit_code") == CHANGED_COMMUNE) & (pl.col("indicator") == "SO_HOA_GIAY_TO_GIAI_QUYET")
    return facts.with_columns(
        pl.lit("2026-07").alias("period"),
        pl.when(halve).then((pl.col("numerator") / 2).floor()).otherwise(pl.col("numerator")).alias("numerator"),
    )


@pytest.fixture(scope="module")
def scored(bundled_facts):
    return score(pl.concat([bundled_facts, july_from_august(bundled_facts)]))


@pytest.fixture(scope="module")
def data(scored):
    return view.prepare(scored.scorecard, scored.detail, scored.methodology)


@pytest.fixture()
def state():
    return view.State(periods=("2026-08",), level="commune")


def card(scored, period="2026-08"):
    return scored.scorecard.filter(pl.col("period") == period)


def test_the_periods_are_held_in_order_with_every_measure(data):
    assert data.periods == ("2026-07", "2026-08")
    measures = data.measures()
    assert measures[:7] == ["total", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    assert "SO_HOA_GIAY_TO_GIAI_QUYET" in measures and "CLGQ" not in measures[7:]


def test_the_total_score_ranks_every_commune_best_first(data, scored, state):
    table = view.view_table(data, state)
    communes = card(scored).filter(pl.col("level") == "commune")
    assert table.height == communes.height == 148
    expected = dict(communes.select("unit_code", "total").iter_rows())
    assert all(expected[code] == value for code, value in table.select("unit_code", "value").iter_rows())
    assert table["value"].to_list() == sorted(table["value"].to_list(), reverse=True)
    assert table["rank"][0] == 1 and table["value"][0] == communes["total"].max()


def test_points_lost_in_a_group_are_its_maximum_minus_its_score(data, scored, state):
    table = view.view_table(data, state.but(measure="MDSH", metric="lost"))
    scores = dict(card(scored).select("unit_code", "MDSH").iter_rows())
    for code, value in table.select("unit_code", "value").iter_rows():
        assert value == pytest.approx(22 - scores[code], abs=1e-9)
    assert table["value"][0] == max(table["value"]) and table["rank"][0] == 1  # most lost first


def test_an_indicators_ratio_comes_with_the_counts_behind_it(data, bundled_facts, state):
    table = view.view_table(data, state.but(measure="ON_TIME", metric="ratio"))
    facts = bundled_facts.filter(pl.col("indicator") == "ON_TIME").select("unit_code", "numerator", "denominator")
    joined = table.join(facts, on="unit_code", suffix="_facts")
    assert joined.height == 148
    assert (joined["numerator"] == joined["numerator_facts"]).all()
    assert (joined["denominator"] == joined["denominator_facts"]).all()
    assert ((joined["value"] - joined["numerator"] / joined["denominator"]).abs() < 1e-12).all()


def test_missing_stays_missing_never_zero(data, state):
    # most communes had no petitions in August: no satisfaction ratio, which is not a 0 %
    s = state.but(measure="PETITION_HANDLING_SATISFACTION", metric="ratio")
    table = view.view_table(data, s)
    without = table.filter(pl.col("denominator") == 0)
    assert without.height > 100 and without["value"].null_count() == without.height
    assert table["value"].null_count() == without.height
    assert table["value"].tail(without.height).null_count() == without.height  # last, not ranked as zeros
    shown = drill.display_view(data, s, table)
    assert set(shown[shown.columns[4]].tail(without.height).to_list()) == {"-"}


def test_change_is_against_the_first_chosen_period_or_the_one_held_before(data, scored, state):
    both = view.view_table(data, state.but(periods=("2026-07", "2026-08"), measure="MDSH", metric="change"))
    one = view.view_table(data, state.but(measure="MDSH", metric="change"))
    assert both.select("unit_code", "value").equals(one.select("unit_code", "value"))
    moved = both.filter(pl.col("value") != 0)
    assert moved["unit_code"].to_list() == [CHANGED_COMMUNE]
    before = card(scored, "2026-07").filter(pl.col("unit_code") == CHANGED_COMMUNE)["MDSH"].item()
    after = card(scored).filter(pl.col("unit_code") == CHANGED_COMMUNE)["MDSH"].item()
    assert moved["value"].item() == pytest.approx(after - before) and after > before
    first_only = view.view_table(data, state.but(periods=("2026-07",), metric="change"))
    assert first_only["value"].null_count() == first_only.height  # nothing held before July


def test_parent_is_a_unit_or_a_former_district_from_the_crosswalk(data, state):
    options = dict((value, name) for name, value in view.parent_options(data, "2026-08", "commune"))
    assert options["unit:H44"] == "UBND tỉnh Phú Thọ"
    former = [v for v in options if v.startswith("district:")]
    assert "district:Thành phố Việt Trì" in former
    in_district = view.view_table(data, state.but(parent="district:Thành phố Việt Trì"))
    assert CHANGED_COMMUNE in in_district["unit_code"].to_list()
    assert set(in_district["former_district"]) == {"Thành phố Việt Trì"}
    assert 0 < in_district.height < 148
    assert sum(view.view_table(data, state.but(parent=v)).height for v in former) == view.view_table(
        data, state.but(parent="unit:H44")).filter(pl.col("former_district").is_not_null()).height


def test_search_ignores_case_and_tone_marks(data, state):
    table = view.view_table(data, state.but(search="viet tri"))
    assert "Phường Việt Trì" in " ".join(table["unit_name"].to_list())
    assert all("viet tri" in fold_text(n) for n in table["unit_name"])


def test_units_within_n_points_of_the_next_class_band(data, scored, state):
    near = view.near_next_band(data, state, 2.0)
    mins = sorted(b.min for b in scored.methodology.classes)
    communes = card(scored).filter(pl.col("level") == "commune")
    expected = {code for code, total in communes.select("unit_code", "total").iter_rows()
                if any(0 < m - total <= 2.0 for m in mins) and min(m for m in mins if m > total) - total <= 2.0}
    assert set(near["unit_code"]) == expected and expected
    assert near["to_next_band"].to_list() == sorted(near["to_next_band"].to_list())


def test_units_with_online_services_but_no_online_payment(data, scored, bundled_facts, state):
    s = state.but(level="department", measure="PAYMENT_DOSSIER", metric="ratio", require="CLGQ", value_filter="none_counted")
    table = view.view_table(data, s)
    online = set(card(scored).filter((pl.col("level") == "department") & (pl.col("CLGQ") > 0))["unit_code"])
    unpaid = set(bundled_facts.filter((pl.col("indicator") == "PAYMENT_DOSSIER") & (pl.col("numerator") == 0))["unit_code"])
    assert set(table["unit_code"]) == online & unpaid
    assert table.height >= 3 and "H44.08" in table["unit_code"].to_list()  # Sở Giáo dục và Đào tạo
    assert table["value"].null_count() == table.filter(pl.col("denominator") == 0).height  # 0 of 0 is not 0 %
    with pytest.raises(ValueError, match="unknown value filter"):
        view.view_table(data, s.but(value_filter="some"))


def test_two_periods_say_who_moved_by_how_much_and_which_indicator(data, scored, state):
    moved = view.compare_periods(data, state, "2026-07", "2026-08")
    assert moved.height == 148
    top = moved.row(0, named=True)
    assert top["unit_code"] == CHANGED_COMMUNE and top["moved_by"] == "SO_HOA_GIAY_TO_GIAI_QUYET"
    assert top["change"] > 0 and top["moved_by_change"] > 0
    assert moved.filter(pl.col("unit_code") != CHANGED_COMMUNE)["change"].abs().max() == 0
    shown = drill.display_compare(data, moved.head(1), "2026-07", "2026-08")
    assert shown.row(0)[6] == indicator_name(data.methodology, "SO_HOA_GIAY_TO_GIAI_QUYET")
    assert shown.row(0)[3].startswith("+") and "," in shown.row(0)[3]


def test_an_unknown_metric_is_refused(data, state):
    with pytest.raises(ValueError, match="unknown metric"):
        view.view_table(data, state.but(metric="median"))


def test_sorting_by_a_column_either_way(data, state):
    up = view.view_table(data, state.but(sort="dossiers", descending=False))
    values = up["dossiers"].drop_nulls().to_list()
    assert values == sorted(values)
    by_name = view.view_table(data, state.but(sort="unit_name", descending=False))
    assert by_name["unit_name"].to_list() == sorted(by_name["unit_name"].to_list())


def test_the_table_as_shown_is_vietnamese_with_its_counts(data, state):
    s = state.but(measure="ON_TIME", metric="ratio", search="việt trì")
    shown = drill.display_view(data, s, view.view_table(data, s))
    row = dict(zip(shown.columns, shown.row(0), strict=False))
    assert row["Tỷ lệ"].endswith("%") and "," in row["Tỷ lệ"]
    assert row["Tử số"].replace(".", "").isdigit() and row["Mẫu số"].replace(".", "").isdigit()
    assert "." in row["Mẫu số"] or int(row["Mẫu số"]) < 1000


def test_the_ranked_chart_draws_the_first_rows_with_the_class_bands(data, state):
    table = view.view_table(data, state)
    spec = echarts.ranked_chart(data, state, table)
    alt.LayerChart.from_dict(spec)  # a valid Vega-Lite spec
    rows = spec["datasets"][echarts.ROWS]
    assert len(rows) == echarts.RANKED_ROWS and rows[0]["unit_code"] == table["unit_code"][0]
    assert len(spec["layer"]) == 2 and spec["layer"][0]["mark"]["type"] == "rect"  # the bands behind
    assert [p["name"] for p in spec["params"]] == [echarts.PICK]
    assert "148" in " ".join(spec["title"]["subtitle"])
    other = echarts.ranked_chart(data, state.but(measure="MDSH", metric="lost"), view.view_table(data, state.but(measure="MDSH", metric="lost")))
    assert len(other["layer"]) == 1 and other["title"]["text"].startswith("Xếp hạng: Số hóa hồ sơ")


def test_the_distribution_counts_every_unit_with_a_value(data, state):
    table = view.view_table(data, state)
    spec = echarts.distribution_chart(data, state, table)
    alt.LayerChart.from_dict(spec)
    rows = spec["datasets"][echarts.ROWS]
    assert sum(r["count"] for r in rows if r["kind"] == "bin") == 148
    (median,) = [r for r in rows if r["kind"] == "median"]
    assert median["start"] == pytest.approx(table["value"].median())


def test_a_units_drill_down(data, scored):
    found = drill.drilldown(data, CHANGED_COMMUNE, "2026-08")
    assert found.groups["score"].sum() == pytest.approx(card(scored).filter(pl.col("unit_code") == CHANGED_COMMUNE)["total"].item(), abs=0.02)
    on_time = found.indicators.filter(pl.col("indicator") == "ON_TIME").row(0, named=True)
    assert on_time["numerator"] > 0 and on_time["denominator"] >= on_time["numerator"]
    assert found.history["period"].to_list() == ["2026-07", "2026-08"]
    assert CHANGED_COMMUNE in found.peer_codes and len(found.peer_codes) > 1
    assert "peers_median" in found.peers.columns
    spec = echarts.history_chart(data, found.history).to_dict()
    assert [r["period"] for r in next(iter(spec["datasets"].values()))] == ["2026-07", "2026-08"]
    with pytest.raises(KeyError):
        drill.drilldown(data, "H44.999", "2026-08")
