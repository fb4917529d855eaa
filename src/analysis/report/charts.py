"""Charts of the monthly reports (biểu đồ), built with Altair from the scoring engine's frames.

Every function takes polars frames, selects and aggregates in polars, and hands Altair only the
columns the chart draws (Altair embeds every column it is given). Charts speak Vietnamese by
default (titles, labels, numbers ``77,59`` through the d3 locale carried in the chart's own
config), English with ``language="en"``; every mark has a tooltip; filters are Vega-Lite params
(search boxes, drop-downs, legend clicks), so they keep working in a saved HTML file with no
kernel.

Each chart carries its configuration (theme and locale). To combine charts with
``alt.vconcat``/``alt.hconcat``, drop it first with :func:`without_config` and put
:func:`chart_config` on the combined chart.
:func:`save_chart` writes PNG and SVG for pasting into a document.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.formatting import check_language, label, short_unit_names
from analysis.scoring.score import GRADED

# --------------------------------------------------------------------------------------------
# look

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
"""DejaVu Sans first: it carries every Vietnamese glyph on Linux (the Liberation fonts shipped with
Debian lack ``ể``, ``ữ`` …, and the PNG renderer would fall back to a serif font); Arial on Windows."""
WIDTH = 560
"""Plot width in pixels: fits an A4 page (about 680 px of text width) with the axis labels."""

CLASS_COLOURS = ["#1a7f4b", "#66a845", "#c9a227", "#ec8a2e", "#d0392b"]
"""Bar colours for the classes, best first (Xuất sắc … Yếu)."""
CLASS_BAND_COLOURS = ["#e3f1e8", "#edf5e4", "#faf3d9", "#fdeedd", "#f9e1de"]
"""The same hues, light, for the class bands behind the bars."""
INACTIVE_COLOUR = "#a3a3a3"
INACTIVE_MARK = " (*)"
"""Appended to the label of a unit with no dossiers in the period, explained under the title."""
HIGHLIGHT_COLOUR = "#1f3b73"
BAR_COLOUR = "#5b8db8"
REFERENCE_COLOUR = "#333333"
MUTED_COLOUR = "#d0d0d0"
GROUP_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2",
                 "#edc948", "#9c755f"]
"""One colour per group, in the methodology's order (colour-blind-safe Tableau 10 subset)."""
QUADRANT_COLOURS = ["#2e8b57", "#4e79a7", "#b07aa1", "#d0392b"]


def chart_config(language: str = "vi") -> dict[str, Any]:
    """The configuration every chart of the suite carries: fonts, sizes and the d3 locale."""
    return {
        "locale": {"number": fmt.format_locale(language), "time": fmt.time_format_locale(language)},
        "font": FONT,
        "view": {"stroke": None},
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12,
                  "subtitleColor": "#555555", "offset": 12},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal",
                 "labelColor": "#333333", "titleColor": "#333333", "gridColor": "#e8e8e8",
                 "domainColor": "#888888", "tickColor": "#888888", "labelLimit": 260},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal",
                   "orient": "bottom", "direction": "horizontal", "columns": 0,
                   "symbolType": "square", "labelLimit": 260},
        "header": {"labelFontSize": 12, "titleFontSize": 12},
        "text": {"fontSize": 10},
    }


def _finish(chart: alt.TopLevelMixin, language: str) -> alt.TopLevelMixin:
    chart = chart.properties(usermeta={"analysis": {"language": language}})
    chart.config = alt.Config(**chart_config(language))
    return chart


def without_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A copy without the top-level config, for use inside ``alt.vconcat``/``alt.hconcat``."""
    out = chart.copy(deep=False)
    out.config = alt.Undefined
    out.usermeta = alt.Undefined
    return out


def _language_of(chart: alt.TopLevelMixin) -> str:
    meta = chart.to_dict().get("usermeta", {}) if hasattr(chart, "to_dict") else {}
    return meta.get("analysis", {}).get("language", "vi")


def _js(value: object) -> str:
    """A Python value as a Vega expression literal."""
    return json.dumps(value, ensure_ascii=False)


def _search_param(language: str) -> alt.Parameter:
    return alt.param(
        value="",
        bind=alt.binding(input="search", placeholder="…", name=label("search_unit", language)),
    )


def _matches(param: alt.Parameter, field: str = "unit_name") -> str:
    return f"indexof(lower(datum[{_js(field)}]), lower({param.name})) >= 0"


# --------------------------------------------------------------------------------------------
# selecting units


def _level_rows(scorecard: pl.DataFrame, level: str) -> pl.DataFrame:
    rows = scorecard.filter(pl.col("level") == level)
    if rows.is_empty():
        levels = sorted(set(scorecard.get_column("level").to_list()))
        raise ValueError(f"no units of level {level!r} in the scorecard (levels: {levels})")
    if rows.get_column("period").n_unique() > 1:
        raise ValueError("the scorecard holds several periods: filter one period first")
    return rows


def _absent_level(scorecard: pl.DataFrame, level: str, language: str, title: str) -> alt.Chart | None:
    """When the data holds no unit of ``level`` (a source without departments or communes), the
    chart's place says so (never a crash, never zeros); ``None`` when the level is there."""
    from analysis.contract import LEVELS

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r} (levels: {', '.join(LEVELS)})")
    if scorecard.filter(pl.col("level") == level).height:
        return None
    name = fmt.level_name(level, language)
    return missing_chart(f"{label(title, language)}: {name}", label("level_missing", language).format(level=name.lower()), language)


def _with_short_names(frame: pl.DataFrame, source: str = "unit_name") -> pl.DataFrame:
    return frame.with_columns(pl.Series("unit", short_unit_names(frame.get_column(source).to_list()),
                                        dtype=pl.String))


def _reference_row(scorecard: pl.DataFrame, rows: pl.DataFrame) -> dict[str, Any] | None:
    """The parent (province) row the units of a level are compared with, when present."""
    parents = [p for p in rows.get_column("parent_code").unique().to_list() if p is not None]
    if len(parents) != 1:
        return None
    parent = scorecard.filter(pl.col("unit_code") == parents[0])
    return parent.row(0, named=True) if parent.height else None


def _highlight_name(frame: pl.DataFrame, highlight: str | None) -> str | None:
    """The short label of the unit named by ``highlight`` (a unit code or a full/short name)."""
    if highlight is None:
        return None
    for column in ("unit_code", "unit_name", "unit"):
        if column in frame.columns:
            hit = frame.filter(pl.col(column) == highlight)
            if hit.height:
                return hit.get_column("unit").item(0)
    raise ValueError(f"highlighted unit {highlight!r} is not among the charted units")


def _class_domain(methodology: Any, language: str) -> list[str]:
    return [band.label if language == "vi" else band.label_en for band in methodology.classes]


def _class_colours(n: int) -> tuple[list[str], list[str]]:
    if n <= len(CLASS_COLOURS):
        # keep the best and the worst colours at the ends for fewer classes
        idx = [round(i * (len(CLASS_COLOURS) - 1) / max(n - 1, 1)) for i in range(n)]
        return [CLASS_COLOURS[i] for i in idx], [CLASS_BAND_COLOURS[i] for i in idx]
    reps = math.ceil(n / len(CLASS_COLOURS))
    return (CLASS_COLOURS * reps)[:n], (CLASS_BAND_COLOURS * reps)[:n]


def class_bands(methodology: Any, language: str = "vi", top: float = 100.0) -> pl.DataFrame:
    """The class bands as intervals ``[start, end)``: class, start, end, middle (for labels)."""
    bands = sorted(methodology.classes, key=lambda b: b.min)
    rows = []
    for i, band in enumerate(bands):
        end = bands[i + 1].min if i + 1 < len(bands) else top
        rows.append({"band": band.label if language == "vi" else band.label_en,
                     "start": float(band.min), "end": float(end),
                     "middle": (float(band.min) + float(end)) / 2})
    return pl.DataFrame(rows, schema={"band": pl.String, "start": pl.Float64, "end": pl.Float64,
                                      "middle": pl.Float64})


