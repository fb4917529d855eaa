"""Communes by former district (xã, phường theo huyện cũ): each against its former neighbours."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.charts.encodings import (
    class_colours,
    class_domain,
    class_label,
    highlight_name,
    level_rows,
    reference_row,
    value_title,
    with_short_names,
    word,
)
from analysis.report.charts.theme import HIGHLIGHT_COLOUR, REFERENCE_COLOUR, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language
from analysis.scoring.methodology import Methodology


def _commune_frame(rows: pl.DataFrame, methodology: Methodology, value: str, language: str) -> pl.DataFrame:
    """Per commune: its names, former district, value, class, rank, and its district's median and size."""
    return with_short_names(rows).with_columns(
        class_label(methodology, language).alias("class_label"),
        pl.col(value).median().over("former_district").alias("median"),
        pl.len().over("former_district").alias("communes"),
    ).select("unit_code", "unit", "unit_name", "former_district", value, "class_label", "rank", "median", "communes")


def _district_picker(order: list[str], language: str) -> alt.Parameter:
    """A drop-down of the former districts (in name order); none chosen shows them all."""
    names = sorted(order, key=fmt.sort_key)
    return alt.param(name="former_district", bind=alt.binding_select(
        options=[None, *names], labels=["—", *names], name=word("former_district.district", language) + " "))


def _dots(data: pl.DataFrame, methodology: Methodology, value: str, y: alt.Y, pick: alt.Parameter,
          language: str) -> alt.Chart:
    """A dot per commune coloured by class; the communes of other districts than the chosen one faint."""
    domain = class_domain(methodology, language)
    colours, _ = class_colours(len(domain))
    named = value_title(value, language, methodology)
    chosen = f"{pick.name} == null || datum.former_district == {pick.name}"
    return alt.Chart(data).mark_circle(size=60, opacity=0.85, stroke="white", strokeWidth=0.5).encode(
        x=alt.X(f"{value}:Q", title=named, scale=alt.Scale(zero=False)),
        y=y,
        color=alt.Color("class_label:N", scale=alt.Scale(domain=domain, range=colours), title=word("class", language)),
        opacity=alt.condition(chosen, alt.value(0.9), alt.value(0.12)),
        tooltip=[
            alt.Tooltip("unit_name:N", title=word("unit", language)),
            alt.Tooltip("former_district:N", title=word("former_district.district", language)),
            alt.Tooltip(f"{value}:Q", title=named, format=",.2f"),
            alt.Tooltip("rank:Q", title=word("rank", language)),
            alt.Tooltip("median:Q", title=word("former_district.district_median", language), format=",.2f"),
        ],
    ).add_params(pick)


def _medians(data: pl.DataFrame, y: alt.Y, language: str) -> alt.Chart:
    """A tick at each former district's median."""
    return alt.Chart(data).transform_aggregate(
        median="median(median)", communes="max(communes)", groupby=["former_district"],
    ).mark_tick(color=REFERENCE_COLOUR, thickness=2, size=14).encode(
        x=alt.X("median:Q"), y=y,
        tooltip=[alt.Tooltip("former_district:N", title=word("former_district.district", language)),
                 alt.Tooltip("median:Q", title=word("median", language), format=",.2f"),
                 alt.Tooltip("communes:Q", title=word("former_district.communes", language))],
    )


def _province_rule(reference: dict[str, Any] | None, value: str, named: str, language: str) -> list[alt.Chart]:
    """The province's own value as a dashed rule, when the scorecard has it."""
    if reference is None or value not in reference:
        return []
    rule = pl.DataFrame({"value": [float(reference[value])], "name": [fmt.short_unit_name(reference["unit_name"])]})
    return [alt.Chart(rule).mark_rule(strokeDash=[4, 3], color=REFERENCE_COLOUR).encode(
        x="value:Q", tooltip=[alt.Tooltip("name:N", title=word("unit", language)),
                             alt.Tooltip("value:Q", title=named, format=",.2f")])]


def former_district_strip(
    scorecard: pl.DataFrame,
    districts: pl.DataFrame,
    methodology: Methodology,
    *,
    value: str = "total",
    language: str = "vi",
    highlight: str | None = None,
) -> TopLevel:
    """Each commune against the other communes of its former district (so với các xã cùng huyện cũ).

    ``districts``: ``unit_code, former_district`` (:func:`analysis.scoring.crosswalk.former_districts`).
    One row per former district, sorted by its median; a dot per commune coloured by class, a
    tick at the district's median and a dashed rule at the province. A drop-down picks a
    district; hovering a dot names the commune.
    """
    check_language(language)
    rows = level_rows(scorecard, "commune").join(districts.select("unit_code", "former_district"),
                                                 on="unit_code", how="inner", maintain_order="left")
    if rows.is_empty():
        raise ValueError("no commune of the scorecard has a former district")
    data = _commune_frame(rows, methodology, value, language)
    order = (
        data.group_by("former_district", maintain_order=True).agg(pl.col("median").first())
        .sort(["median", "former_district"], descending=[True, False])["former_district"].to_list()
    )
    y = alt.Y("former_district:N", sort=order, title=None)
    named = value_title(value, language, methodology)
    layers = [_dots(data, methodology, value, y, _district_picker(order, language), language),
              _medians(data, y, language), *_province_rule(reference_row(scorecard, rows), value, named, language)]
    if highlight is not None and (name := highlight_name(data, highlight)):
        picked = data.filter(pl.col("unit") == name).select("unit", "former_district", value)
        layers.append(alt.Chart(picked).mark_point(size=160, color=HIGHLIGHT_COLOUR, strokeWidth=2).encode(
            x=f"{value}:Q", y=y))
    subtitle = [word("former_district.dots", language), word("former_district.source", language)]
    chart = alt.layer(*layers).properties(width=WIDTH, height=alt.Step(18), title=alt.Title(
        word("former_district.title", language, value=named.lower()), subtitle=subtitle))
    return finish(chart, language)
