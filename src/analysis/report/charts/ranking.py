"""Units ranked by total score (xếp hạng tổng điểm) and how many fall in each class (phân bố xếp loại)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.charts.encodings import (
    absent_level,
    bold_label,
    class_bands,
    class_colours,
    class_domain,
    graded_class_label,
    halo_text,
    highlight_name,
    js,
    level_rows,
    matches,
    missing_chart,
    reference_row,
    reference_rule,
    search_param,
    with_short_names,
    word,
)
from analysis.report.charts.theme import HIGHLIGHT_COLOUR, INACTIVE_COLOUR, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language
from analysis.report.names import unit_name
from analysis.report.tables import graded
from analysis.report.wording import join
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED


def _ranked_frame(scorecard: pl.DataFrame, methodology: Methodology, level: str, language: str,
                  top: int | None, bottom: int | None) -> tuple[pl.DataFrame, int]:
    """The graded units of ``level`` best first, labelled ``rank. name``; with ``top``/``bottom``
    only the best/worst N. Also the count of graded units before that cut."""
    rows = graded(level_rows(scorecard, level)).filter(GRADED)
    frame = rows.sort(["total", "unit_name"], descending=[True, False], nulls_last=True).with_columns(
        graded_class_label(methodology, language))
    frame = with_short_names(frame).with_columns(
        pl.format("{}. {}", pl.col("rank"), pl.col("unit")).alias("unit"),
        pl.format("{}/{}", pl.col("rank"), pl.col("rank_of")).alias("rank_text"))
    count = frame.height
    if top is not None or bottom is not None:
        keep = pl.lit(False)
        if top is not None:
            keep = keep | (pl.int_range(pl.len()) < top)
        if bottom is not None:
            keep = keep | (pl.int_range(pl.len()) >= pl.len() - bottom)
        frame = frame.filter(keep)
    return frame, count


def _score_axis(data: pl.DataFrame, reference: dict[str, Any] | None) -> tuple[int, list[int]]:
    """Where a score axis starts, and its ticks: it spans the scores (and the province's), not 0-100,
    since 148 scores between 48 and 67 on a 0-100 axis are 148 bars of the same length."""
    values = [float(v) for v in data.get_column("total").drop_nulls()]
    if reference is not None and reference.get("total") is not None:
        values.append(float(reference["total"]))
    start = max(0, int(math.floor((min(values or [0.0]) - 2) / 10.0) * 10))
    return start, list(range(start, 101, 5 if 100 - start <= 50 else 10))


def _ranked_tooltip(language: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("unit_name:N", title=word("unit", language)),
        alt.Tooltip("total:Q", title=word("total", language), format=",.2f"),
        alt.Tooltip("class_label:N", title=word("class", language)),
        alt.Tooltip("rank_text:N", title=word("rank", language)),
        alt.Tooltip("dossiers:Q", title=word("dossiers", language), format=",.0f"),
    ]


def _ranked_bar_layers(data: pl.DataFrame, domain: list[str], colours: list[str], x_scale: alt.Scale,
                       ticks: list[int], highlighted: str | None, language: str) -> list[alt.Chart]:
    """The bars coloured by class (a search box and a legend click pick units out) and their values."""
    search = search_param(language)
    pick = alt.selection_point(fields=["class_label"], bind="legend")
    order = alt.EncodingSortField("total", op="max", order="descending")
    tooltip = _ranked_tooltip(language)
    outline = (alt.condition(f"datum.unit === {js(highlighted)}", alt.value(HIGHLIGHT_COLOUR), alt.value(None))
               if highlighted else alt.value(None))
    base = alt.Chart(data).transform_filter(matches(search))
    bars = base.mark_bar(height={"band": 0.78}, clip=True).encode(
        x=alt.X("total:Q", scale=x_scale, title=word("total", language),
                axis=alt.Axis(format=",.0f", values=ticks, grid=False)),
        x2=alt.value(0),
        y=alt.Y("unit:N", sort=order, title=None,
                axis=alt.Axis(labelFontWeight=bold_label(highlighted), labelLimit=220)),
        fill=alt.Fill("class_label:N", title=word("class", language),
                      scale=alt.Scale(domain=domain, range=colours)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        stroke=outline,
        strokeWidth=alt.value(2),
        tooltip=tooltip,
    ).add_params(search, pick)
    values = halo_text(base, x="total:Q", y=alt.Y("unit:N", sort=order),
                       text=alt.Text("total:Q", format=",.2f"), tooltip=tooltip)
    return [bars, *values]


def _band_layers(methodology: Methodology, language: str, band_colours: list[str], start: int,
                 x_scale: alt.Scale) -> list[alt.Chart]:
    """The class bands behind the bars, cut at the axis' start, each named at its top."""
    frame = class_bands(methodology, language).with_columns(
        pl.Series("colour", list(reversed(band_colours)), dtype=pl.String)).filter(pl.col("end") > start).with_columns(
        pl.max_horizontal(pl.col("start"), pl.lit(float(start))).alias("start")).with_columns(
        ((pl.col("start") + pl.col("end")) / 2).alias("middle"))
    bands = alt.Chart(frame)
    rects = bands.mark_rect(opacity=1).encode(
        x=alt.X("start:Q", scale=x_scale), x2="end:Q",
        color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("band:N", title=word("class", language)),
                 alt.Tooltip("start:Q", title="≥", format=",.0f")],
    )
    names = bands.mark_text(baseline="bottom", dy=-4, fontSize=10, color="#555555").encode(
        x="middle:Q", y=alt.value(0), text="band:N")
    return [rects, names]