def _wrap(text: str, width: int) -> list[str]:
    """Words of ``text`` in lines of about ``width`` characters (for axis labels)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def _wrap_table(labels: Sequence[str], width: int) -> tuple[dict[str, list[str]], int]:
    """Each label in lines, padded with empty lines at the top to the same count."""
    table = {text: _wrap(text, width) for text in labels}
    lines = max(len(v) for v in table.values())
    return {k: [""] * (lines - len(v)) + v for k, v in table.items()}, lines


def _wrap_expr(table: dict[str, list[str]]) -> str:
    """A Vega ``labelExpr`` that shows each label on several lines."""
    return f"{_js(table)}[datum.label] || datum.label"


def _group_labels(methodology: Any, language: str, with_max: bool = True) -> list[str]:
    out = []
    for group in methodology.groups:
        name = group.name if language == "vi" else group.name_en
        out.append(f"{name} ({fmt.number(group.max, 2, language, trim=True)})" if with_max else name)
    return out


# --------------------------------------------------------------------------------------------
# ranked bars


def _halo_text(base: alt.Chart, **encoding: Any) -> list[alt.Chart]:
    """A value label at the end of a bar, on a white halo so that a reference rule never hides it."""
    halo = base.mark_text(align="left", dx=3, fontSize=10, stroke="white", strokeWidth=3,
                          strokeJoin="round", color="white").encode(**encoding)
    text = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(**encoding)
    return [halo, text]


def _ranked_frame(scorecard: pl.DataFrame, methodology: Any, level: str, language: str,
                  top: int | None, bottom: int | None) -> tuple[pl.DataFrame, int]:
    from analysis.report.tables import graded

    rows = graded(_level_rows(scorecard, level)).filter(GRADED)
    inactive = label("inactive", language)
    frame = (
        rows.sort(["total", "unit_name"], descending=[True, False], nulls_last=True)
        .with_columns(
            pl.when(GRADED)
            .then(pl.col("class").map_elements(
                lambda c: fmt.class_name(methodology, c, language), return_dtype=pl.String))
            .otherwise(pl.lit(inactive))
            .alias("class_label"),
        )
    )
    frame = _with_short_names(frame).with_columns(
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


def ranked_bars(
    scorecard: pl.DataFrame,
    methodology: Any,
    *,
    level: str,
    language: str = "vi",
    highlight: str | None = None,
    top: int | None = None,
    bottom: int | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Units of one level ranked by total score (xếp hạng tổng điểm), class bands behind the bars.

    Bars are coloured by class; units with no dossiers in the period (``active`` false) are grey
    and named as such in the legend and tooltip, not shown as ordinary low scorers. A dashed rule
    marks the province's own total. ``highlight`` (unit code or name) outlines one unit and bolds
    its label. ``top``/``bottom`` keep only the best/worst N (e.g. 148 communes in a document);
    otherwise every unit is drawn, 13 px a bar. In the HTML file a search box filters units and
    a click on a class in the legend picks it out.
    """
    check_language(language)
    if (absent := _absent_level(scorecard, level, language, "title_ranked")) is not None:
        return absent
    frame, count = _ranked_frame(scorecard, methodology, level, language, top, bottom)
    highlighted = _highlight_name(frame, highlight)
    reference = _reference_row(scorecard, _level_rows(scorecard, level))

    domain = _class_domain(methodology, language)
    bar_colours, band_colours = _class_colours(len(domain))
    domain_all, colours_all = domain, bar_colours  # units with no dossiers are not drawn (named in the subtitle)

    data = frame.select(
        "unit", "unit_name", "total", "class_label", "rank", "rank_text", "dossiers"
    )
    step = 18 if data.height <= 40 else 13
    search = _search_param(language)
    pick = alt.selection_point(fields=["class_label"], bind="legend")

    start, ticks = _score_axis(data, reference)
    x_scale = alt.Scale(domain=[start, 100], nice=False, clamp=True)
    order = alt.EncodingSortField("total", op="max", order="descending")
    y = alt.Y("unit:N", sort=order, title=None,
              axis=alt.Axis(labelFontWeight=alt.expr(
                  f"datum.value === {_js(highlighted)} ? 'bold' : 'normal'"
              ) if highlighted else alt.Undefined, labelLimit=220))
    tooltip = [
        alt.Tooltip("unit_name:N", title=label("unit", language)),
        alt.Tooltip("total:Q", title=label("total", language), format=",.2f"),
        alt.Tooltip("class_label:N", title=label("class", language)),
        alt.Tooltip("rank_text:N", title=label("rank", language)),
        alt.Tooltip("dossiers:Q", title=label("dossiers", language), format=",.0f"),
    ]
    base = alt.Chart(data).transform_filter(_matches(search))
    bars = base.mark_bar(height={"band": 0.78}, clip=True).encode(
        x=alt.X("total:Q", scale=x_scale, title=label("total", language),
                axis=alt.Axis(format=",.0f", values=ticks, grid=False)),
        x2=alt.value(0),
        y=y,
        fill=alt.Fill("class_label:N", title=label("class", language),
                      scale=alt.Scale(domain=domain_all, range=colours_all)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        stroke=alt.condition(f"datum.unit === {_js(highlighted)}", alt.value(HIGHLIGHT_COLOUR),
                             alt.value(None)) if highlighted else alt.value(None),
        strokeWidth=alt.value(2),
        tooltip=tooltip,
    ).add_params(search, pick)
    values = _halo_text(base, x="total:Q", y=alt.Y("unit:N", sort=order),
                        text=alt.Text("total:Q", format=",.2f"), tooltip=tooltip)

    bands_frame = class_bands(methodology, language).with_columns(
        pl.Series("colour", list(reversed(band_colours)), dtype=pl.String)).filter(pl.col("end") > start).with_columns(
        pl.max_horizontal(pl.col("start"), pl.lit(float(start))).alias("start")).with_columns(
        ((pl.col("start") + pl.col("end")) / 2).alias("middle"))
    bands_data = alt.Chart(bands_frame)
    band_rects = bands_data.mark_rect(opacity=1).encode(
        x=alt.X("start:Q", scale=x_scale), x2="end:Q",
        color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("band:N", title=label("class", language)),
                 alt.Tooltip("start:Q", title="≥", format=",.0f")],
    )
    band_text = bands_data.mark_text(baseline="bottom", dy=-4, fontSize=10, color="#555555").encode(
        x="middle:Q", y=alt.value(0), text="band:N")
    layers: list[alt.Chart] = [band_rects, band_text]

    if reference is not None and reference.get("total") is not None:
        ref = pl.DataFrame({
            "total": [float(reference["total"])],
            "text": [f"{label('province_reference', language)}: "
                     f"{fmt.number(reference['total'], 2, language)}"],
        })
        rule = alt.Chart(ref).mark_rule(strokeDash=[5, 3], color=REFERENCE_COLOUR, size=1.5).encode(
            x="total:Q", tooltip=[alt.Tooltip("text:N", title=label("province_reference", language))])
        rule_text = alt.Chart(ref).mark_text(align="center", baseline="bottom", dy=-20,
                                             fontSize=10, fontWeight="bold",
                                             color=REFERENCE_COLOUR).encode(
            x="total:Q", y=alt.value(0), text="text:N")
        layers += [rule, rule_text]
    layers += [bars, *values]

    subtitle = [label("subtitle_bands", language)]
    if frame.height < count:
        subtitle.append(_shown_of(frame.height, count, top, bottom, language))
    left_out = _level_rows(scorecard, level).filter(~GRADED)
    if left_out.height:
        from analysis.report.wording import join, unit_name

        names = join([unit_name(n) for n in sorted(left_out.get_column("unit_name").to_list())], language)
        subtitle.append(f"{left_out.height} {label('inactive_note', language)}: {names} (không xếp hạng, xếp loại)"
                        if language == "vi" else f"{left_out.height} {label('inactive_note', language)}, neither ranked nor classed")
    heading = title or f"{label('title_ranked', language)}: {fmt.level_name(level, language)}"
    chart = alt.layer(*layers).properties(
        width=WIDTH, height=alt.Step(step),
        title=alt.Title(heading, subtitle=subtitle, offset=32 if reference else 18),
    ).resolve_scale(color="independent", fill="independent")
    return _finish(chart, language)


def _score_axis(data: pl.DataFrame, reference: dict[str, Any] | None) -> tuple[int, list[int]]:
    """Where a score axis starts, and its ticks: it spans the scores (and the province's), not 0-100,
    since 148 scores between 48 and 67 on a 0-100 axis are 148 bars of the same length."""
    values = [float(v) for v in data.get_column("total").drop_nulls()]
    if reference is not None and reference.get("total") is not None:
        values.append(float(reference["total"]))
    start = max(0, int(math.floor((min(values or [0.0]) - 2) / 10.0) * 10))
    return start, list(range(start, 101, 5 if 100 - start <= 50 else 10))


def top_and_bottom(scorecard: pl.DataFrame, level: str, n: int = 15) -> pl.DataFrame:
    """The scorecard with only the ``n`` highest and ``n`` lowest units of ``level`` that had dossiers
    (other levels kept, for the province's reference): a page-sized chart of a long level."""
    units = _level_rows(scorecard, level).filter(GRADED).sort("total", descending=True)
    keep = pl.concat([units.head(n), units.tail(n)]).get_column("unit_code").unique()
    return scorecard.filter((pl.col("level") != level) | pl.col("unit_code").is_in(keep.implode()))


