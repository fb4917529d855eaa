"""The explorer's charts (biểu đồ khám phá): the ranked chart, the distribution, a unit's history.

They take the frames of :mod:`analysis.explore.view` (already filtered and sorted), hand Altair
only the columns they draw, and carry the suite's look and Vietnamese number locale
(:func:`analysis.report.charts.chart_config`).  The ranked chart has a point selection on the unit
(``don_vi``): a click on a bar tells the explorer which unit to open.

Building an Altair chart validates it against the Vega-Lite schema, which takes longer than the
whole update may: the ranked chart and the distribution are therefore built once per kind
(metric, language) as a template reading a named dataset, and each update returns the template's
spec with its own rows and title (:func:`with_rows`), a plain Vega-Lite dict.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import altair as alt
import polars as pl

from analysis.explore.view import TOTAL, ExploreData, State
from analysis.report import charts
from analysis.report import formatting as fmt
from analysis.report.messages import text
from analysis.scoring.methodology import Methodology

RANKED_ROWS = 40
"""Bars in the ranked chart (the table holds them all; 3,321 bars would not be read)."""
PICK = "don_vi"
"""Name of the ranked chart's click selection (a unit code)."""

def word(key: str, language: str = "vi", **values: object) -> str:
    """A word of the explorer's charts (``explore.chart.<key>`` in the message catalogue)."""
    return text(f"explore.chart.{key}", language, **values)


def measure_name(data: ExploreData, measure: str, language: str = "vi") -> str:
    """The reader's name of a measure: total, a group or an indicator."""
    if measure == TOTAL:
        return word("total", language)
    if measure in data.methodology.group_codes:
        return fmt.group_name(data.methodology, measure, language)
    return fmt.indicator_name(data.methodology, measure, language)


def _finish(chart: Any, language: str) -> Any:
    return charts.finish(chart, language)


def _value_format(metric: str) -> str:
    return ".1%" if metric == "ratio" else ",.2f"


def _class_labels(frame: pl.DataFrame, data: ExploreData, language: str) -> pl.DataFrame:
    return frame.with_columns(fmt.class_column(data.methodology, language).alias("class_label"))


def _axis_format(metric: str) -> str:
    return ".0%" if metric == "ratio" else ",.0f"


ROWS = "rows"
"""The named dataset a chart's template reads; each update supplies only these rows."""


def with_rows(template: dict[str, Any], rows: list[dict[str, Any]], title: str, subtitle: list[str] | str) -> dict[str, Any]:
    """A chart's spec: its (cached) template with this update's rows and title."""
    spec = dict(template)
    spec["datasets"] = {**template.get("datasets", {}), ROWS: rows}
    spec["title"] = {**template.get("title", {}), "text": title, "subtitle": subtitle}
    return spec


_TEMPLATES: dict[tuple[Any, ...], dict[str, Any]] = {}


def _ranked_template(methodology: Methodology, metric: str, on_total: bool, language: str) -> dict[str, Any]:
    key = ("ranked", methodology.id, id(methodology), metric, on_total, language)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _build_ranked_template(methodology, metric, on_total, language)
    return _TEMPLATES[key]