def _province_layers(reference: dict[str, Any] | None, language: str) -> list[alt.Chart]:
    """The province's own total as a dashed rule, when the scorecard has it."""
    if reference is None or reference.get("total") is None:
        return []
    name = word("province_reference", language)
    text = f"{name}: {fmt.number(reference['total'], 2, language)}"
    return reference_rule(float(reference["total"]), text, name, above=True)


def _ranked_subtitle(scorecard: pl.DataFrame, level: str, shown: int, count: int, top: int | None,
                     bottom: int | None, language: str) -> list[str]:
    """What the bands mean, how many units are shown, and which units had no dossiers."""
    subtitle = [word("subtitle_bands", language)]
    if shown < count:
        subtitle.append(_shown_of(count, top, bottom, language))
    left_out = level_rows(scorecard, level).filter(~GRADED)
    if left_out.height:
        names = join([unit_name(n) for n in sorted(left_out.get_column("unit_name").to_list())], language)
        subtitle.append(word("inactive_left_out", language, n=left_out.height, names=names))
    return subtitle


def ranked_bars(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    level: str,
    language: str = "vi",
    highlight: str | None = None,
    top: int | None = None,
    bottom: int | None = None,
    title: str | None = None,
) -> TopLevel:
    """Units of one level ranked by total score (xếp hạng tổng điểm), class bands behind the bars.

    Bars are coloured by class; units with no dossiers in the period are not drawn and are named
    under the title, not shown as ordinary low scorers. A dashed rule marks the province's own
    total. ``highlight`` (unit code or name) outlines one unit and bolds its label.
    ``top``/``bottom`` keep only the best/worst N (e.g. 148 communes in a document); otherwise
    every unit is drawn, 13 px a bar. In the HTML file a search box filters units and a click on
    a class in the legend picks it out.
    """
    check_language(language)
    if (absent := absent_level(scorecard, level, language, "title_ranked")) is not None:
        return absent
    frame, count = _ranked_frame(scorecard, methodology, level, language, top, bottom)
    highlighted = highlight_name(frame, highlight)
    reference = reference_row(scorecard, level_rows(scorecard, level))
    domain = class_domain(methodology, language)
    bar_colours, band_colours = class_colours(len(domain))
    data = frame.select("unit", "unit_name", "total", "class_label", "rank", "rank_text", "dossiers")
    start, ticks = _score_axis(data, reference)
    x_scale = alt.Scale(domain=[start, 100], nice=False, clamp=True)
    bars = _ranked_bar_layers(data, domain, bar_colours, x_scale, ticks, highlighted, language)
    layers = [*_band_layers(methodology, language, band_colours, start, x_scale),
              *_province_layers(reference, language), *bars]
    subtitle = _ranked_subtitle(scorecard, level, frame.height, count, top, bottom, language)
    heading = title or f"{word('title_ranked', language)}: {fmt.level_name(level, language)}"
    chart = alt.layer(*layers).properties(
        width=WIDTH, height=alt.Step(18 if data.height <= 40 else 13),
        title=alt.Title(heading, subtitle=subtitle, offset=32 if reference else 18),
    ).resolve_scale(color="independent", fill="independent")
    return finish(chart, language)