def _shown_of(shown: int, count: int, top: int | None, bottom: int | None, language: str) -> str:
    parts = []
    if top:
        parts.append(label("shown_top", language).format(n=top))
    if bottom:
        parts.append(label("shown_bottom", language).format(n=bottom))
    return label("shown_of", language).format(parts=label("and", language).join(parts), n=count)


# --------------------------------------------------------------------------------------------
# heat map and gaps


def _groups_long(scorecard: pl.DataFrame, methodology: Any, level: str,
                 language: str) -> pl.DataFrame:
    rows = _with_short_names(_level_rows(scorecard, level))
    if "active" in rows.columns:
        rows = rows.with_columns(
            pl.when(GRADED).then(pl.col("unit"))
            .otherwise(pl.col("unit") + pl.lit(INACTIVE_MARK)).alias("unit"))
    names = _group_labels(methodology, language)
    groups = pl.DataFrame({
        "group_code": [g.code for g in methodology.groups],
        "group": names,
        "group_order": list(range(len(names))),
        "max": [float(g.max) for g in methodology.groups],
    })
    long = rows.select("unit", "unit_name", "total", *methodology.group_codes).unpivot(
        index=["unit", "unit_name", "total"], on=methodology.group_codes,
        variable_name="group_code", value_name="score",
    )
    return long.join(groups, on="group_code", how="left").drop("group_code")


def _inactive_note(data: pl.DataFrame, language: str) -> list[str]:
    units = data.filter(pl.col("unit").str.ends_with(INACTIVE_MARK)).get_column("unit").n_unique()
    return [f"{INACTIVE_MARK.strip()} {units} {label('inactive_note', language)}"] if units else []


def group_heatmap(
    scorecard: pl.DataFrame,
    methodology: Any,
    *,
    level: str,
    language: str = "vi",
    include_total: bool = True,
) -> alt.Chart:
    """Units × groups (bản đồ nhiệt điểm nhóm): colour is the share of the group's maximum,
    the cell shows the score. Units in rank order; the total is the last column. A search box
    (HTML) filters units."""
    check_language(language)
    if (absent := _absent_level(scorecard, level, language, "title_heatmap")) is not None:
        return absent
    long = _groups_long(scorecard, methodology, level, language)
    columns = _group_labels(methodology, language)
    if include_total:
        total_name = f"{label('total', language)} (100)"
        totals = long.unique("unit", keep="first", maintain_order=True).select(
            "unit", "unit_name", "total",
            pl.lit(total_name).alias("group"), pl.lit(len(columns), dtype=pl.Int64).alias("group_order"),
            pl.col("total").alias("score"), pl.lit(100.0).alias("max"),
        )
        long = pl.concat([long.select(totals.columns), totals], how="vertical_relaxed")
        columns = columns + [total_name]
    data = long.with_columns((pl.col("score") / pl.col("max")).alias("share")).select(
        "unit", "unit_name", "total", "group", "score", "max", "share")
    units = data.get_column("unit").n_unique()
    step = 20 if units <= 40 else 15
    search = _search_param(language)
    tooltip = [
        alt.Tooltip("unit_name:N", title=label("unit", language)),
        alt.Tooltip("group:N", title=label("group", language)),
        alt.Tooltip("score:Q", title=label("score", language), format=",.2f"),
        alt.Tooltip("max:Q", title=label("max", language), format=",.0f"),
        alt.Tooltip("share:Q", title=label("share_of_max", language), format=".1%"),
    ]
    table, lines = _wrap_table(columns, width=13)
    base = alt.Chart(data).transform_filter(_matches(search)).encode(
        x=alt.X("group:N", sort=columns, title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=140, labelFontSize=10,
                              labelBaseline="bottom", labelLineHeight=12,
                              labelPadding=4 + 12 * (lines - 1),
                              domain=False, ticks=False, labelExpr=_wrap_expr(table))),
        y=alt.Y("unit:N", sort=alt.EncodingSortField("total", op="max", order="descending"),
                title=None),
        tooltip=tooltip,
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("share:Q", title=label("share_of_max", language),
                        scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]),
                        legend=alt.Legend(format=".0%", orient="bottom", direction="horizontal",
                                          gradientLength=220)),
    ).add_params(search)
    text = base.mark_text(fontSize=10 if step >= 18 else 9).encode(
        text=alt.Text("score:Q", format=",.2f"),
        color=alt.condition("datum.share < 0.15 || datum.share > 0.85", alt.value("white"),
                            alt.value("#222222")),
    )
    chart = alt.layer(cells, text).properties(
        width=alt.Step(78), height=alt.Step(step),
        title=alt.Title(f"{label('title_heatmap', language)}: {fmt.level_name(level, language)}",
                        subtitle=[label("subtitle_heatmap", language), *_inactive_note(data, language)]),
    )
    return _finish(chart, language)


def gap_to_full(
    scorecard: pl.DataFrame,
    methodology: Any,
    *,
    level: str,
    language: str = "vi",
) -> alt.LayerChart:
    """Where each unit lost its points (điểm bị mất theo nhóm): the points missing to each group's
    maximum, stacked, units in rank order (fewest points lost first); the figure at the end of a
    bar is the total lost. A click on a group in the legend picks it out (HTML)."""
    check_language(language)
    if (absent := _absent_level(scorecard, level, language, "title_gap")) is not None:
        return absent
    # a group score not given (a source of totals only) is not a point lost: left out
    long = _groups_long(scorecard, methodology, level, language).filter(pl.col("score").is_not_null())
    if long.is_empty():
        name = fmt.level_name(level, language)
        return missing_chart(f"{label('title_gap', language)}: {name}", label("groups_missing", language).format(level=name.lower()), language)
    data = long.with_columns(
        (pl.col("max") - pl.col("score")).clip(lower_bound=0).round(2).alias("lost"),
    ).with_columns(
        pl.col("lost").sum().over("unit").round(2).alias("total_lost"),
    ).select("unit", "unit_name", "group", "group_order", "score", "max", "lost", "total_lost")
    names = _group_labels(methodology, language)
    units = data.get_column("unit").n_unique()
    step = 18 if units <= 40 else 13
    pick = alt.selection_point(fields=["group"], bind="legend")
    search = _search_param(language)
    y = alt.Y("unit:N", sort=alt.EncodingSortField("total_lost", op="max", order="ascending"),
              title=None)
    bars = alt.Chart(data).transform_filter(_matches(search)).mark_bar(height={"band": 0.78}).encode(
        x=alt.X("lost:Q", stack="zero", title=label("points_lost", language),
                axis=alt.Axis(format=",.0f")),
        y=y,
        color=alt.Color("group:N", title=label("group", language),
                        scale=alt.Scale(domain=names, range=GROUP_COLOURS[:len(names)]),
                        legend=alt.Legend(columns=3, labelLimit=240)),
        order=alt.Order("group_order:Q"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
        tooltip=[
            alt.Tooltip("unit_name:N", title=label("unit", language)),
            alt.Tooltip("group:N", title=label("group", language)),
            alt.Tooltip("lost:Q", title=label("points_lost", language), format=",.2f"),
            alt.Tooltip("score:Q", title=label("score", language), format=",.2f"),
            alt.Tooltip("max:Q", title=label("max", language), format=",.0f"),
            alt.Tooltip("total_lost:Q", title=label("points_lost_total", language), format=",.2f"),
        ],
    ).add_params(pick, search)
    totals = alt.Chart(data).transform_filter(_matches(search)).transform_filter(
        "datum.group_order === 0").mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        x=alt.X("total_lost:Q"), y=y, text=alt.Text("total_lost:Q", format=",.2f"),
        tooltip=[alt.Tooltip("unit_name:N", title=label("unit", language)),
                 alt.Tooltip("total_lost:Q", title=label("points_lost_total", language),
                             format=",.2f")],
    )
    chart = alt.layer(bars, totals).properties(
        width=WIDTH, height=alt.Step(step),
        title=alt.Title(f"{label('title_gap', language)}: {fmt.level_name(level, language)}",
                        subtitle=[label("subtitle_gap", language), *_inactive_note(data, language)]),
    )
    return _finish(chart, language)


# --------------------------------------------------------------------------------------------
# communes by former district


