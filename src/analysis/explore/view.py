"""What the explorer shows for a choice of controls (trạng thái → bảng): plain functions, no widgets.

:func:`prepare` turns a multi-period scored frame (the scorecard and indicator detail of several
periods, as :func:`analysis.scoring.score.score` returns them) into :class:`ExploreData`: every figure a
control can ask for, one row per period × unit × measure (the total, a group or an indicator),
split by period and measure so that a control change reads one small frame.

:func:`view_table` answers a :class:`State` (periods, level, parent, measure, metric, search,
filters, sort) with the table the explorer shows, the counts behind each figure included;
:func:`compare_periods` says who moved between two periods, by how much and which indicator
moved them.  Charts are in :mod:`analysis.explore.charts`, the drill-down in
:mod:`analysis.explore.drill`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from analysis.contract.periods import parse_period
from analysis.io.load import fold_text
from analysis.scoring import crosswalk
from analysis.scoring.methodology import Methodology

METRICS = ("score", "ratio", "lost", "change")
"""score (điểm), ratio (tỷ lệ), points lost (điểm bị mất = tối đa − điểm), change (thay đổi giữa hai kỳ)."""
TOTAL = "total"
VALUE_FILTERS = ("all", "zero", "nonzero", "none_counted")
"""Every value, value = 0, value ≠ 0, numerator = 0 (nothing counted: no dossier paid online, even out of none)."""
LEVELS = ("province", "department", "district", "commune")
TABLE_COLUMNS = (
    "rank", "unit_code", "unit_name", "parent", "former_district", "class", "total", "value", "score",
    "max_score", "ratio", "numerator", "denominator", "dossiers", "score_before", "change",
    "next_band", "to_next_band",
)
SORTABLE = ("value", "unit_name", "total", "score", "ratio", "numerator", "denominator", "dossiers", "change", "to_next_band")


@dataclass(frozen=True)
class ExploreData:
    """Everything the explorer reads, prepared once (see :func:`prepare`)."""

    scorecard: pl.DataFrame
    detail: pl.DataFrame
    methodology: Methodology
    units: pl.DataFrame
    """period × unit: name, level, parent, former district, class, total, dossiers, folded name for search."""
    figures: dict[tuple[str, str], pl.DataFrame]
    """(period, measure) → unit_code, score, max_score, ratio, numerator, denominator."""
    districts: pl.DataFrame
    periods: tuple[str, ...]

    def measures(self) -> list[str]:
        """``total``, the group codes, then the indicator ids in the methodology's order."""
        held = {m for _, m in self.figures}
        indicators = [i.id for i in self.methodology.indicators if i.id in held]
        return [TOTAL, *[g for g in self.methodology.group_codes if g in held], *indicators]


@dataclass(frozen=True)
class State:
    """The explorer's controls: what the view shows (one immutable value per control change)."""

    periods: tuple[str, ...]
    level: str
    parent: str = ""
    """``""`` every unit of the level; ``unit:CODE`` the children of a unit; ``district:NAME`` the communes of a former district."""
    measure: str = TOTAL
    metric: str = "score"
    search: str = ""
    near_band: float | None = None
    """Only units within this many points below the next class band (cách ngưỡng xếp loại trên)."""
    require: str = ""
    """Only units with something in this measure: a numerator above 0, or points where no counts are given (CLGQ)."""
    value_filter: str = "all"
    sort: str = "value"
    descending: bool = True
    unit: str | None = None
    language: str = "vi"

    def but(self, **changes: Any) -> State:
        """A copy with some controls changed."""
        return replace(self, **changes)

    @property
    def period(self) -> str:
        """The period shown (the latest chosen)."""
        return self.periods[-1]


def ordered_periods(periods: list[str]) -> tuple[str, ...]:
    """Periods without repeats, earliest first (by their first day, then their last)."""
    return tuple(sorted(set(periods), key=lambda p: (parse_period(p).start, parse_period(p).end)))


