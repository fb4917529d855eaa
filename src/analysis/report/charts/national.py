"""The 34 provinces (toàn quốc): ranked by the portal's total on one capture date, and on a map."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.charts.encodings import (
    bold_label,
    halo_text,
    highlight_name,
    js,
    matches,
    province_label,
    reference_rule,
    search_param,
    value_title,
    word,
)
from analysis.report.charts.theme import BAR_COLOUR, HIGHLIGHT_COLOUR, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language
from analysis.scoring.methodology import Methodology


def _capture(province_scores: pl.DataFrame, date: str | None) -> tuple[pl.DataFrame, str]:
    """The provinces' rows of one capture date (the latest by default) and that date."""
    frame = province_scores
    if frame.get_column("date").dtype != pl.String:
        frame = frame.with_columns(pl.col("date").cast(pl.String))
    when = str(date or frame.get_column("date").max())
    frame = frame.filter(pl.col("date") == when)
    if frame.is_empty():
        raise ValueError(f"no national capture on {when!r}")
    return frame, when


def _national_tooltip(data: pl.DataFrame, language: str) -> list[alt.Tooltip]:
    tooltip = [
        alt.Tooltip("unit_name:N", title=word("province", language)),
        alt.Tooltip("total:Q", title=word("total", language), format=",.2f"),
        alt.Tooltip("rank:Q", title=word("rank", language), format="d"),
    ]
    if "score_delta" in data.columns:
        tooltip.append(alt.Tooltip("score_delta:Q", title=word("change", language), format="+,.2f"))
    return tooltip


def _province_bars(data: pl.DataFrame, highlighted: str | None, language: str) -> list[alt.Chart]:
    """A bar per province (the highlighted one dark; a search box dims the others) and its value."""
    tooltip = _national_tooltip(data, language)
    search = search_param(language)
    order = alt.EncodingSortField("total", op="max", order="descending")
    y = alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelFontWeight=bold_label(highlighted)))
    top = min(100.0, math.ceil((float(data.select(pl.col("total").max()).item()) + 6) / 10) * 10)
    x = alt.X("total:Q", title=word("total", language), scale=alt.Scale(domain=[0, top], nice=False),
              axis=alt.Axis(format=",.0f", values=list(range(0, int(top) + 1, 10))))
    colour = (alt.condition(f"datum.unit === {js(highlighted)}", alt.value(HIGHLIGHT_COLOUR),
                            alt.value(BAR_COLOUR)) if highlighted else alt.value(BAR_COLOUR))
    base = alt.Chart(data)
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=x, y=y, color=colour,
        opacity=alt.condition(f"{search.name} === '' || {matches(search)}", alt.value(1.0), alt.value(0.25)),
        tooltip=tooltip,
    ).add_params(search)
    values = halo_text(base, x="total:Q", y=alt.Y("unit:N", sort=order),
                       text=alt.Text("total:Q", format=",.2f"), tooltip=tooltip)
    return [bars, *values]


def national_ranking(
    province_scores: pl.DataFrame,
    *,
    date: str | None = None,
    highlight: str | None = None,
    language: str = "vi",
) -> TopLevel:
    """The 34 provinces ranked by total on one capture date (xếp hạng toàn quốc; the latest by
    default), the highlighted province (code or name) in a dark colour, the mean of the provinces
    as a dashed rule. Figures are the portal's year-to-date scores on that date."""
    check_language(language)
    frame, when = _capture(province_scores, date)
    names = [province_label(n) for n in frame.get_column("unit_name").to_list()]
    frame = frame.with_columns(pl.Series("unit", names, dtype=pl.String))
    highlighted = highlight_name(frame, highlight) if highlight else None
    optional = [c for c in ("score_delta",) if c in frame.columns]
    data = frame.select("unit", "unit_name", "total", "rank", *optional)
    mean = float(data.select(pl.col("total").mean()).item())
    bars = _province_bars(data, highlighted, language)
    mean_label = word("mean_provinces", language, n=data.height)
    rule, rule_text = reference_rule(mean, f"{mean_label}: {fmt.number(mean, 2, language)}",
                                     word("national_average", language))
    day = fmt.date_vi(when, language)
    chart = alt.layer(rule, *bars, rule_text).properties(
        width=WIDTH, height=alt.Step(16),
        title=alt.Title(word("title_national", language, n=data.height),
                        subtitle=[word("subtitle_ytd", language, date=day),
                                  word("source_portal", language)]),
    )
    return finish(chart, language)