def former_district_strip(
    scorecard: pl.DataFrame,
    districts: pl.DataFrame,
    methodology: Any,
    *,
    value: str = "total",
    language: str = "vi",
    highlight: str | None = None,
) -> alt.LayerChart:
    """Each commune against the other communes of its former district (so với các xã cùng huyện cũ).

    ``districts``: ``unit_code, former_district`` (:func:`analysis.scoring.crosswalk.former_districts`).
    One row per former district, sorted by its median; a dot per commune coloured by class, a
    tick at the district's median and a dashed rule at the province. A drop-down picks a
    district; hovering a dot names the commune.
    """
    check_language(language)
    rows = _level_rows(scorecard, "commune").join(districts.select("unit_code", "former_district"), on="unit_code", how="inner", maintain_order="left")
    if rows.is_empty():
        raise ValueError("no commune of the scorecard has a former district")
    domain = _class_domain(methodology, language)
    colours, _ = _class_colours(len(domain))
    data = _with_short_names(rows).with_columns(
        pl.col("class").map_elements(lambda c: fmt.class_name(methodology, c, language), return_dtype=pl.String).alias("class_label"),
        pl.col(value).median().over("former_district").alias("median"),
        pl.len().over("former_district").alias("communes"),
    ).select("unit_code", "unit", "unit_name", "former_district", value, "class_label", "rank", "median", "communes")
    order = (
        data.group_by("former_district", maintain_order=True).agg(pl.col("median").first())
        .sort(["median", "former_district"], descending=[True, False])["former_district"].to_list()
    )
    district_word = "Huyện cũ" if language == "vi" else "Former district"
    pick = alt.param(
        name="former_district",
        bind=alt.binding_select(options=[None, *sorted(order, key=fmt.sort_key)], labels=["—", *sorted(order, key=fmt.sort_key)], name=district_word + " "),
    )
    chosen = f"{pick.name} == null || datum.former_district == {pick.name}"
    y = alt.Y("former_district:N", sort=order, title=None)
    value_title = _value_title(value, language, methodology)
    dots = alt.Chart(data).mark_circle(size=60, opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(zero=False)),
        y=y,
        color=alt.Color("class_label:N", scale=alt.Scale(domain=domain, range=colours), title=label("class", language)),
        opacity=alt.condition(chosen, alt.value(0.9), alt.value(0.12)),
        tooltip=[
            alt.Tooltip("unit_name:N", title=label("unit", language)),
            alt.Tooltip("former_district:N", title=district_word),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",.2f"),
            alt.Tooltip("rank:Q", title=label("rank", language)),
            alt.Tooltip("median:Q", title="Trung vị của huyện cũ" if language == "vi" else "District median", format=",.2f"),
        ],
    ).add_params(pick)
    medians = alt.Chart(data).transform_aggregate(median="median(median)", communes="max(communes)", groupby=["former_district"]).mark_tick(
        color=REFERENCE_COLOUR, thickness=2, size=14
    ).encode(
        x=alt.X("median:Q"), y=y,
        tooltip=[alt.Tooltip("former_district:N", title=district_word),
                 alt.Tooltip("median:Q", title="Trung vị" if language == "vi" else "Median", format=",.2f"),
                 alt.Tooltip("communes:Q", title="Số xã, phường" if language == "vi" else "Communes")],
    )
    layers = [dots, medians]
    reference = _reference_row(scorecard, rows)
    if reference is not None and value in reference:
        rule = pl.DataFrame({"value": [float(reference[value])], "name": [fmt.short_unit_name(reference["unit_name"])]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[4, 3], color=REFERENCE_COLOUR).encode(
            x="value:Q", tooltip=[alt.Tooltip("name:N", title=label("unit", language)), alt.Tooltip("value:Q", title=value_title, format=",.2f")]
        ))
    if highlight is not None:
        name = _highlight_name(data, highlight)
        if name:
            layers.append(alt.Chart(data.filter(pl.col("unit") == name).select("unit", "former_district", value)).mark_point(size=160, color=HIGHLIGHT_COLOUR, strokeWidth=2).encode(x=f"{value}:Q", y=y))
    title = (
        f"Xã, phường so với các đơn vị cùng huyện cũ: {value_title.lower()}" if language == "vi"
        else f"Communes against the others of their former district: {value_title.lower()}"
    )
    subtitle = (
        ["Mỗi chấm là một xã, phường; vạch đen: trung vị của huyện cũ; đường đứt: toàn tỉnh.",
         "Huyện cũ theo bảng chuyển đổi đơn vị hành chính mới – cũ (01/7/2025)."]
        if language == "vi" else
        ["A dot per commune; black tick: the former district's median; dashed: the province.",
         "Former districts from the 1 July 2025 conversion table."]
    )
    chart = alt.layer(*layers).properties(width=WIDTH, height=alt.Step(18), title=alt.Title(title, subtitle=subtitle))
    return _finish(chart, language)


# --------------------------------------------------------------------------------------------
# classes


def class_distribution(
    scorecard: pl.DataFrame,
    methodology: Any,
    *,
    language: str = "vi",
    levels: Sequence[str] | None = None,
) -> alt.FacetChart:
    """How many units fall in each class (phân bố xếp loại), one panel per level; units with no
    dossiers counted apart. By default every level with more than one unit."""
    check_language(language)
    if scorecard.get_column("period").n_unique() > 1:
        raise ValueError("the scorecard holds several periods: filter one period first")
    if levels is None:
        counts = scorecard.group_by("level").len()
        present = set(counts.filter(pl.col("len") > 1).get_column("level").to_list())
        levels = [lv for lv in ("department", "district", "commune", "province", "national")
                  if lv in present]
        if not levels:  # a source of the province alone: no level to share out, never an empty chart
            return missing_chart(label("title_classes", language), label("no_levels", language), language)
    inactive = label("inactive", language)
    domain = _class_domain(methodology, language) + [inactive]
    bar_colours, _ = _class_colours(len(domain) - 1)
    level_names = [fmt.level_name(lv, language) for lv in levels]
    rows = scorecard.filter(pl.col("level").is_in(list(levels))).with_columns(
        pl.when(GRADED)
        .then(pl.col("class").map_elements(lambda c: fmt.class_name(methodology, c, language),
                                           return_dtype=pl.String))
        .otherwise(pl.lit(inactive)).alias("class_label"),
        pl.col("level").replace_strict(dict(zip(levels, level_names))).alias("level_name"),
    )
    data = (
        rows.group_by("level_name", "class_label").agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns((pl.col("count") / pl.col("count").sum().over("level_name")).alias("share"))
        .sort("level_name", "class_label")
    )
    base = alt.Chart(data).encode(
        y=alt.Y("class_label:N", sort=domain, title=None, scale=alt.Scale(domain=domain)),
        tooltip=[
            alt.Tooltip("level_name:N", title=label("level", language)),
            alt.Tooltip("class_label:N", title=label("class", language)),
            alt.Tooltip("count:Q", title=label("count", language), format=",d"),
            alt.Tooltip("share:Q", title=label("ratio", language), format=".1%"),
        ],
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("count:Q", title=label("count", language),
                axis=alt.Axis(format=",d", tickMinStep=1, tickCount=4, labelOverlap="greedy", labelFlush=True)),
        color=alt.Color("class_label:N", legend=None,
                        scale=alt.Scale(domain=domain, range=bar_colours + [INACTIVE_COLOUR])),
    )
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x="count:Q", text=alt.Text("count:Q", format=",d"))
    chart = alt.layer(bars, text).properties(width=260, height=alt.Step(24)).facet(
        column=alt.Column("level_name:N", title=None, sort=level_names,
                          header=alt.Header(labelFontWeight="bold", labelFontSize=13)),
    ).resolve_scale(x="independent").properties(
        title=alt.Title(label("title_classes", language)),
    )
    return _finish(chart, language)


# --------------------------------------------------------------------------------------------
# two indicators


