"""Scores and ranks over time (diễn biến điểm số, thứ hạng), with the series' breaks marked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import polars as pl

from analysis.contract.periods import parse_period
from analysis.report import formatting as fmt
from analysis.report.charts.encodings import js, province_label, value_title, word
from analysis.report.charts.theme import GROUP_COLOURS, HIGHLIGHT_COLOUR, MUTED_COLOUR, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language, short_unit_names
from analysis.scoring.methodology import Methodology


@dataclass(frozen=True)
class Break:
    """A break in a series (methodology, platform or units changed) drawn as a labelled rule."""

    date: date
    label: str
    label_en: str

    def text(self, language: str) -> str:
        return fmt.bilingual(self, "label", language)


KNOWN_BREAKS: tuple[Break, ...] = (
    Break(date(2025, 7, 1), word("reorganisation", "vi"), word("reorganisation", "en")),
    Break(date(2026, 1, 1), word("new_platform", "vi"), word("new_platform", "en")),
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
            day = fmt._as_date(when)
            if day is None:
                raise ValueError(f"break {item!r}: a date is needed")
            out.append(Break(day, text, text))
    return out


def _by_date(series: pl.DataFrame, language: str) -> tuple[pl.DataFrame, str]:
    """A series of daily captures: ``when`` is the date, labelled ``05/10/2026``."""
    when = series.get_column("date")
    if when.dtype == pl.String:
        when = when.str.to_date(strict=True)
    elif when.dtype == pl.Datetime:
        when = when.dt.date()
    frame = series.with_columns(when.alias("when"))
    frame = frame.with_columns(
        pl.col("when").map_elements(lambda d: fmt.date_vi(d, language), return_dtype=pl.String)
        .alias("when_label"))
    span = frame.select((pl.col("when").max() - pl.col("when").min()).dt.total_days()).item()
    return frame, "%d/%m" if span <= 120 else "%m/%Y"


def _by_period(series: pl.DataFrame, language: str) -> tuple[pl.DataFrame, str]:
    """A series of periods (``2026-08``, ``2026-Q3``): ``when`` is the period's first day."""
    periods = {c: parse_period(c) for c in series.get_column("period").unique().to_list()}
    frame = series.with_columns(
        pl.col("period").replace_strict({c: p.start for c, p in periods.items()},
                                        return_dtype=pl.Date).alias("when"),
        pl.col("period").replace_strict({c: p.label(language) for c, p in periods.items()},
                                        return_dtype=pl.String).alias("when_label"),
    )
    return frame, "%m/%Y"


def _series_frame(series: pl.DataFrame, value: str, language: str) -> tuple[pl.DataFrame, str]:
    """Normalise a series to: when (date), when_label, unit_code, unit_name, unit, value; and the
    axis time format."""
    for column in ("unit_code", "unit_name", value):
        if column not in series.columns:
            raise KeyError(f"series needs a {column!r} column")
    if "date" in series.columns:
        frame, axis_format = _by_date(series, language)
    elif "period" in series.columns:
        frame, axis_format = _by_period(series, language)
    else:
        raise KeyError("series needs a 'date' or a 'period' column")
    short = short_unit_names(frame.get_column("unit_name").to_list())
    if all(n and n.startswith(("Tỉnh ", "Thành phố ")) for n in short):
        short = [province_label(n) for n in short if n]      # provinces: "Phú Thọ", "Hà Nội"
    return frame.with_columns(pl.Series("unit", short, dtype=pl.String)), axis_format


def _time_frame(series: pl.DataFrame, value: str, language: str,
                breaks: Any) -> tuple[pl.DataFrame, str, list[Break]]:
    """The drawn rows (when, when_label, unit_code, unit, value, segment: lines are cut at each
    break), the axis' time format and the breaks inside the series."""
    frame, axis_format = _series_frame(series, value, language)
    frame = frame.filter(pl.col(value).is_not_null()).sort("unit_code", "when")
    if frame.is_empty():
        raise ValueError(f"the series has no values of {value!r}")
    start, end = frame.select(pl.col("when").min().alias("start"), pl.col("when").max().alias("end")).row(0)
    marks = _breaks(breaks, start, end)
    cuts = sorted(b.date for b in marks)
    frame = frame.with_columns(
        pl.col("when").map_elements(lambda d: sum(1 for c in cuts if d >= c), return_dtype=pl.Int64)
        .alias("segment"))
    data = frame.select(
        pl.col("when").cast(pl.String), "when_label", "unit_code", "unit",
        pl.col(value).cast(pl.Float64).alias("value"), "segment",
    )
    return data, axis_format, marks