def prepare(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    districts: pl.DataFrame | None = None,
) -> ExploreData:
    """Index a multi-period scorecard and detail for the explorer.

    ``districts`` is :func:`analysis.scoring.crosswalk.former_districts` (``unit_code, former_district``);
    when not given it is worked out from the crosswalk and the top unit's name.
    """
    if districts is None:
        districts = _districts_of(scorecard)
    units = (
        scorecard.select(
            "period", "unit_code", "unit_name", "level", "parent_code", "class", "total", "dossiers", "active",
            *methodology.group_codes,
        )
        .join(districts.select("unit_code", "former_district"), on="unit_code", how="left")
        .with_columns(pl.col("unit_name").map_elements(fold_text, return_dtype=pl.String).alias("_folded"))
    )
    names = scorecard.select(pl.col("unit_code").alias("parent_code"), pl.col("unit_name").alias("parent")).unique("parent_code")
    units = units.join(names, on="parent_code", how="left")
    maxima = {g.code: float(g.max) for g in methodology.groups}
    totals = scorecard.select(
        "period", "unit_code", pl.lit(TOTAL).alias("measure"), pl.col("total").alias("score"),
        pl.lit(100.0).alias("max_score"), (pl.col("total") / 100).alias("ratio"),
        pl.lit(None, dtype=pl.Float64).alias("numerator"), pl.lit(None, dtype=pl.Float64).alias("denominator"),
    )
    groups = scorecard.unpivot(index=["period", "unit_code"], on=list(methodology.group_codes),
                               variable_name="measure", value_name="score").with_columns(
        pl.col("measure").replace_strict(maxima, return_dtype=pl.Float64).alias("max_score"),
    ).with_columns(
        (pl.col("score") / pl.col("max_score")).alias("ratio"),
        pl.lit(None, dtype=pl.Float64).alias("numerator"), pl.lit(None, dtype=pl.Float64).alias("denominator"),
    )
    indicators = detail.filter(~pl.col("indicator").is_in(list(methodology.group_codes))).select(
        "period", "unit_code", pl.col("indicator").alias("measure"), "score", "max_score", "ratio", "numerator", "denominator",
    )
    long = pl.concat([totals, groups.select(totals.columns), indicators], how="vertical_relaxed")
    figures = {key: frame.drop("period", "measure") for key, frame in long.partition_by(["period", "measure"], as_dict=True).items()}
    return ExploreData(scorecard, detail, methodology, units, figures, districts,
                       ordered_periods(scorecard["period"].unique().to_list()))


def _districts_of(scorecard: pl.DataFrame) -> pl.DataFrame:
    """Each commune's former district, from the crosswalk and the name of the top unit."""
    empty = pl.DataFrame(schema={"unit_code": pl.String, "former_district": pl.String})
    roots = scorecard.filter(pl.col("level") == "province")["unit_name"].unique().to_list()
    communes = scorecard.filter(pl.col("level") == "commune").select("unit_code", "unit_name", "level").unique("unit_code")
    if not roots or communes.is_empty():
        return empty
    table = crosswalk.read_ward_crosswalk()
    frames = [crosswalk.former_districts(communes, table, province_name=name).select("unit_code", "former_district") for name in roots]
    return pl.concat([empty, *frames]).unique("unit_code", keep="first")


# --------------------------------------------------------------------------------------------
# options of the controls


def levels(data: ExploreData, period: str) -> list[str]:
    """The levels held in a period, in the methodology's order."""
    held = set(data.units.filter(pl.col("period") == period)["level"].to_list())
    return [lv for lv in LEVELS if lv in held]


def parent_options(data: ExploreData, period: str, level: str) -> list[tuple[str, str]]:
    """(name, value) pairs for the parent control: the units above this level, then former districts."""
    rows = data.units.filter((pl.col("period") == period) & (pl.col("level") == level))
    parents = rows.filter(pl.col("parent_code").is_not_null()).select("parent_code", "parent").unique("parent_code").sort("parent")
    options = [(name or code, f"unit:{code}") for code, name in parents.iter_rows()]
    former = rows["former_district"].drop_nulls().unique().sort().to_list()
    return options + [(name, f"district:{name}") for name in former]