def indicator_scatter(
    detail: pl.DataFrame,
    scorecard: pl.DataFrame,
    x: str = "PAYMENT_DOSSIER",
    y: str = "ORIGINAL_RESULT_AVAILABLE",
    *,
    level: str,
    language: str = "vi",
    methodology: Any = None,
    x_target: float | None = None,
    y_target: float | None = None,
    highlight: str | None = None,
) -> alt.LayerChart:
    """Two indicators' ratios per unit (so sánh hai chỉ số), to find the units that do one and not
    the other. Bubble size is the number of dossiers received. The quadrant lines are at
    ``x_target``/``y_target`` (fractions); by default the indicator's own target when it has one,
    otherwise the province's ratio. Units with no ratio for either indicator (zero denominator)
    are left out and counted in the subtitle. The defaults exist for every level: the portal
    gives no ONLINE_DOSSIER counts for departments and communes.
    """
    check_language(language)
    if methodology is None:
        from analysis.scoring.methodology import load_methodology
        methodology = load_methodology()
    if (absent := _absent_level(scorecard, level, language, "title_scatter")) is not None:
        return absent
    rows = _with_short_names(_level_rows(scorecard, level)).select(
        "unit_code", "unit", "unit_name", "dossiers", "parent_code")
    period = _level_rows(scorecard, level).get_column("period").item(0)
    this = detail.filter(pl.col("period") == period)

    def pick(indicator: str, prefix: str) -> pl.DataFrame:
        part = this.filter(pl.col("indicator") == indicator)
        return part.select(
            "unit_code",
            pl.col("ratio").alias(prefix),
            pl.col("numerator").alias(f"{prefix}_num"),
            pl.col("denominator").alias(f"{prefix}_den"),
        )

    xs, ys = pick(x, "x"), pick(y, "y")
    joined = rows.join(xs, on="unit_code", how="left").join(ys, on="unit_code", how="left")
    missing = joined.filter(pl.col("x").is_null() | pl.col("y").is_null()).height
    if missing == joined.height:
        # the source lacks one of them for this level (the portal publishes some indicators for
        # the province only; a source of published group scores has none): say so
        lacking = [i for i, part in ((x, joined["x"]), (y, joined["y"])) if part.null_count() == part.len()] or [x, y]
        names = " / ".join(f"“{fmt.indicator_name(methodology, i, language)}”" for i in lacking)
        sentence = label("scatter_missing", language).format(names=names, level=fmt.level_name(level, language).lower())
        return missing_chart(f"{label('title_scatter', language)}: {fmt.level_name(level, language)}", sentence, language)

    parent = _reference_row(scorecard, _level_rows(scorecard, level))

    def target_for(indicator: str, given: float | None, values: pl.DataFrame) -> tuple[float, str]:
        if given is not None:
            return float(given), label("target", language)
        try:
            own = methodology.indicator(indicator).target
        except KeyError:
            own = None
        if own:
            return float(own), label("target", language)
        if parent is not None:
            ratio = values.filter(pl.col("unit_code") == parent["unit_code"])
            if ratio.height and ratio.get_column(ratio.columns[1]).item(0) is not None:
                return float(ratio.get_column(ratio.columns[1]).item(0)), label("province_reference", language)
        median = joined.get_column("x" if values is xs else "y").median()
        return float(median or 0.0), label("median", language)

    tx, tx_name = target_for(x, x_target, xs)
    ty, ty_name = target_for(y, y_target, ys)
    x_name = fmt.indicator_name(methodology, x, language)
    y_name = fmt.indicator_name(methodology, y, language)
    words = QUADRANT_WORDS[language]
    quadrants = [words["both_high"],
                 words["one_only"].format(name=_short_indicator(x_name)),
                 words["one_only"].format(name=_short_indicator(y_name)),
                 words["both_low"]]
    data = joined.drop_nulls(["x", "y"]).with_columns(
        pl.when((pl.col("x") >= tx) & (pl.col("y") >= ty)).then(pl.lit(quadrants[0]))
        .when(pl.col("x") >= tx).then(pl.lit(quadrants[1]))
        .when(pl.col("y") >= ty).then(pl.lit(quadrants[2]))
        .otherwise(pl.lit(quadrants[3])).alias("quadrant"),
        pl.col("dossiers").fill_null(0),
    ).select("unit", "unit_name", "x", "x_num", "x_den", "y", "y_num", "y_den", "dossiers",
             "quadrant")
    highlighted = _highlight_name(rows, highlight)
    search = _search_param(language)
    pick_q = alt.selection_point(fields=["quadrant"], bind="legend")
    x_scale = alt.Scale(domain=[_lower(data.get_column("x"), tx), 1], nice=False, clamp=True)
    y_scale = alt.Scale(domain=[_lower(data.get_column("y"), ty), 1], nice=False, clamp=True)
    tooltip = [
        alt.Tooltip("unit_name:N", title=label("unit", language)),
        alt.Tooltip("x:Q", title=x_name, format=".2%"),
        alt.Tooltip("x_num:Q", title=f"{x_name}: {label('numerator', language).lower()}", format=",.0f"),
        alt.Tooltip("x_den:Q", title=f"{x_name}: {label('denominator', language).lower()}", format=",.0f"),
        alt.Tooltip("y:Q", title=y_name, format=".2%"),
        alt.Tooltip("y_num:Q", title=f"{y_name}: {label('numerator', language).lower()}", format=",.0f"),
        alt.Tooltip("y_den:Q", title=f"{y_name}: {label('denominator', language).lower()}", format=",.0f"),
        alt.Tooltip("dossiers:Q", title=label("dossiers", language), format=",.0f"),
        alt.Tooltip("quadrant:N", title=label("quadrant", language)),
    ]
    found = f"({search.name} !== '' && {_matches(search)})"
    if highlighted:
        found = f"({found} || datum.unit === {_js(highlighted)})"
    points = alt.Chart(data).mark_circle(stroke="white", strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=x_scale, title=x_name, axis=alt.Axis(format=".0%")),
        y=alt.Y("y:Q", scale=y_scale, title=y_name, axis=alt.Axis(format=".0%")),
        size=alt.Size("dossiers:Q", title=label("dossiers", language),
                      scale=alt.Scale(type="sqrt", range=[12, 450]),
                      legend=alt.Legend(format=",.0f", symbolType="circle", orient="right",
                                        direction="vertical", columns=1, tickCount=4)),
        color=alt.Color("quadrant:N", title=label("quadrant", language),
                        scale=alt.Scale(domain=quadrants, range=QUADRANT_COLOURS),
                        legend=alt.Legend(symbolType="circle", columns=1, labelLimit=420)),
        opacity=alt.condition(pick_q, alt.value(0.75), alt.value(0.12)),
        order=alt.Order("dossiers:Q", sort="descending"),
        tooltip=tooltip,
    ).add_params(search, pick_q)
    static = _point_names(data, quadrants[3], x_scale, y_scale)
    names = alt.Chart(data).transform_filter(found).mark_text(
        align="left", dx=7, dy=-7, fontSize=11, fontWeight="bold", color=HIGHLIGHT_COLOUR,
    ).encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="unit:N",
             tooltip=tooltip)
    lines = pl.DataFrame({
        "axis": ["x", "y"],
        "value": [tx, ty],
        "text": [f"{tx_name}: {fmt.percent(tx, 1, language, trim=True)}",
                 f"{ty_name}: {fmt.percent(ty, 1, language, trim=True)}"],
    })
    vline = alt.Chart(lines).transform_filter("datum.axis === 'x'").mark_rule(
        strokeDash=[5, 3], color=REFERENCE_COLOUR).encode(
        x=alt.X("value:Q", scale=x_scale), tooltip=[alt.Tooltip("text:N", title=words["line"])])
    hline = alt.Chart(lines).transform_filter("datum.axis === 'y'").mark_rule(
        strokeDash=[5, 3], color=REFERENCE_COLOUR).encode(
        y=alt.Y("value:Q", scale=y_scale), tooltip=[alt.Tooltip("text:N", title=words["line"])])
    side = WIDTH - 100
    vtext = alt.Chart(lines).transform_filter("datum.axis === 'x'").mark_text(
        align="left", dx=4, baseline="bottom", dy=-4, fontSize=10, color=REFERENCE_COLOUR).encode(
        x=alt.X("value:Q", scale=x_scale), y=alt.value(side), text="text:N")
    htext = alt.Chart(lines).transform_filter("datum.axis === 'y'").mark_text(
        align="left", baseline="bottom", dx=4, dy=-4, fontSize=10, color=REFERENCE_COLOUR).encode(
        y=alt.Y("value:Q", scale=y_scale), x=alt.value(0), text="text:N")
    subtitle = [label("bubble", language)]
    if missing:
        subtitle.append(label("subtitle_missing", language).format(n=missing))
    chart = alt.layer(vline, hline, points, static, names, vtext, htext).properties(
        width=WIDTH - 100, height=WIDTH - 100,
        title=alt.Title(f"{label('title_scatter', language)}: {fmt.level_name(level, language)}",
                        subtitle=subtitle),
    )
    return _finish(chart, language)


def _point_names(data: pl.DataFrame, lowest: str, x_scale: alt.Scale, y_scale: alt.Scale) -> alt.Chart:
    """Names on the points themselves, so an exported picture says who is where: every unit of a
    small level, else the units below both lines (quadrant ``lowest``) with the most dossiers."""
    labelled = data if data.height <= LABEL_ALL else data.filter(pl.col("quadrant") == lowest).sort(
        "dossiers", descending=True).head(LABEL_ALL)
    return alt.Chart(labelled).mark_text(align="left", dx=6, dy=-5, fontSize=9, color="#333").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="unit:N")


LABEL_ALL = 20
"""A scatter names every point of a level with at most this many units (else this many points)."""

QUADRANT_WORDS = {
    "vi": {"both_high": "Từ đường tham chiếu trở lên ở cả hai chỉ số", "one_only": "Chỉ đạt đường tham chiếu: {name}",
           "both_low": "Dưới đường tham chiếu ở cả hai chỉ số", "line": "Đường tham chiếu"},
    "en": {"both_high": "At or above both reference lines", "one_only": "Above the line only on: {name}",
           "both_low": "Below both reference lines", "line": "Reference line"},
}
"""The scatter's quadrants: each line is a target of the run or the province's own ratio (its label says
which), so the quadrants speak of reference lines, not of targets."""