def _map_features(frame: pl.DataFrame, shapes: dict[str, Any], codes: dict[str, str], value: str,
                  highlight: str | None) -> list[dict[str, Any]]:
    """The boundaries with each province's name, score, rank and whether it is highlighted."""
    by_gso = {
        codes[code]: (name, float(score), int(rank))
        for code, name, score, rank in frame.select("unit_code", "unit_name", value, "rank").iter_rows()
        if code in codes
    }
    features = []
    for feature in shapes["features"]:
        gso = feature["properties"]["gso_code"]
        name, score, rank = by_gso.get(gso, (feature["properties"]["name"], None, None))
        features.append({**feature, "properties": {
            "name": province_label(name), "full_name": name, "value": score, "rank": rank,
            "highlight": highlight is not None and codes.get(highlight) == gso}})
    return features


def _islands(language: str) -> alt.Chart:
    """Hoàng Sa and Trường Sa named on the map."""
    islands = pl.DataFrame({
        "lon": [112.3, 114.4], "lat": [17.3, 10.9],
        "text": [word("islands.paracel", language), word("islands.spratly", language)],
    })
    return alt.Chart(islands).mark_text(fontSize=9, fontStyle="italic", color="#555555").encode(
        longitude="lon:Q", latitude="lat:Q", text="text:N").project(type="mercator")


def national_map(
    province_scores: pl.DataFrame,
    shapes: dict[str, Any],
    codes: dict[str, str],
    *,
    date: str | None = None,
    value: str = "total",
    highlight: str | None = None,
    language: str = "vi",
    methodology: Methodology | None = None,
) -> TopLevel:
    """The 34 provinces on a map (bản đồ), coloured by their score on one capture date.

    ``shapes``: the simplified boundaries (:func:`analysis.io.geo.province_shapes`), each feature with
    its statistics office code; ``codes``: portal code → statistics code
    (:func:`analysis.io.geo.portal_to_gso`). Hoàng Sa and Trường Sa are drawn with Đà Nẵng and
    Khánh Hòa. The highlighted province (portal code) is outlined.
    """
    check_language(language)
    frame, when = _capture(province_scores.with_columns(pl.col("date").cast(pl.String)), date)
    named = value_title(value, language, methodology)
    data = alt.Data(values=_map_features(frame, shapes, codes, value, highlight))
    tooltip = [
        alt.Tooltip("properties.full_name:N", title=word("province", language)),
        alt.Tooltip("properties.value:Q", title=named, format=",.2f"),
        alt.Tooltip("properties.rank:Q", title=word("rank", language), format="d"),
    ]
    layers = [alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.5).encode(
        color=alt.Color("properties.value:Q", title=named, scale=alt.Scale(scheme="redyellowgreen"),
                        legend=alt.Legend(orient="right", direction="vertical", format=",.0f")),
        tooltip=tooltip,
    ).project(type="mercator")]
    if highlight is not None:
        layers.append(alt.Chart(data).transform_filter("datum.properties.highlight").mark_geoshape(
            fill=None, stroke=HIGHLIGHT_COLOUR, strokeWidth=2.5).encode(tooltip=tooltip).project(type="mercator"))
    layers.append(_islands(language))
    day = fmt.date_vi(when, language)
    chart = alt.layer(*layers).properties(
        width=420, height=620,
        title=alt.Title(word("title_map", language, value=named.lower()),
                        subtitle=[word("subtitle_ytd", language, date=day), word("source_portal", language)]),
    )
    return finish(chart, language)
