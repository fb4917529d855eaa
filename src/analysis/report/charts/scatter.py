"""Two indicators' ratios per unit (so sánh hai chỉ số): who does one and not the other."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.charts.encodings import (
    absent_level,
    highlight_name,
    js,
    level_rows,
    matches,
    missing_chart,
    reference_row,
    search_param,
    with_short_names,
    word,
)
from analysis.report.charts.theme import HIGHLIGHT_COLOUR, QUADRANT_COLOURS, REFERENCE_COLOUR, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language
from analysis.scoring.methodology import Methodology, load_methodology

LABEL_ALL = 20
"""A scatter names every point of a level with at most this many units (else this many points)."""

def _ratios(detail: pl.DataFrame, indicator: str, prefix: str) -> pl.DataFrame:
    """One indicator's ratio, numerator and denominator per unit, as ``x``, ``x_num``, ``x_den``."""
    return detail.filter(pl.col("indicator") == indicator).select(
        "unit_code",
        pl.col("ratio").alias(prefix),
        pl.col("numerator").alias(f"{prefix}_num"),
        pl.col("denominator").alias(f"{prefix}_den"),
    )


def _lacking_chart(joined: pl.DataFrame, x: str, y: str, level: str, methodology: Methodology,
                   language: str) -> TopLevel:
    """The chart's place when the source lacks one of the indicators for this level (the portal
    publishes some for the province only; a source of published group scores has none)."""
    lacking = [i for i, part in ((x, joined["x"]), (y, joined["y"])) if part.null_count() == part.len()] or [x, y]
    names = " / ".join(f"“{fmt.indicator_name(methodology, i, language)}”" for i in lacking)
    sentence = word("scatter_missing", language, names=names, level=fmt.level_name(level, language).lower())
    return missing_chart(f"{word('title_scatter', language)}: {fmt.level_name(level, language)}", sentence, language)


def _reference_line(indicator: str, given: float | None, ratios: pl.DataFrame, joined: pl.DataFrame,
                    parent: dict[str, Any] | None, methodology: Methodology, language: str) -> tuple[float, str]:
    """Where an axis' reference line is, and what it is: the given target, else the indicator's
    own target, else the province's ratio, else the median of the units."""
    if given is not None:
        return float(given), word("target", language)
    try:
        own = methodology.indicator(indicator).target
    except KeyError:
        own = None
    if own:
        return float(own), word("target", language)
    prefix = ratios.columns[1]
    if parent is not None:
        ratio = ratios.filter(pl.col("unit_code") == parent["unit_code"]).get_column(prefix)
        if ratio.len() and ratio.item(0) is not None:
            return float(ratio.item(0)), word("province_reference", language)
    median = joined.select(pl.col(prefix).median()).item()
    return float(median or 0.0), word("median", language)


def _quadrants(x_name: str, y_name: str, language: str) -> list[str]:
    """Both at or above the lines, only x, only y, both below."""
    return [word("quadrants.both_high", language),
            word("quadrants.one_only", language, name=_short_indicator(x_name)),
            word("quadrants.one_only", language, name=_short_indicator(y_name)),
            word("quadrants.both_low", language)]


def _with_quadrants(joined: pl.DataFrame, tx: float, ty: float, quadrants: list[str]) -> pl.DataFrame:
    return joined.drop_nulls(["x", "y"]).with_columns(
        pl.when((pl.col("x") >= tx) & (pl.col("y") >= ty)).then(pl.lit(quadrants[0]))
        .when(pl.col("x") >= tx).then(pl.lit(quadrants[1]))
        .when(pl.col("y") >= ty).then(pl.lit(quadrants[2]))
        .otherwise(pl.lit(quadrants[3])).alias("quadrant"),
        pl.col("dossiers").fill_null(0),
    ).select("unit", "unit_name", "x", "x_num", "x_den", "y", "y_num", "y_den", "dossiers", "quadrant")


def _scatter_tooltip(x_name: str, y_name: str, language: str) -> list[alt.Tooltip]:
    numerator, denominator = word("numerator", language).lower(), word("denominator", language).lower()
    return [
        alt.Tooltip("unit_name:N", title=word("unit", language)),
        alt.Tooltip("x:Q", title=x_name, format=".2%"),
        alt.Tooltip("x_num:Q", title=f"{x_name}: {numerator}", format=",.0f"),
        alt.Tooltip("x_den:Q", title=f"{x_name}: {denominator}", format=",.0f"),
        alt.Tooltip("y:Q", title=y_name, format=".2%"),
        alt.Tooltip("y_num:Q", title=f"{y_name}: {numerator}", format=",.0f"),
        alt.Tooltip("y_den:Q", title=f"{y_name}: {denominator}", format=",.0f"),
        alt.Tooltip("dossiers:Q", title=word("dossiers", language), format=",.0f"),
        alt.Tooltip("quadrant:N", title=word("quadrant", language)),
    ]