def missing_chart(title: str, sentence: str, language: str = "vi") -> alt.Chart:
    """A chart's place when its data is missing: the sentence saying what is missing (never zeros)."""
    check_language(language)
    chart = alt.Chart(pl.DataFrame({"text": [sentence]})).mark_text(
        align="left", baseline="middle", fontSize=13, color=REFERENCE_COLOUR, x=0,
    ).encode(text="text:N").properties(
        width=WIDTH - 100, height=40, title=alt.Title(title, subtitle=[label("no_chart", language)]))
    return _finish(chart, language)


def _short_indicator(name: str) -> str:
    """``Tỷ lệ hồ sơ thanh toán trực tuyến`` → ``hồ sơ thanh toán trực tuyến`` (legend labels)."""
    for prefix in ("Tỷ lệ ", "Share of ", "Ratio of "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _lower(values: pl.Series, reference: float) -> float:
    """The lower end of a ratio axis: the tenth below the smallest value or the reference line."""
    smallest = min(float(values.min()), reference)
    return max(0.0, math.floor(smallest * 10) / 10)


# --------------------------------------------------------------------------------------------
# headline


def group_bullets(
    scorecard: pl.DataFrame | dict[str, Any],
    methodology: Any,
    *,
    language: str = "vi",
    unit_code: str | None = None,
) -> alt.LayerChart:
    """One unit's groups against their maxima (điểm từng nhóm / điểm tối đa): a grey bar to the
    maximum, a coloured bar to the score, the figure as the reports write it (``10,5/18``).

    Takes a scorecard row (dict) or frame; from a frame, the unit ``unit_code``, else the
    province (level ``province``), else the only row.
    """
    check_language(language)
    row = _one_row(scorecard, unit_code)
    names = _group_labels(methodology, language, with_max=False)
    records = []
    for name, group in zip(names, methodology.groups):
        value = row.get(group.code)
        share = (value / group.max) if (value is not None and group.max) else None
        records.append({
            "group": name,
            "score": value,
            "max": float(group.max),
            "share": share,
            "text": (f"{fmt.score_of(value, group.max, language)}"
                     f"  ({fmt.percent(share, 0, language)})") if value is not None else fmt.MISSING,
        })
    data = pl.DataFrame(records, schema={"group": pl.String, "score": pl.Float64,
                                         "max": pl.Float64, "share": pl.Float64, "text": pl.String})
    tooltip = [
        alt.Tooltip("group:N", title=label("group", language)),
        alt.Tooltip("score:Q", title=label("score", language), format=",.2f"),
        alt.Tooltip("max:Q", title=label("max", language), format=",.0f"),
        alt.Tooltip("share:Q", title=label("share_of_max", language), format=".1%"),
    ]
    base = alt.Chart(data).encode(y=alt.Y("group:N", sort=names, title=None,
                                          axis=alt.Axis(labelFontSize=12, labelLimit=240)),
                                  tooltip=tooltip)
    top = max(float(g.max) for g in methodology.groups)
    x = alt.X("max:Q", title=label("score", language), scale=alt.Scale(domain=[0, top * 1.3]),
              axis=alt.Axis(format=",.0f", grid=False, values=list(range(0, int(top) + 1, 2))))
    back = base.mark_bar(color="#e4e4e4", height={"band": 0.7}).encode(x=x)
    front = base.mark_bar(height={"band": 0.42}).encode(
        x=alt.X("score:Q"),
        color=alt.Color("group:N", scale=alt.Scale(domain=names, range=GROUP_COLOURS[:len(names)]),
                        legend=None),
    )
    text = base.mark_text(align="left", dx=5, fontSize=12, color="#222222").encode(
        x="max:Q", text="text:N")
    name = fmt.short_unit_name(row.get("unit_name")) or ""
    if language == "en" and row.get("level") in ("province", "national"):
        name = _province_label(name)          # "Phú Thọ", not "Tỉnh Phú Thọ"
    total = row.get("total")
    heading = f"{name}: {fmt.score_of(total, 100, language)} {label('points', language)}"
    if row.get("class"):
        heading += f" · {fmt.class_name(methodology, row['class'], language)}"
    subtitle = label("title_bullets", language)
    if row.get("rank") is not None and row.get("rank_of") is not None and row.get("level") != "province":
        subtitle += (f" · {label('rank', language)} {fmt.integer(row['rank'], language)}"
                     f"/{fmt.integer(row['rank_of'], language)}")
    chart = alt.layer(back, front, text).properties(
        width=WIDTH - 120, height=alt.Step(34), title=alt.Title(heading, subtitle=subtitle))
    return _finish(chart, language)


def _one_row(scorecard: pl.DataFrame | dict[str, Any], unit_code: str | None) -> dict[str, Any]:
    if isinstance(scorecard, dict):
        return scorecard
    frame = scorecard
    if unit_code is not None:
        frame = frame.filter(pl.col("unit_code") == unit_code)
        if frame.is_empty():
            raise ValueError(f"unit {unit_code!r} is not in the scorecard")
    elif "level" in frame.columns and frame.height > 1:
        frame = frame.filter(pl.col("level") == "province")
    if frame.height != 1:
        raise ValueError("group_bullets needs one unit: pass unit_code or a single row")
    return frame.row(0, named=True)


# --------------------------------------------------------------------------------------------
# over time


@dataclass(frozen=True)
class Break:
    """A break in a series (methodology, platform or units changed) drawn as a labelled rule."""

    date: date
    label_vi: str
    label_en: str

    def text(self, language: str) -> str:
        return self.label_vi if language == "vi" else self.label_en


KNOWN_BREAKS: tuple[Break, ...] = (
    Break(date(2025, 7, 1), fmt.LABELS["vi"]["reorganisation"], fmt.LABELS["en"]["reorganisation"]),
    Break(date(2026, 1, 1), fmt.LABELS["vi"]["new_platform"], fmt.LABELS["en"]["new_platform"]),
)
"""The breaks the reports must mark: the July 2025 reorganisation (34 provinces, no districts)
and the portal's new platform and scoring in 2026. The platform's start date is not published;
the yearly cumulative series restart on 1 January 2026, so the break is drawn there (a setting)."""


def _breaks(breaks: Any, start: date, end: date) -> list[Break]:
    if breaks is None or breaks is False:
        return []
    if isinstance(breaks, str):
        if breaks != "auto":
            raise ValueError("breaks: 'auto', None or a list of Break / (date, label) pairs")
        return [b for b in KNOWN_BREAKS if start < b.date <= end]
    out = []
    for item in breaks:
        if isinstance(item, Break):
            out.append(item)
        else:
            when, text = item
            when = fmt._as_date(when)
            out.append(Break(when, text, text))
    return out


def _series_frame(series: pl.DataFrame, value: str, language: str) -> tuple[pl.DataFrame, str]:
    """Normalise a series to: when (date), when_label, unit_code, unit_name, value; and the
    axis time format."""
    from analysis.contract.periods import parse_period

    for column in ("unit_code", "unit_name", value):
        if column not in series.columns:
            raise KeyError(f"series needs a {column!r} column")
    if "date" in series.columns:
        when = series.get_column("date")
        if when.dtype == pl.String:
            when = when.str.to_date(strict=True)
        elif when.dtype == pl.Datetime:
            when = when.dt.date()
        frame = series.with_columns(when.alias("when"))
        frame = frame.with_columns(
            pl.col("when").map_elements(lambda d: fmt.date_vi(d, language), return_dtype=pl.String)
            .alias("when_label"))
        span = (frame.get_column("when").max() - frame.get_column("when").min()).days
        axis_format = "%d/%m" if span <= 120 else "%m/%Y"
    elif "period" in series.columns:
        codes = series.get_column("period").unique().to_list()
        periods = {c: parse_period(c) for c in codes}
        frame = series.with_columns(
            pl.col("period").replace_strict({c: p.start for c, p in periods.items()},
                                            return_dtype=pl.Date).alias("when"),
            pl.col("period").replace_strict({c: p.label(language) for c, p in periods.items()},
                                            return_dtype=pl.String).alias("when_label"),
        )
        axis_format = "%m/%Y"
    else:
        raise KeyError("series needs a 'date' or a 'period' column")
    short = short_unit_names(frame.get_column("unit_name").to_list())
    if all(n and n.startswith(("Tỉnh ", "Thành phố ")) for n in short):
        short = [_province_label(n) for n in short]      # provinces: "Phú Thọ", "Hà Nội"
    frame = frame.with_columns(pl.Series("unit", short, dtype=pl.String))
    return frame, axis_format


def _value_title(value: str, language: str, methodology: Any) -> str:
    if value == "total":
        return label("total", language)
    if value == "rank":
        return label("rank", language)
    if methodology is not None:
        try:
            return fmt.group_name(methodology, value, language)
        except KeyError:
            pass
    return value


def _time_chart(series: pl.DataFrame, value: str, *, language: str, breaks: Any,
                highlight: str | None, methodology: Any, rank: bool, title: str,
                y_title: str) -> alt.LayerChart:
    check_language(language)
    frame, axis_format = _series_frame(series, value, language)
    frame = frame.filter(pl.col(value).is_not_null()).sort("unit_code", "when")
    if frame.is_empty():
        raise ValueError(f"the series has no values of {value!r}")
    start, end = frame.get_column("when").min(), frame.get_column("when").max()
    marks = _breaks(breaks, start, end)
    cuts = sorted(b.date for b in marks)
    frame = frame.with_columns(
        pl.col("when").map_elements(lambda d: sum(1 for c in cuts if d >= c), return_dtype=pl.Int64)
        .alias("segment"))
    data = frame.select(
        pl.col("when").cast(pl.String), "when_label", "unit_code", "unit",
        pl.col("unit_name"), pl.col(value).cast(pl.Float64).alias("value"), "segment",
    ).drop("unit_name")
    units = data.unique("unit_code", keep="first")
    units = units[sorted(range(units.height), key=lambda i: fmt.sort_key(units.get_column("unit")[i]))]
    codes, names = units.get_column("unit_code").to_list(), units.get_column("unit").to_list()
    selected = None
    if highlight is not None:
        hit = units.filter((pl.col("unit_code") == highlight) | (pl.col("unit") == highlight)
                           | (pl.col("unit") == fmt.short_unit_name(highlight)))
        if hit.is_empty():
            raise ValueError(f"highlighted unit {highlight!r} is not in the series")
        selected = hit.get_column("unit_code").item(0)
    elif len(codes) == 1:
        selected = codes[0]
    few = len(codes) <= 8
    # the lines of one unit's groups (trends.group_series) are picked as groups, not as units
    groups = methodology is not None and set(codes) <= set(methodology.group_codes)
    binding = alt.binding_select(options=[None] + codes, labels=[label("all", language)] + names,
                                 name=label("choose_group" if groups else "choose_unit", language))
    # few units: every line in its colour, the highlighted one thicker; many: the highlighted
    # unit is the drop-down's first choice and the others are grey
    initial = selected if (selected is not None and not few) else alt.Undefined
    pick = alt.selection_point(fields=["unit_code"], bind=binding, value=initial)
    value_title = y_title
    axis_y = alt.Axis(format="d" if rank else ",.0f", tickMinStep=1 if rank else alt.Undefined)
    if rank:
        top = int(data.get_column("value").max() or 1)
        y_scale = alt.Scale(domain=[1, max(top, 2)], reverse=True, nice=False, zero=False)
        step = 1 if top <= 10 else 5 if top <= 60 else 10 if top <= 150 else 20
        axis_y = alt.Axis(format="d", values=[1] + list(range(step, top + 1, step))
                          if step > 1 else list(range(1, top + 1)))
    else:
        y_scale = alt.Scale(zero=False, nice=True)
    x = alt.X("when:T", title=None, axis=alt.Axis(format=axis_format, labelAngle=0, grid=False,
                                                  tickCount=min(12, data.get_column("when").n_unique())))
    y = alt.Y("value:Q", title=value_title, scale=y_scale, axis=axis_y)
    colour_on = (alt.Color("unit:N", title=label("unit", language), sort=names,
                           scale=alt.Scale(range=GROUP_COLOURS))
                 if few else alt.value(HIGHLIGHT_COLOUR))
    tooltip = [
        alt.Tooltip("unit:N", title=label("unit", language)),
        alt.Tooltip("when_label:N", title=label("period" if "period" in series.columns else "date",
                                               language)),
        alt.Tooltip("value:Q", title=value_title, format="d" if rank else ",.2f"),
    ]
    base = alt.Chart(data)
    lines = base.mark_line(interpolate="linear", point=False).encode(
        x=x, y=y, detail=["unit_code:N", "segment:O"],
        color=alt.condition(pick, colour_on, alt.value(MUTED_COLOUR)),
        strokeWidth=(alt.condition(f"datum.unit_code === {_js(selected)}", alt.value(3.2), alt.value(2))
                     if few and selected is not None
                     else alt.condition(pick, alt.value(2.4 if few or selected else 1.6), alt.value(1))),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
        tooltip=tooltip,
    ).add_params(pick)
    points = base.mark_point(filled=True, size=45).encode(
        x=x, y=y, detail="unit_code:N",
        color=alt.condition(pick, colour_on, alt.value(MUTED_COLOUR)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.0)),
        tooltip=tooltip,
    )
    last = base.transform_filter(pick).transform_window(
        order="rank()", sort=[alt.SortField("when", order="descending")], groupby=["unit_code"],
    ).transform_filter("datum.order === 1").mark_text(align="left", dx=6, fontSize=11).encode(
        x=x, y=y, text=alt.Text("value:Q", format="d" if rank else ",.2f"),
        color=colour_on if few else alt.value(HIGHLIGHT_COLOUR),
    )
    layers: list[alt.Chart] = [lines, points]
    if few or selected is not None:
        layers.append(last)
    if marks:
        rules = pl.DataFrame({"when": [b.date.isoformat() for b in marks],
                              "text": [b.text(language) for b in marks]})
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#b22222", size=1.5).encode(
            x="when:T", tooltip=[alt.Tooltip("text:N", title=label("break", language))]))
        for i in range(rules.height):
            layers.append(alt.Chart(rules.slice(i, 1)).mark_text(
                align="left", baseline="top", dx=4, dy=2, fontSize=10, color="#b22222").encode(
                x="when:T", y=alt.value(14 * i), text="text:N"))
    ordered = data.sort("when").get_column("when_label")
    span = f"{ordered.item(0)} – {ordered.item(-1)}"
    subtitle = [span]
    if selected is not None:
        chosen = units.filter(pl.col("unit_code") == selected).get_column("unit").item(0)
        subtitle.append(f"{label('highlight', language)}: {chosen}")
    if marks:
        subtitle.append(label("subtitle_breaks", language))
    chart = alt.layer(*layers).properties(width=WIDTH, height=300,
                                          title=alt.Title(title, subtitle=subtitle))
    return chart