def _build_ranked_template(methodology: Methodology, metric: str, on_total: bool, language: str) -> dict[str, Any]:
    domain = fmt.class_names(methodology, language)
    colours, band_colours = charts.class_colours(len(domain))
    pick = alt.selection_point(name=PICK, fields=["unit_code"], on="click", clear="dblclick")
    name = word(metric, language)
    scale = alt.Scale(domain=[0, 100], nice=False) if on_total else alt.Undefined
    tooltip = [alt.Tooltip("unit_name:N", title=fmt.label("unit", language)),
               alt.Tooltip("value:Q", title=name, format=_value_format(metric)),
               alt.Tooltip("class_label:N", title=word("class", language)),
               alt.Tooltip("numerator:Q", title=fmt.label("numerator", language), format=",.0f"),
               alt.Tooltip("denominator:Q", title=fmt.label("denominator", language), format=",.0f"),
               alt.Tooltip("dossiers:Q", title=fmt.label("dossiers", language), format=",.0f")]
    bars = alt.Chart(alt.NamedData(name=ROWS)).mark_bar(height={"band": 0.78}, cursor="pointer").encode(
        x=alt.X("value:Q", title=name, axis=alt.Axis(format=_axis_format(metric)), scale=scale),
        y=alt.Y("unit:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)),
        fill=alt.Fill("class_label:N", title=word("class", language), scale=alt.Scale(domain=domain, range=colours)),
        stroke=alt.condition(pick, alt.value(charts.HIGHLIGHT_COLOUR), alt.value(None), empty=False),
        strokeWidth=alt.value(2), tooltip=tooltip,
    ).add_params(pick)
    layers: list[Any] = []
    if on_total:
        bands = charts.class_bands(methodology, language).with_columns(
            pl.Series("colour", list(reversed(band_colours)), dtype=pl.String))
        layers.append(alt.Chart(bands).mark_rect().encode(
            x=alt.X("start:Q", scale=scale), x2="end:Q", color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=[alt.Tooltip("band:N", title=word("class", language))]))
    layers.append(bars)
    chart = alt.layer(*layers).properties(width=charts.WIDTH, height=alt.Step(16), title=alt.Title("-")).resolve_scale(
        color="independent", fill="independent")
    return _finish(chart, language).to_dict()


def ranked_chart(data: ExploreData, state: State, table: pl.DataFrame, *, rows: int = RANKED_ROWS) -> dict[str, Any]:
    """The first ``rows`` units of the table as bars of the chosen figure, coloured by class (a Vega-Lite spec).

    When the figure is the total score the class bands are drawn behind the bars; otherwise the
    bars keep the colour of the unit's class.  A click on a bar selects the unit (``don_vi``).
    """
    language = state.language
    head = table.head(rows)
    frame = _class_labels(head, data, language).with_columns(
        pl.Series("unit", fmt.short_unit_names(head["unit_name"].to_list()), dtype=pl.String),
    ).select("unit_code", "unit", "unit_name", "value", "class_label", "numerator", "denominator", "dossiers")
    on_total = state.measure == TOTAL and state.metric == "score"
    title = f"{word('ranked', language)}: {measure_name(data, state.measure, language)} — {word(state.metric, language).lower()}"
    subtitle = [word("shown", language, shown=frame.height, count=table.height)]
    if on_total:
        subtitle.append(word("bands", language))
    template = _ranked_template(data.methodology, state.metric, on_total, language)
    return with_rows(template, frame.to_dicts(), title, subtitle)


def _bins(values: pl.Series, count: int = 20) -> pl.DataFrame:
    """Equal-width bins of ``values`` (nulls left out) with how many units fall in each."""
    values = values.drop_nulls()
    if values.is_empty():
        return pl.DataFrame(schema={"start": pl.Float64, "end": pl.Float64, "count": pl.Int64})
    low, high = float(cast(float, values.min())), float(cast(float, values.max()))
    width = (high - low) / count if high > low else 1.0
    index = ((values - low) / width).floor().clip(0, count - 1).cast(pl.Int64) if high > low else pl.zeros(len(values), pl.Int64, eager=True)
    counts = pl.DataFrame({"bin": index}).group_by("bin").len().rename({"len": "count"})
    return counts.with_columns((low + pl.col("bin") * width).alias("start"), (low + (pl.col("bin") + 1) * width).alias("end")).select(
        "start", "end", pl.col("count").cast(pl.Int64)).sort("start")


@lru_cache(maxsize=16)
def _distribution_template(metric: str, language: str) -> dict[str, Any]:
    form = _value_format(metric)
    name = word(metric, language)
    rows = alt.Chart(alt.NamedData(name=ROWS))
    bars = rows.transform_filter("datum.kind === 'bin'").mark_bar(color=charts.BAR_COLOUR, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("start:Q", bin="binned", title=name, axis=alt.Axis(format=_axis_format(metric))),
        x2="end:Q", y=alt.Y("count:Q", title=word("count", language), axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[alt.Tooltip("start:Q", title="≥", format=form), alt.Tooltip("end:Q", title="<", format=form),
                 alt.Tooltip("count:Q", title=word("count", language), format=",d")],
    )
    rule = rows.transform_filter("datum.kind === 'median'").mark_rule(color=charts.REFERENCE_COLOUR, strokeDash=[5, 3], size=1.5).encode(
        x="start:Q", tooltip=[alt.Tooltip("start:Q", title=word("median", language), format=form)])
    chart = alt.layer(bars, rule).properties(width=charts.WIDTH, height=160, title=alt.Title("-"))
    return _finish(chart, language).to_dict()


def distribution_chart(data: ExploreData, state: State, table: pl.DataFrame) -> dict[str, Any]:
    """How the chosen figure is spread over every unit of the table: a histogram and the median (a spec)."""
    language = state.language
    bins = _bins(table["value"]).with_columns(pl.lit("bin").alias("kind")).to_dicts()
    median = table["value"].median()
    if median is not None:
        bins.append({"kind": "median", "start": float(cast(float, median)), "end": None, "count": None})
    name = word(state.metric, language)
    title = f"{word('distribution', language)}: {measure_name(data, state.measure, language)} — {name.lower()}"
    held = table["value"].drop_nulls().len()
    subtitle = f"{fmt.integer(held, language)} {fmt.label('units', language)}" if held else word("no_units", language)
    return with_rows(_distribution_template(state.metric, language), bins, title, subtitle)


def history_chart(data: ExploreData, history: pl.DataFrame, language: str = "vi") -> alt.Chart:
    """One unit's total over the periods held (the drill-down's history), a point a period."""
    frame = _class_labels(history.select("period", "total", "class", "rank"), data, language)
    periods = frame["period"].to_list()
    name = history["unit_name"].item(0) if history.height else ""
    chart = alt.Chart(frame).mark_line(point=True, color=charts.HIGHLIGHT_COLOUR).encode(
        x=alt.X("period:O", sort=periods, title=word("period", language)),
        y=alt.Y("total:Q", title=word("total", language), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("period:O", title=word("period", language)),
                 alt.Tooltip("total:Q", title=word("total", language), format=",.2f"),
                 alt.Tooltip("class_label:N", title=word("class", language)),
                 alt.Tooltip("rank:Q", title=fmt.label("rank", language), format="d")],
    ).properties(width=360, height=160, title=alt.Title(f"{word('history', language)}: {name}"))
    return _finish(chart, language)