def _bubbles(data: pl.DataFrame, quadrants: list[str], scales: tuple[alt.Scale, alt.Scale],
             names: tuple[str, str], tooltip: list[alt.Tooltip], params: tuple[alt.Parameter, alt.Parameter],
             language: str) -> alt.Chart:
    """A bubble per unit sized by its dossiers, coloured by quadrant (a legend click picks one out)."""
    search, pick = params
    return alt.Chart(data).mark_circle(stroke="white", strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=scales[0], title=names[0], axis=alt.Axis(format=".0%")),
        y=alt.Y("y:Q", scale=scales[1], title=names[1], axis=alt.Axis(format=".0%")),
        size=alt.Size("dossiers:Q", title=word("dossiers", language),
                      scale=alt.Scale(type="sqrt", range=[12, 450]),
                      legend=alt.Legend(format=",.0f", symbolType="circle", orient="right",
                                        direction="vertical", columns=1, tickCount=4)),
        color=alt.Color("quadrant:N", title=word("quadrant", language),
                        scale=alt.Scale(domain=quadrants, range=QUADRANT_COLOURS),
                        legend=alt.Legend(symbolType="circle", columns=1, labelLimit=420)),
        opacity=alt.condition(pick, alt.value(0.75), alt.value(0.12)),
        order=alt.Order("dossiers:Q", sort="descending"),
        tooltip=tooltip,
    ).add_params(search, pick)


def _found_names(data: pl.DataFrame, scales: tuple[alt.Scale, alt.Scale], search: alt.Parameter,
                 highlighted: str | None, tooltip: list[alt.Tooltip]) -> alt.Chart:
    """The names of the units the search box finds, and of the highlighted unit."""
    found = f"({search.name} !== '' && {matches(search)})"
    if highlighted:
        found = f"({found} || datum.unit === {js(highlighted)})"
    return alt.Chart(data).transform_filter(found).mark_text(
        align="left", dx=7, dy=-7, fontSize=11, fontWeight="bold", color=HIGHLIGHT_COLOUR,
    ).encode(x=alt.X("x:Q", scale=scales[0]), y=alt.Y("y:Q", scale=scales[1]), text="unit:N",
             tooltip=tooltip)


def _point_names(data: pl.DataFrame, lowest: str, x_scale: alt.Scale, y_scale: alt.Scale) -> alt.Chart:
    """Names on the points themselves, so an exported picture says who is where: every unit of a
    small level, else the units below both lines (quadrant ``lowest``) with the most dossiers."""
    labelled = data if data.height <= LABEL_ALL else data.filter(pl.col("quadrant") == lowest).sort(
        "dossiers", descending=True).head(LABEL_ALL)
    return alt.Chart(labelled).mark_text(align="left", dx=6, dy=-5, fontSize=9, color="#333").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="unit:N")


def _line_layers(lines: pl.DataFrame, scales: tuple[alt.Scale, alt.Scale], language: str) -> list[alt.Chart]:
    """The two dashed reference lines (x, y) and their labels: [vline, hline, vtext, htext]."""
    x_scale, y_scale = scales
    title = word("quadrants.line", language)
    chart = alt.Chart(lines)
    on_x, on_y = "datum.axis === 'x'", "datum.axis === 'y'"
    vline = chart.transform_filter(on_x).mark_rule(strokeDash=[5, 3], color=REFERENCE_COLOUR).encode(
        x=alt.X("value:Q", scale=x_scale), tooltip=[alt.Tooltip("text:N", title=title)])
    hline = chart.transform_filter(on_y).mark_rule(strokeDash=[5, 3], color=REFERENCE_COLOUR).encode(
        y=alt.Y("value:Q", scale=y_scale), tooltip=[alt.Tooltip("text:N", title=title)])
    vtext = chart.transform_filter(on_x).mark_text(
        align="left", dx=4, baseline="bottom", dy=-4, fontSize=10, color=REFERENCE_COLOUR).encode(
        x=alt.X("value:Q", scale=x_scale), y=alt.value(WIDTH - 100), text="text:N")
    htext = chart.transform_filter(on_y).mark_text(
        align="left", baseline="bottom", dx=4, dy=-4, fontSize=10, color=REFERENCE_COLOUR).encode(
        y=alt.Y("value:Q", scale=y_scale), x=alt.value(0), text="text:N")
    return [vline, hline, vtext, htext]