def trend_lines(
    series: pl.DataFrame,
    *,
    value: str = "total",
    language: str = "vi",
    breaks: Any = "auto",
    highlight: str | None = None,
    methodology: Any = None,
    title: str | None = None,
) -> alt.LayerChart:
    """A score over time (diễn biến điểm số), one line per unit, with a drop-down to pick a unit.

    ``series``: a ``date`` (daily captures) or ``period`` (``2026-08``, ``2026-Q3``) column,
    ``unit_code``, ``unit_name`` and the ``value`` column (``total`` or a group code). Lines are
    cut and a labelled rule drawn at each break: ``breaks="auto"`` marks the known ones
    (:data:`KNOWN_BREAKS`) that fall inside the series; pass a list of :class:`Break` or
    ``(date, label)`` pairs, or ``None``.
    """
    heading = title or f"{label('title_trend', language)}: {_value_title(value, language, methodology)}"
    chart = _time_chart(series, value, language=language, breaks=breaks, highlight=highlight,
                        methodology=methodology, rank=False, title=heading,
                        y_title=_value_title(value, language, methodology))
    return _finish(chart, language)


def rank_over_time(
    series: pl.DataFrame,
    *,
    rank: str = "rank",
    language: str = "vi",
    breaks: Any = "auto",
    highlight: str | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Rank over time (diễn biến thứ hạng): rank 1 at the top, a drop-down to pick a unit,
    breaks marked as in :func:`trend_lines`."""
    heading = title or label("title_rank_trend", language)
    chart = _time_chart(series, rank, language=language, breaks=breaks, highlight=highlight,
                        methodology=None, rank=True, title=heading, y_title=label("rank", language))
    return _finish(chart, language)


# --------------------------------------------------------------------------------------------
# national


def _province_label(name: str) -> str:
    short = fmt.short_unit_name(name) or name
    for prefix in ("Tỉnh ", "Thành phố ", "TP "):
        if short.startswith(prefix):
            return short[len(prefix):]
    return short


def national_ranking(
    province_scores: pl.DataFrame,
    *,
    date: str | None = None,
    highlight: str | None = None,
    language: str = "vi",
) -> alt.LayerChart:
    """The 34 provinces ranked by total on one capture date (xếp hạng toàn quốc; the latest by
    default), the highlighted province (code or name) in a dark colour, the mean of the provinces
    as a dashed rule. Figures are the portal's year-to-date scores on that date."""
    check_language(language)
    frame = province_scores
    if frame.get_column("date").dtype != pl.String:
        frame = frame.with_columns(pl.col("date").cast(pl.String))
    when = date or frame.get_column("date").max()
    frame = frame.filter(pl.col("date") == str(when))
    if frame.is_empty():
        raise ValueError(f"no national capture on {when!r}")
    names = [_province_label(n) for n in frame.get_column("unit_name").to_list()]
    frame = frame.with_columns(pl.Series("unit", names, dtype=pl.String))
    highlighted = _highlight_name(frame, highlight) if highlight else None
    if highlight and highlighted is None:
        raise ValueError(f"province {highlight!r} is not in the capture")
    optional = [c for c in ("score_delta",) if c in frame.columns]
    data = frame.select("unit", "unit_name", "total", "rank", *optional)
    mean = float(data.get_column("total").mean())
    tooltip = [
        alt.Tooltip("unit_name:N", title=label("province", language)),
        alt.Tooltip("total:Q", title=label("total", language), format=",.2f"),
        alt.Tooltip("rank:Q", title=label("rank", language), format="d"),
    ]
    if optional:
        tooltip.append(alt.Tooltip("score_delta:Q", title=label("change", language), format="+,.2f"))
    search = _search_param(language)
    order = alt.EncodingSortField("total", op="max", order="descending")
    y = alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(
        labelFontWeight=alt.expr(f"datum.value === {_js(highlighted)} ? 'bold' : 'normal'")
        if highlighted else alt.Undefined))
    top = min(100.0, math.ceil((float(data.get_column("total").max()) + 6) / 10) * 10)
    x = alt.X("total:Q", title=label("total", language), scale=alt.Scale(domain=[0, top], nice=False),
              axis=alt.Axis(format=",.0f", values=list(range(0, int(top) + 1, 10))))
    colour = (alt.condition(f"datum.unit === {_js(highlighted)}", alt.value(HIGHLIGHT_COLOUR),
                            alt.value(BAR_COLOUR)) if highlighted else alt.value(BAR_COLOUR))
    base = alt.Chart(data)
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=x, y=y, color=colour,
        opacity=alt.condition(f"{search.name} === '' || {_matches(search)}", alt.value(1.0),
                              alt.value(0.25)),
        tooltip=tooltip,
    ).add_params(search)
    values = _halo_text(base, x="total:Q", y=alt.Y("unit:N", sort=order),
                        text=alt.Text("total:Q", format=",.2f"), tooltip=tooltip)
    mean_label = label("mean_provinces", language).format(n=data.height)
    ref = pl.DataFrame({"total": [mean], "text": [f"{mean_label}: {fmt.number(mean, 2, language)}"]})
    rule = alt.Chart(ref).mark_rule(strokeDash=[5, 3], color=REFERENCE_COLOUR, size=1.5).encode(
        x="total:Q", tooltip=[alt.Tooltip("text:N", title=label("national_average", language))])
    rule_text = alt.Chart(ref).mark_text(align="left", dx=4, baseline="bottom", dy=-4,
                                         fontSize=10, fontWeight="bold",
                                         color=REFERENCE_COLOUR).encode(
        x="total:Q", y=alt.value(0), text="text:N")
    day = fmt.date_vi(str(when), language)
    chart = alt.layer(rule, bars, *values, rule_text).properties(
        width=WIDTH, height=alt.Step(16),
        title=alt.Title(label("title_national", language).format(n=data.height),
                        subtitle=[label("subtitle_ytd", language).format(date=day),
                                  label("source_portal", language)]),
    )
    return _finish(chart, language)