def _units(data: pl.DataFrame, highlight: str | None) -> tuple[pl.DataFrame, str | None]:
    """The series' units in name order, and the unit picked out (the highlighted or the only one)."""
    units = data.unique("unit_code", keep="first")
    units = units[sorted(range(units.height), key=lambda i: fmt.sort_key(units.get_column("unit")[i]))]
    if highlight is not None:
        hit = units.filter((pl.col("unit_code") == highlight) | (pl.col("unit") == highlight)
                           | (pl.col("unit") == fmt.short_unit_name(highlight)))
        if hit.is_empty():
            raise ValueError(f"highlighted unit {highlight!r} is not in the series")
        return units, hit.get_column("unit_code").item(0)
    return units, (units.get_column("unit_code").item(0) if units.height == 1 else None)


def _unit_picker(units: pl.DataFrame, selected: str | None, few: bool, methodology: Methodology | None,
                 language: str) -> alt.Parameter:
    """A drop-down of the units. Few units: every line in its colour, the highlighted one thicker;
    many: the highlighted unit is the drop-down's first choice and the others are grey."""
    codes, names = units.get_column("unit_code").to_list(), units.get_column("unit").to_list()
    # the lines of one unit's groups (trends_text.group_series) are picked as groups, not as units
    groups = methodology is not None and set(codes) <= set(methodology.group_codes)
    binding = alt.binding_select(options=[None] + codes, labels=[word("all", language)] + names,
                                 name=word("choose_group" if groups else "choose_unit", language))
    initial = selected if (selected is not None and not few) else alt.Undefined
    return alt.selection_point(fields=["unit_code"], bind=binding, value=initial)


def _axes(data: pl.DataFrame, axis_format: str, rank: bool, y_title: str) -> tuple[alt.X, alt.Y]:
    """Time across; the value up, or the rank down from 1 at the top."""
    if rank:
        top = int(data.select(pl.col("value").max()).item() or 1)
        y_scale = alt.Scale(domain=[1, max(top, 2)], reverse=True, nice=False, zero=False)
        step = 1 if top <= 10 else 5 if top <= 60 else 10 if top <= 150 else 20
        axis_y = alt.Axis(format="d", values=[1] + list(range(step, top + 1, step))
                          if step > 1 else list(range(1, top + 1)))
    else:
        y_scale = alt.Scale(zero=False, nice=True)
        axis_y = alt.Axis(format=",.0f", tickMinStep=alt.Undefined)
    x = alt.X("when:T", title=None, axis=alt.Axis(format=axis_format, labelAngle=0, grid=False,
                                                  tickCount=min(12, data.get_column("when").n_unique())))
    return x, alt.Y("value:Q", title=y_title, scale=y_scale, axis=axis_y)


def _time_tooltip(series: pl.DataFrame, rank: bool, y_title: str, language: str) -> list[alt.Tooltip]:
    when_title = word("period" if "period" in series.columns else "date", language)
    return [alt.Tooltip("unit:N", title=word("unit", language)),
            alt.Tooltip("when_label:N", title=when_title),
            alt.Tooltip("value:Q", title=y_title, format="d" if rank else ",.2f")]


def _series_layers(data: pl.DataFrame, axes: tuple[alt.X, alt.Y], pick: alt.Parameter, names: list[str],
                   selected: str | None, rank: bool, tooltip: list[alt.Tooltip], language: str) -> list[alt.Chart]:
    """A line per unit (cut at the breaks), its points, and with few units or one picked out the
    last value at the end of each line."""
    x, y = axes
    few = len(names) <= 8
    colour_on = (alt.Color("unit:N", title=word("unit", language), sort=names, scale=alt.Scale(range=GROUP_COLOURS))
                 if few else alt.value(HIGHLIGHT_COLOUR))
    width = (alt.condition(f"datum.unit_code === {js(selected)}", alt.value(3.2), alt.value(2))
             if few and selected is not None
             else alt.condition(pick, alt.value(2.4 if few or selected else 1.6), alt.value(1)))
    base = alt.Chart(data)
    lines = base.mark_line(interpolate="linear", point=False).encode(
        x=x, y=y, detail=["unit_code:N", "segment:O"], color=alt.condition(pick, colour_on, alt.value(MUTED_COLOUR)),
        strokeWidth=width, opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)), tooltip=tooltip,
    ).add_params(pick)
    points = base.mark_point(filled=True, size=45).encode(
        x=x, y=y, detail="unit_code:N", color=alt.condition(pick, colour_on, alt.value(MUTED_COLOUR)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.0)), tooltip=tooltip,
    )
    if not (few or selected is not None):
        return [lines, points]
    last = base.transform_filter(pick).transform_window(
        order="rank()", sort=[alt.SortField("when", order="descending")], groupby=["unit_code"],
    ).transform_filter("datum.order === 1").mark_text(align="left", dx=6, fontSize=11).encode(
        x=x, y=y, text=alt.Text("value:Q", format="d" if rank else ",.2f"),
        color=colour_on if few else alt.value(HIGHLIGHT_COLOUR),
    )
    return [lines, points, last]