def indicator_scatter(
    detail: pl.DataFrame,
    scorecard: pl.DataFrame,
    x: str = "PAYMENT_DOSSIER",
    y: str = "ORIGINAL_RESULT_AVAILABLE",
    *,
    level: str,
    language: str = "vi",
    methodology: Methodology | None = None,
    x_target: float | None = None,
    y_target: float | None = None,
    highlight: str | None = None,
) -> TopLevel:
    """Two indicators' ratios per unit (so sánh hai chỉ số), to find the units that do one and not
    the other. Bubble size is the number of dossiers received. The quadrant lines are at
    ``x_target``/``y_target`` (fractions); by default the indicator's own target when it has one,
    otherwise the province's ratio. Units with no ratio for either indicator (zero denominator)
    are left out and counted in the subtitle. The defaults exist for every level: the portal
    gives no ONLINE_DOSSIER counts for departments and communes.
    """
    check_language(language)
    if methodology is None:
        methodology = load_methodology()
    if (absent := absent_level(scorecard, level, language, "title_scatter")) is not None:
        return absent
    units = level_rows(scorecard, level)
    rows = with_short_names(units).select("unit_code", "unit", "unit_name", "dossiers", "parent_code")
    this = detail.filter(pl.col("period") == units.get_column("period").item(0))
    xs, ys = _ratios(this, x, "x"), _ratios(this, y, "y")
    joined = rows.join(xs, on="unit_code", how="left").join(ys, on="unit_code", how="left")
    missing = joined.filter(pl.col("x").is_null() | pl.col("y").is_null()).height
    if missing == joined.height:
        return _lacking_chart(joined, x, y, level, methodology, language)
    parent = reference_row(scorecard, units)
    tx, tx_name = _reference_line(x, x_target, xs, joined, parent, methodology, language)
    ty, ty_name = _reference_line(y, y_target, ys, joined, parent, methodology, language)
    names = (fmt.indicator_name(methodology, x, language), fmt.indicator_name(methodology, y, language))
    quadrants = _quadrants(*names, language)
    data = _with_quadrants(joined, tx, ty, quadrants)
    search, pick = search_param(language), alt.selection_point(fields=["quadrant"], bind="legend")
    scales = (alt.Scale(domain=[_lower(data.get_column("x"), tx), 1], nice=False, clamp=True),
              alt.Scale(domain=[_lower(data.get_column("y"), ty), 1], nice=False, clamp=True))
    tooltip = _scatter_tooltip(*names, language)
    lines = pl.DataFrame({"axis": ["x", "y"], "value": [tx, ty],
                          "text": [f"{tx_name}: {fmt.percent(tx, 1, language, trim=True)}",
                                   f"{ty_name}: {fmt.percent(ty, 1, language, trim=True)}"]})
    vline, hline, vtext, htext = _line_layers(lines, scales, language)
    subtitle = [word("bubble", language)]
    if missing:
        subtitle.append(word("subtitle_missing", language, n=missing))
    chart = alt.layer(
        vline, hline, _bubbles(data, quadrants, scales, names, tooltip, (search, pick), language),
        _point_names(data, quadrants[3], *scales),
        _found_names(data, scales, search, highlight_name(rows, highlight), tooltip), vtext, htext,
    ).properties(width=WIDTH - 100, height=WIDTH - 100,
                 title=alt.Title(f"{word('title_scatter', language)}: {fmt.level_name(level, language)}",
                                 subtitle=subtitle))
    return finish(chart, language)


def _short_indicator(name: str) -> str:
    """``Tỷ lệ hồ sơ thanh toán trực tuyến`` → ``hồ sơ thanh toán trực tuyến`` (legend labels)."""
    for prefix in ("Tỷ lệ ", "Share of ", "Ratio of "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _lower(values: pl.Series, reference: float) -> float:
    """The lower end of a ratio axis: the tenth below the smallest value or the reference line."""
    smallest = min(float(values.to_frame().select(pl.all().min()).item()), reference)
    return max(0.0, math.floor(smallest * 10) / 10)