def national_map(
    province_scores: pl.DataFrame,
    shapes: dict[str, Any],
    codes: dict[str, str],
    *,
    date: str | None = None,
    value: str = "total",
    highlight: str | None = None,
    language: str = "vi",
    methodology: Any = None,
) -> alt.LayerChart:
    """The 34 provinces on a map (bản đồ), coloured by their score on one capture date.

    ``shapes``: the simplified boundaries (:func:`analysis.io.geo.province_shapes`), each feature with
    its statistics office code; ``codes``: portal code → statistics code
    (:func:`analysis.io.geo.portal_to_gso`). Hoàng Sa and Trường Sa are drawn with Đà Nẵng and
    Khánh Hòa. The highlighted province (portal code) is outlined.
    """
    check_language(language)
    frame = province_scores.with_columns(pl.col("date").cast(pl.String))
    when = date or frame.get_column("date").max()
    frame = frame.filter(pl.col("date") == str(when))
    if frame.is_empty():
        raise ValueError(f"no national capture on {when!r}")
    by_gso = {
        codes[code]: (name, float(score), int(rank))
        for code, name, score, rank in frame.select("unit_code", "unit_name", value, "rank").iter_rows()
        if code in codes
    }
    features = []
    for feature in shapes["features"]:
        gso = feature["properties"]["gso_code"]
        name, score, rank = by_gso.get(gso, (feature["properties"]["name"], None, None))
        features.append({**feature, "properties": {"name": _province_label(name), "full_name": name, "value": score, "rank": rank,
                                                   "highlight": highlight is not None and codes.get(highlight) == gso}})
    value_title = _value_title(value, language, methodology)
    data = alt.Data(values=features)
    tooltip = [
        alt.Tooltip("properties.full_name:N", title=label("province", language)),
        alt.Tooltip("properties.value:Q", title=value_title, format=",.2f"),
        alt.Tooltip("properties.rank:Q", title=label("rank", language), format="d"),
    ]
    fill = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.5).encode(
        color=alt.Color("properties.value:Q", title=value_title, scale=alt.Scale(scheme="redyellowgreen"),
                        legend=alt.Legend(orient="right", direction="vertical", format=",.0f")),
        tooltip=tooltip,
    ).project(type="mercator")
    layers = [fill]
    if highlight is not None:
        layers.append(
            alt.Chart(data).transform_filter("datum.properties.highlight").mark_geoshape(
                fill=None, stroke=HIGHLIGHT_COLOUR, strokeWidth=2.5
            ).encode(tooltip=tooltip).project(type="mercator")
        )
    islands = pl.DataFrame({
        "lon": [112.3, 114.4], "lat": [17.3, 10.9],
        "text": ["Quần đảo Hoàng Sa", "Quần đảo Trường Sa"] if language == "vi" else ["Hoang Sa (Paracel) Islands", "Truong Sa (Spratly) Islands"],
    })
    layers.append(alt.Chart(islands).mark_text(fontSize=9, fontStyle="italic", color="#555555").encode(
        longitude="lon:Q", latitude="lat:Q", text="text:N").project(type="mercator"))
    day = fmt.date_vi(str(when), language)
    title = "Bản đồ điểm của 34 tỉnh, thành phố" if language == "vi" else "The 34 provinces on a map"
    chart = alt.layer(*layers).properties(
        width=420, height=620,
        title=alt.Title(f"{title}: {value_title.lower()}",
                        subtitle=[label("subtitle_ytd", language).format(date=day), label("source_portal", language)]),
    )
    return _finish(chart, language)


# --------------------------------------------------------------------------------------------
# files


def save_chart(chart: alt.TopLevelMixin, path_without_suffix: str | Path, *,
               scale: float = 2.0, language: str | None = None) -> list[Path]:
    """Write ``<path>.png`` (``scale``× pixels, for documents) and ``<path>.svg``; returns both.

    Rendered with vl-convert in the chart's language (Vietnamese numbers ``59,92`` unless the chart
    was made with ``language="en"``); written atomically.
    """
    import vl_convert as vlc

    from analysis.io.load import write_bytes_atomic

    language = language or _language_of(chart)
    spec = chart.to_dict()
    options = {"format_locale": fmt.format_locale(language),
               "time_format_locale": fmt.time_format_locale(language)}
    vl_version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = vlc.vegalite_to_svg(spec, vl_version=vl_version, **options)
    png = vlc.svg_to_png(svg, scale=scale)  # the same pixels as vegalite_to_png, one layout instead of two
    base = Path(path_without_suffix)
    return [write_bytes_atomic(png, base.with_name(base.name + ".png")),
            write_bytes_atomic(svg.encode("utf-8"), base.with_name(base.name + ".svg"))]


def chart_columns(chart: alt.TopLevelMixin) -> dict[str, list[str]]:
    """The columns of every dataset a chart embeds (to check that only what is drawn is sent)."""
    spec = chart.to_dict()
    return {name: sorted(rows[0].keys()) if rows else [] for name, rows in spec.get("datasets", {}).items()}


__all__ = [
    "Break", "KNOWN_BREAKS", "chart_config", "class_bands", "class_distribution", "gap_to_full",
    "group_bullets", "group_heatmap", "indicator_scatter", "national_ranking", "rank_over_time",
    "ranked_bars", "save_chart", "trend_lines", "without_config", "chart_columns",
]