def _break_layers(marks: list[Break], language: str) -> list[alt.Chart]:
    """A dashed red rule at each break, its label at the top (one line each)."""
    if not marks:
        return []
    rules = pl.DataFrame({"when": [b.date.isoformat() for b in marks], "text": [b.text(language) for b in marks]})
    layers = [alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#b22222", size=1.5).encode(
        x="when:T", tooltip=[alt.Tooltip("text:N", title=word("break", language))])]
    for i in range(rules.height):
        layers.append(alt.Chart(rules.slice(i, 1)).mark_text(
            align="left", baseline="top", dx=4, dy=2, fontSize=10, color="#b22222").encode(
            x="when:T", y=alt.value(14 * i), text="text:N"))
    return layers


def _time_chart(series: pl.DataFrame, value: str, *, language: str, breaks: Any,
                highlight: str | None, methodology: Methodology | None, rank: bool, title: str,
                y_title: str) -> TopLevel:
    check_language(language)
    data, axis_format, marks = _time_frame(series, value, language, breaks)
    units, selected = _units(data, highlight)
    names = units.get_column("unit").to_list()
    pick = _unit_picker(units, selected, len(names) <= 8, methodology, language)
    axes = _axes(data, axis_format, rank, y_title)
    tooltip = _time_tooltip(series, rank, y_title, language)
    layers = _series_layers(data, axes, pick, names, selected, rank, tooltip, language) + _break_layers(marks, language)
    ordered = data.sort("when").get_column("when_label")
    subtitle = [f"{ordered.item(0)} – {ordered.item(-1)}"]
    if selected is not None:
        chosen = units.filter(pl.col("unit_code") == selected).get_column("unit").item(0)
        subtitle.append(f"{word('highlight', language)}: {chosen}")
    if marks:
        subtitle.append(word("subtitle_breaks", language))
    return alt.layer(*layers).properties(width=WIDTH, height=300, title=alt.Title(title, subtitle=subtitle))


def trend_lines(
    series: pl.DataFrame,
    *,
    value: str = "total",
    language: str = "vi",
    breaks: Any = "auto",
    highlight: str | None = None,
    methodology: Methodology | None = None,
    title: str | None = None,
) -> TopLevel:
    """A score over time (diễn biến điểm số), one line per unit, with a drop-down to pick a unit.

    ``series``: a ``date`` (daily captures) or ``period`` (``2026-08``, ``2026-Q3``) column,
    ``unit_code``, ``unit_name`` and the ``value`` column (``total`` or a group code). Lines are
    cut and a labelled rule drawn at each break: ``breaks="auto"`` marks the known ones
    (:data:`KNOWN_BREAKS`) that fall inside the series; pass a list of :class:`Break` or
    ``(date, label)`` pairs, or ``None``.
    """
    named = value_title(value, language, methodology)
    heading = title or f"{word('title_trend', language)}: {named}"
    chart = _time_chart(series, value, language=language, breaks=breaks, highlight=highlight,
                        methodology=methodology, rank=False, title=heading, y_title=named)
    return finish(chart, language)


def rank_over_time(
    series: pl.DataFrame,
    *,
    rank: str = "rank",
    language: str = "vi",
    breaks: Any = "auto",
    highlight: str | None = None,
    title: str | None = None,
) -> TopLevel:
    """Rank over time (diễn biến thứ hạng): rank 1 at the top, a drop-down to pick a unit,
    breaks marked as in :func:`trend_lines`."""
    heading = title or word("title_rank_trend", language)
    chart = _time_chart(series, rank, language=language, breaks=breaks, highlight=highlight,
                        methodology=None, rank=True, title=heading, y_title=word("rank", language))
    return finish(chart, language)
