"""A unit's drill-down (chi tiết đơn vị) and the explorer's tables as a reader sees them.

:func:`drilldown` gathers, for one unit: its groups against their maxima, its indicators with
their counts, its history over the periods held, and its peers (the communes of its former
district, its level, the province).  :func:`display_view` and :func:`display_compare` turn the
frames of :mod:`analysis.explore.view` into Vietnamese (or English) text columns, numbers
written ``77,59`` and ``12.135``, missing shown as ``-`` (never 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.explore.charts import measure_name, word
from analysis.explore.view import ExploreData, State
from analysis.report import formatting as fmt
from analysis.report import tables
from analysis.report.messages import text, words
from analysis.scoring import crosswalk
from analysis.scoring.methodology import Methodology


@dataclass(frozen=True)
class Drill:
    """What the explorer shows for one unit (chi tiết một đơn vị)."""

    unit_code: str
    unit_name: str
    period: str
    groups: pl.DataFrame
    indicators: pl.DataFrame
    history: pl.DataFrame
    peers: pl.DataFrame
    peer_codes: list[str] | None


def drilldown(data: ExploreData, unit_code: str, period: str, language: str = "vi") -> Drill:
    """Groups, indicators with counts, history over the periods held and peers of one unit in a period."""
    card = data.scorecard.filter(pl.col("period") == period)
    row = card.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        raise KeyError(f"unit {unit_code} is not held in {period}")
    detail = data.detail.filter(pl.col("period") == period)
    groups = tables.group_table(card, data.methodology, unit_code, language)
    indicators = tables.indicator_table(detail, data.methodology, unit_code, language)
    history = data.scorecard.filter(pl.col("unit_code") == unit_code).select(
        "period", "unit_name", "total", "class", "rank", "rank_of", "delta_total", *data.methodology.group_codes,
    )
    history = history.sort(pl.col("period").replace_strict({p: i for i, p in enumerate(data.periods)}, default=None))
    peer_codes = crosswalk.district_peers(data.districts, unit_code)
    peers = tables.peer_table(card, data.methodology, unit_code, peers=peer_codes, language=language)
    return Drill(unit_code, row["unit_name"].item(), period, groups, indicators, history, peers, peer_codes)


def display_groups(groups: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`analysis.report.tables.group_table` for the reader."""
    head = words("explore.groups_header", language)
    return groups.select(
        pl.col("name").alias(head["group"]),
        pl.struct("score", "max").map_elements(
            lambda r: f"{fmt.number(r['score'], 2, language)}/{fmt.number(r['max'], 0, language)}", return_dtype=pl.String
        ).alias(head["score"]),
        pl.col("share").map_elements(lambda v: fmt.percent(v, 1, language), return_dtype=pl.String).alias(head["share"]),
        pl.col("lost").map_elements(lambda v: fmt.number(v, 2, language), return_dtype=pl.String).alias(head["lost"]),
    )