def top_and_bottom(scorecard: pl.DataFrame, level: str, n: int = 15) -> pl.DataFrame:
    """The scorecard with only the ``n`` highest and ``n`` lowest units of ``level`` that had dossiers
    (other levels kept, for the province's reference): a page-sized chart of a long level."""
    units = level_rows(scorecard, level).filter(GRADED).sort("total", descending=True)
    keep = pl.concat([units.head(n), units.tail(n)]).get_column("unit_code").unique()
    return scorecard.filter((pl.col("level") != level) | pl.col("unit_code").is_in(keep.implode()))


def _shown_of(count: int, top: int | None, bottom: int | None, language: str) -> str:
    parts = []
    if top:
        parts.append(word("shown_top", language, n=top))
    if bottom:
        parts.append(word("shown_bottom", language, n=bottom))
    return word("shown_of", language, parts=word("and", language).join(parts), n=count)


# --------------------------------------------------------------------------------------------
# classes


def _class_levels(scorecard: pl.DataFrame) -> list[str]:
    """The levels with more than one unit, from the top down."""
    counts = scorecard.group_by("level").len()
    present = set(counts.filter(pl.col("len") > 1).get_column("level").to_list())
    return [lv for lv in ("department", "district", "commune", "province", "national") if lv in present]


def _class_counts(scorecard: pl.DataFrame, methodology: Methodology, levels: Sequence[str],
                  level_names: list[str], language: str) -> pl.DataFrame:
    """Units per level and class (no dossiers counted apart), with each class' share of its level."""
    rows = scorecard.filter(pl.col("level").is_in(list(levels))).with_columns(
        graded_class_label(methodology, language),
        pl.col("level").replace_strict(dict(zip(levels, level_names, strict=True))).alias("level_name"),
    )
    return (
        rows.group_by("level_name", "class_label").agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns((pl.col("count") / pl.col("count").sum().over("level_name")).alias("share"))
        .sort("level_name", "class_label")
    )


def class_distribution(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    language: str = "vi",
    levels: Sequence[str] | None = None,
) -> TopLevel:
    """How many units fall in each class (phân bố xếp loại), one panel per level; units with no
    dossiers counted apart. By default every level with more than one unit."""
    check_language(language)
    if scorecard.get_column("period").n_unique() > 1:
        raise ValueError("the scorecard holds several periods: filter one period first")
    if levels is None:
        levels = _class_levels(scorecard)
        if not levels:  # a source of the province alone: no level to share out, never an empty chart
            return missing_chart(word("title_classes", language), word("no_levels", language), language)
    domain = class_domain(methodology, language) + [word("inactive", language)]
    bar_colours, _ = class_colours(len(domain) - 1)
    level_names = [fmt.level_name(lv, language) for lv in levels]
    data = _class_counts(scorecard, methodology, levels, level_names, language)
    base = alt.Chart(data).encode(
        y=alt.Y("class_label:N", sort=domain, title=None, scale=alt.Scale(domain=domain)),
        tooltip=[
            alt.Tooltip("level_name:N", title=word("level", language)),
            alt.Tooltip("class_label:N", title=word("class", language)),
            alt.Tooltip("count:Q", title=word("count", language), format=",d"),
            alt.Tooltip("share:Q", title=word("ratio", language), format=".1%"),
        ],
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("count:Q", title=word("count", language),
                axis=alt.Axis(format=",d", tickMinStep=1, tickCount=4, labelOverlap="greedy", labelFlush=True)),
        color=alt.Color("class_label:N", legend=None,
                        scale=alt.Scale(domain=domain, range=bar_colours + [INACTIVE_COLOUR])),
    )
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x="count:Q", text=alt.Text("count:Q", format=",d"))
    chart = alt.layer(bars, text).properties(width=260, height=alt.Step(24)).facet(
        column=alt.Column("level_name:N", title=None, sort=level_names,
                          header=alt.Header(labelFontWeight="bold", labelFontSize=13)),
    ).resolve_scale(x="independent").properties(title=alt.Title(word("title_classes", language)))
    return finish(chart, language)