def previous_period(data: ExploreData, period: str) -> str | None:
    """The period held just before ``period`` (for the change when one period is chosen)."""
    earlier = [p for p in data.periods if p != period and data.periods.index(p) < data.periods.index(period)]
    return earlier[-1] if earlier else None


def base_period(data: ExploreData, state: State) -> str | None:
    """The period a change is measured from: the first chosen, or the one held before the shown one."""
    chosen = ordered_periods(list(state.periods))
    return chosen[0] if len(chosen) > 1 else previous_period(data, state.period)


# --------------------------------------------------------------------------------------------
# the table


def _empty_figures() -> pl.DataFrame:
    return pl.DataFrame(schema={"unit_code": pl.String, "score": pl.Float64, "max_score": pl.Float64, "ratio": pl.Float64,
                                "numerator": pl.Float64, "denominator": pl.Float64})


def figures_of(data: ExploreData, period: str | None, measure: str) -> pl.DataFrame:
    """unit_code, score, max_score, ratio, numerator, denominator of one measure in one period."""
    if period is None:
        return _empty_figures()
    return data.figures.get((period, measure), _empty_figures())


def next_band(total: pl.Expr, methodology: Methodology) -> tuple[pl.Expr, pl.Expr]:
    """The next class band above ``total`` (its class code) and the points still missing to reach it."""
    bands = sorted(methodology.classes, key=lambda b: b.min)
    name: pl.Expr = pl.lit(None, dtype=pl.String)
    gap: pl.Expr = pl.lit(None, dtype=pl.Float64)
    for band in reversed(bands):
        above = total < band.min
        name = pl.when(above).then(pl.lit(band.code)).otherwise(name)
        gap = pl.when(above).then((pl.lit(float(band.min)) - total).round(2)).otherwise(gap)
    return name, gap


def _metric_value(metric: str) -> pl.Expr:
    if metric == "score":
        return pl.col("score")
    if metric == "ratio":
        return pl.col("ratio")
    if metric == "lost":
        return (pl.col("max_score") - pl.col("score")).round(2)
    if metric == "change":
        return pl.col("change")
    raise ValueError(f"unknown metric {metric!r} (one of {', '.join(METRICS)})")


def units_in_scope(data: ExploreData, state: State) -> pl.DataFrame:
    """The units of the shown period, level and parent that match the search box."""
    rows = data.units.filter((pl.col("period") == state.period) & (pl.col("level") == state.level))
    kind, _, key = state.parent.partition(":")
    if kind == "unit":
        rows = rows.filter(pl.col("parent_code") == key)
    elif kind == "district":
        rows = rows.filter(pl.col("former_district") == key)
    if state.search.strip():
        rows = rows.filter(pl.col("_folded").str.contains(fold_text(state.search.strip()), literal=True))
    return rows