def display_history(history: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """A unit's totals, classes and ranks over the periods held."""
    return history.select(
        pl.col("period").alias(text("explore.history_period", language)),
        pl.col("total").map_elements(lambda v: fmt.number(v, 2, language), return_dtype=pl.String).alias(fmt.label("total", language)),
        fmt.class_column(methodology, language).fill_null("-").alias(fmt.label("class", language)),
        pl.struct("rank", "rank_of").map_elements(lambda r: f"{r['rank']}/{r['rank_of']}", return_dtype=pl.String).alias(fmt.label("rank", language)),
        pl.col("delta_total").map_elements(lambda v: fmt.signed(v, 2, language), return_dtype=pl.String).alias(fmt.label("change", language)),
    ).with_columns(pl.all().fill_null("-"))


def _num(column: str, decimals: int, language: str) -> pl.Expr:
    return pl.col(column).map_elements(lambda v: fmt.number(v, decimals, language), return_dtype=pl.String)


def view_headers(data: ExploreData, state: State) -> dict[str, str]:
    """The reader's header of each column of :func:`display_view`."""
    head = words("explore.view_header", state.language)
    figure = measure_name(data, state.measure, state.language)
    return {
        "rank": "#", "unit_name": fmt.label("unit", state.language), "class": fmt.label("class", state.language),
        "total": fmt.label("total", state.language), "value": f"{figure}: {word(state.metric, state.language).lower()}",
        "score": head["score"], "ratio": head["ratio"],
        "numerator": fmt.label("numerator", state.language), "denominator": fmt.label("denominator", state.language),
        "dossiers": fmt.label("dossiers", state.language), "change": fmt.label("change", state.language),
        "to_next_band": head["to_next_band"], "former_district": head["former_district"],
    }


def display_view(data: ExploreData, state: State, table: pl.DataFrame) -> pl.DataFrame:
    """The explorer's table as shown: one text column per figure, the counts behind it beside it."""
    language = state.language
    headers = view_headers(data, state)
    value = (pl.col("value").map_elements(lambda v: fmt.percent(v, 1, language), return_dtype=pl.String)
             if state.metric == "ratio" else _num("value", 2, language))
    score = pl.struct("score", "max_score").map_elements(
        lambda r: f"{fmt.number(r['score'], 2, language)}/{fmt.number(r['max_score'], 0, language, trim=True)}"
        if r["score"] is not None else None, return_dtype=pl.String)
    band = pl.struct(gap="to_next_band", name=fmt.class_column(data.methodology, language, "next_band")).map_elements(
        lambda r: f"{fmt.number(r['gap'], 2, language)} → {r['name']}" if r["name"] else None,
        return_dtype=pl.String)
    shown = table.select(
        pl.col("rank").cast(pl.String).alias(headers["rank"]),
        pl.col("unit_name").alias(headers["unit_name"]),
        pl.col("former_district").alias(headers["former_district"]),
        fmt.class_column(data.methodology, language).alias(headers["class"]),
        value.alias(headers["value"]),
        score.alias(headers["score"]),
        pl.col("ratio").map_elements(lambda v: fmt.percent(v, 1, language), return_dtype=pl.String).alias(headers["ratio"]),
        pl.col("numerator").map_elements(lambda v: fmt.integer(v, language), return_dtype=pl.String).alias(headers["numerator"]),
        pl.col("denominator").map_elements(lambda v: fmt.integer(v, language), return_dtype=pl.String).alias(headers["denominator"]),
        pl.col("dossiers").map_elements(lambda v: fmt.integer(v, language), return_dtype=pl.String).alias(headers["dossiers"]),
        pl.col("change").map_elements(lambda v: fmt.signed(v, 2, language), return_dtype=pl.String).alias(headers["change"]),
        band.alias(headers["to_next_band"]),
    )
    return shown.with_columns(pl.all().fill_null("-"))


def display_compare(data: ExploreData, moved: pl.DataFrame, first: str, second: str, language: str = "vi") -> pl.DataFrame:
    """:func:`analysis.explore.view.compare_periods` for the reader."""
    head = words("explore.compare_header", language)
    names = {i.id: fmt.indicator_name(data.methodology, i.id, language) for i in data.methodology.indicators}
    names.update({g: fmt.group_name(data.methodology, g, language) for g in data.methodology.group_codes})
    return moved.select(
        pl.col("unit_name").alias(fmt.label("unit", language)),
        _num("total_before", 2, language).alias(f"{fmt.label('total', language)} {first}"),
        _num("total", 2, language).alias(f"{fmt.label('total', language)} {second}"),
        pl.col("change").map_elements(lambda v: fmt.signed(v, 2, language), return_dtype=pl.String).alias(fmt.label("change", language)),
        pl.format("{} → {}", fmt.class_column(data.methodology, language, "class_before"),
                  fmt.class_column(data.methodology, language)).alias(fmt.label("class", language)),
        pl.format("{} → {}", pl.col("rank_before"), pl.col("rank")).alias(fmt.label("rank", language)),
        pl.col("moved_by").replace_strict(names, default=pl.col("moved_by")).alias(head["moved_by"]),
        pl.col("moved_by_change").map_elements(lambda v: fmt.signed(v, 2, language), return_dtype=pl.String).alias(head["moved_by_change"]),
    ).with_columns(pl.all().fill_null("-"))