def view_table(data: ExploreData, state: State) -> pl.DataFrame:
    """The explorer's table for a state: one row per unit, the chosen figure as ``value`` with its counts.

    ``change`` is the figure's score now minus in the base period (:func:`base_period`);
    missing stays missing (a unit without the indicator has no value, never zero).  ``rank`` is
    the unit's place by ``value`` among the units shown, largest first (for points lost: most lost first).
    """
    if state.metric not in METRICS:
        raise ValueError(f"unknown metric {state.metric!r} (one of {', '.join(METRICS)})")
    rows = units_in_scope(data, state)
    now = figures_of(data, state.period, state.measure)
    before = figures_of(data, base_period(data, state), state.measure).select(
        "unit_code", pl.col("score").alias("score_before"))
    band_name, band_gap = next_band(pl.col("total"), data.methodology)
    table = (
        rows.join(now, on="unit_code", how="left")
        .join(before, on="unit_code", how="left")
        .with_columns((pl.col("score") - pl.col("score_before")).round(2).alias("change"),
                      band_name.alias("next_band"), band_gap.alias("to_next_band"))
        .with_columns(_metric_value(state.metric).alias("value"))
    )
    if state.require:
        held = (pl.col("numerator") > 0) | (pl.col("numerator").is_null() & (pl.col("score") > 0))
        active = figures_of(data, state.period, state.require).filter(held).select("unit_code")
        table = table.join(active, on="unit_code", how="semi")
    if state.near_band is not None:
        table = table.filter(pl.col("to_next_band") <= state.near_band)
    if state.value_filter == "zero":
        table = table.filter(pl.col("value") == 0)
    elif state.value_filter == "nonzero":
        table = table.filter(pl.col("value") != 0)
    elif state.value_filter == "none_counted":
        table = table.filter(pl.col("numerator") == 0)
    elif state.value_filter != "all":
        raise ValueError(f"unknown value filter {state.value_filter!r} (one of {', '.join(VALUE_FILTERS)})")
    table = table.with_columns(pl.col("value").rank("min", descending=True).cast(pl.Int32).alias("rank"))
    sort = state.sort if state.sort in SORTABLE else "value"
    return table.sort([sort, "unit_name"], descending=[state.descending, False], nulls_last=True).select(TABLE_COLUMNS)


def near_next_band(data: ExploreData, state: State, points: float) -> pl.DataFrame:
    """Units within ``points`` below the next class band, closest first (sát ngưỡng xếp loại trên)."""
    return view_table(data, state.but(near_band=points, sort="to_next_band", descending=False))


# --------------------------------------------------------------------------------------------
# two periods


def compare_periods(data: ExploreData, state: State, first: str, second: str) -> pl.DataFrame:
    """Who moved between two periods, by how much, and the indicator that moved each most.

    One row per unit in scope held in both periods: totals, classes and ranks then and now, the
    change in points, and ``moved_by`` — the indicator whose points changed most in the
    direction of the total's change (``moved_by_change`` its change).  Largest moves first.
    """
    scope = units_in_scope(data, state.but(periods=(second,))).select("unit_code", "unit_name")
    cards = data.scorecard.select("period", "unit_code", "total", "class", "rank")
    then = cards.filter(pl.col("period") == first).drop("period").rename({"total": "total_before", "class": "class_before", "rank": "rank_before"})
    now = cards.filter(pl.col("period") == second).drop("period")
    moved = scope.join(then, on="unit_code", how="inner").join(now, on="unit_code", how="inner").with_columns(
        (pl.col("total") - pl.col("total_before")).round(2).alias("change"),
        (pl.col("rank_before") - pl.col("rank")).alias("places_up"),
    )
    cells = data.detail.filter(pl.col("period").is_in([first, second]) & pl.col("unit_code").is_in(moved["unit_code"].implode()))
    wide = cells.pivot(on="period", index=["unit_code", "indicator"], values="score")
    if first not in wide.columns or second not in wide.columns:
        return moved.with_columns(pl.lit(None, dtype=pl.String).alias("moved_by"),
                                  pl.lit(None, dtype=pl.Float64).alias("moved_by_change"))
    steps = wide.select("unit_code", "indicator", (pl.col(second) - pl.col(first)).round(2).alias("step")).drop_nulls("step")
    direction = moved.select("unit_code", pl.col("change").sign().alias("_sign"))
    top = (
        steps.join(direction, on="unit_code").filter(pl.col("step") != 0)
        .with_columns(pl.when(pl.col("_sign") == 0).then(pl.col("step").abs()).otherwise(pl.col("step") * pl.col("_sign")).alias("_weight"))
        .sort(["unit_code", "_weight", "indicator"], descending=[False, True, False])
        .group_by("unit_code", maintain_order=True).first()
        .select("unit_code", pl.col("indicator").alias("moved_by"), pl.col("step").alias("moved_by_change"))
    )
    return moved.join(top, on="unit_code", how="left").sort(
        pl.col("change").abs(), "unit_name", descending=[True, False], nulls_last=True)
