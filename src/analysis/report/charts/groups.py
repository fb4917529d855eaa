"""The six groups: units × groups (bản đồ nhiệt), the points each unit lost (điểm bị mất) and one
unit's groups against their maxima (điểm từng nhóm / điểm tối đa)."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from analysis.report import formatting as fmt
from analysis.report.charts.encodings import (
    absent_level,
    group_labels,
    level_rows,
    matches,
    missing_chart,
    province_label,
    search_param,
    with_short_names,
    word,
    wrap_expr,
    wrap_table,
)
from analysis.report.charts.theme import GROUP_COLOURS, INACTIVE_MARK, WIDTH, TopLevel, finish
from analysis.report.formatting import check_language
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED


def _groups_long(scorecard: pl.DataFrame, methodology: Methodology, level: str,
                 language: str) -> pl.DataFrame:
    """One row per unit and group: unit, unit_name, total, group (its name), group_order, max, score."""
    rows = with_short_names(level_rows(scorecard, level))
    if "active" in rows.columns:
        rows = rows.with_columns(
            pl.when(GRADED).then(pl.col("unit"))
            .otherwise(pl.col("unit") + pl.lit(INACTIVE_MARK)).alias("unit"))
    names = group_labels(methodology, language)
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
    return [f"{INACTIVE_MARK.strip()} {units} {word('inactive_note', language)}"] if units else []


def _with_total_column(long: pl.DataFrame, columns: list[str], language: str) -> tuple[pl.DataFrame, list[str]]:
    """The total as one more column of the heat map, out of 100."""
    total_name = f"{word('total', language)} (100)"
    totals = long.unique("unit", keep="first", maintain_order=True).select(
        "unit", "unit_name", "total",
        pl.lit(total_name).alias("group"), pl.lit(len(columns), dtype=pl.Int64).alias("group_order"),
        pl.col("total").alias("score"), pl.lit(100.0).alias("max"),
    )
    return pl.concat([long.select(totals.columns), totals], how="vertical_relaxed"), columns + [total_name]


def _heatmap_tooltip(language: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("unit_name:N", title=word("unit", language)),
        alt.Tooltip("group:N", title=word("group", language)),
        alt.Tooltip("score:Q", title=word("score", language), format=",.2f"),
        alt.Tooltip("max:Q", title=word("max", language), format=",.0f"),
        alt.Tooltip("share:Q", title=word("share_of_max", language), format=".1%"),
    ]


def _group_axis(columns: list[str]) -> alt.X:
    """The groups across the top, their names wrapped on several lines."""
    table, lines = wrap_table(columns, width=13)
    return alt.X("group:N", sort=columns, title=None,
                 axis=alt.Axis(orient="top", labelAngle=0, labelLimit=140, labelFontSize=10,
                               labelBaseline="bottom", labelLineHeight=12,
                               labelPadding=4 + 12 * (lines - 1),
                               domain=False, ticks=False, labelExpr=wrap_expr(table)))


def group_heatmap(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    level: str,
    language: str = "vi",
    include_total: bool = True,
) -> TopLevel:
    """Units × groups (bản đồ nhiệt điểm nhóm): colour is the share of the group's maximum,
    the cell shows the score. Units in rank order; the total is the last column. A search box
    (HTML) filters units."""
    check_language(language)
    if (absent := absent_level(scorecard, level, language, "title_heatmap")) is not None:
        return absent
    long = _groups_long(scorecard, methodology, level, language)
    columns = group_labels(methodology, language)
    if include_total:
        long, columns = _with_total_column(long, columns, language)
    data = long.with_columns((pl.col("score") / pl.col("max")).alias("share")).select(
        "unit", "unit_name", "total", "group", "score", "max", "share")
    step = 20 if data.get_column("unit").n_unique() <= 40 else 15
    search = search_param(language)
    base = alt.Chart(data).transform_filter(matches(search)).encode(
        x=_group_axis(columns),
        y=alt.Y("unit:N", sort=alt.EncodingSortField("total", op="max", order="descending"), title=None),
        tooltip=_heatmap_tooltip(language),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("share:Q", title=word("share_of_max", language),
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
        title=alt.Title(f"{word('title_heatmap', language)}: {fmt.level_name(level, language)}",
                        subtitle=[word("subtitle_heatmap", language), *_inactive_note(data, language)]),
    )
    return finish(chart, language)


def _points_lost(long: pl.DataFrame) -> pl.DataFrame:
    """Per unit and group the points missing to the group's maximum, and the unit's total lost."""
    return long.with_columns(
        (pl.col("max") - pl.col("score")).clip(lower_bound=0).round(2).alias("lost"),
    ).with_columns(
        pl.col("lost").sum().over("unit").round(2).alias("total_lost"),
    ).select("unit", "unit_name", "group", "group_order", "score", "max", "lost", "total_lost")


def _gap_tooltip(language: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("unit_name:N", title=word("unit", language)),
        alt.Tooltip("group:N", title=word("group", language)),
        alt.Tooltip("lost:Q", title=word("points_lost", language), format=",.2f"),
        alt.Tooltip("score:Q", title=word("score", language), format=",.2f"),
        alt.Tooltip("max:Q", title=word("max", language), format=",.0f"),
        alt.Tooltip("total_lost:Q", title=word("points_lost_total", language), format=",.2f"),
    ]


def gap_to_full(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    level: str,
    language: str = "vi",
) -> TopLevel:
    """Where each unit lost its points (điểm bị mất theo nhóm): the points missing to each group's
    maximum, stacked, units in rank order (fewest points lost first); the figure at the end of a
    bar is the total lost. A click on a group in the legend picks it out (HTML)."""
    check_language(language)
    if (absent := absent_level(scorecard, level, language, "title_gap")) is not None:
        return absent
    # a group score not given (a source of totals only) is not a point lost: left out
    long = _groups_long(scorecard, methodology, level, language).filter(pl.col("score").is_not_null())
    if long.is_empty():
        name = fmt.level_name(level, language)
        return missing_chart(f"{word('title_gap', language)}: {name}", word("groups_missing", language, level=name.lower()), language)
    data = _points_lost(long)
    names = group_labels(methodology, language)
    step = 18 if data.get_column("unit").n_unique() <= 40 else 13
    pick = alt.selection_point(fields=["group"], bind="legend")
    search = search_param(language)
    y = alt.Y("unit:N", sort=alt.EncodingSortField("total_lost", op="max", order="ascending"), title=None)
    bars = alt.Chart(data).transform_filter(matches(search)).mark_bar(height={"band": 0.78}).encode(
        x=alt.X("lost:Q", stack="zero", title=word("points_lost", language), axis=alt.Axis(format=",.0f")),
        y=y,
        color=alt.Color("group:N", title=word("group", language),
                        scale=alt.Scale(domain=names, range=GROUP_COLOURS[:len(names)]),
                        legend=alt.Legend(columns=3, labelLimit=240)),
        order=alt.Order("group_order:Q"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
        tooltip=_gap_tooltip(language),
    ).add_params(pick, search)
    totals = alt.Chart(data).transform_filter(matches(search)).transform_filter(
        "datum.group_order === 0").mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        x=alt.X("total_lost:Q"), y=y, text=alt.Text("total_lost:Q", format=",.2f"),
        tooltip=[alt.Tooltip("unit_name:N", title=word("unit", language)),
                 alt.Tooltip("total_lost:Q", title=word("points_lost_total", language), format=",.2f")],
    )
    chart = alt.layer(bars, totals).properties(
        width=WIDTH, height=alt.Step(step),
        title=alt.Title(f"{word('title_gap', language)}: {fmt.level_name(level, language)}",
                        subtitle=[word("subtitle_gap", language), *_inactive_note(data, language)]),
    )
    return finish(chart, language)


# --------------------------------------------------------------------------------------------
# one unit


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


def _bullet_rows(row: dict[str, Any], methodology: Methodology, names: list[str], language: str) -> pl.DataFrame:
    """Per group: its name, the unit's score, the maximum, the share and the figure (``10,5/18  (58%)``)."""
    records = []
    for name, group in zip(names, methodology.groups, strict=True):
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
    return pl.DataFrame(records, schema={"group": pl.String, "score": pl.Float64,
                                         "max": pl.Float64, "share": pl.Float64, "text": pl.String})


def _bullet_title(row: dict[str, Any], methodology: Methodology, language: str) -> alt.Title:
    """``Phú Thọ: 59,92 điểm · Trung bình``, the rank under it (not for the province)."""
    name = fmt.short_unit_name(row.get("unit_name")) or ""
    if row.get("level") in ("province", "national"):  # "Tỉnh Phú Thọ" in Vietnamese, "Phú Thọ" in English
        name = word("bullet_province", language, full=name, short=province_label(name))
    heading = f"{name}: {fmt.score_of(row.get('total'), 100, language)} {word('points', language)}"
    if row.get("class"):
        heading += f" · {fmt.class_name(methodology, row['class'], language)}"
    subtitle = word("title_bullets", language)
    if row.get("rank") is not None and row.get("rank_of") is not None and row.get("level") != "province":
        subtitle += (f" · {word('rank', language)} {fmt.integer(row['rank'], language)}"
                     f"/{fmt.integer(row['rank_of'], language)}")
    return alt.Title(heading, subtitle=subtitle)


def group_bullets(
    scorecard: pl.DataFrame | dict[str, Any],
    methodology: Methodology,
    *,
    language: str = "vi",
    unit_code: str | None = None,
) -> TopLevel:
    """One unit's groups against their maxima (điểm từng nhóm / điểm tối đa): a grey bar to the
    maximum, a coloured bar to the score, the figure as the reports write it (``10,5/18``).

    Takes a scorecard row (dict) or frame; from a frame, the unit ``unit_code``, else the
    province (level ``province``), else the only row.
    """
    check_language(language)
    row = _one_row(scorecard, unit_code)
    names = group_labels(methodology, language, with_max=False)
    data = _bullet_rows(row, methodology, names, language)
    tooltip = [
        alt.Tooltip("group:N", title=word("group", language)),
        alt.Tooltip("score:Q", title=word("score", language), format=",.2f"),
        alt.Tooltip("max:Q", title=word("max", language), format=",.0f"),
        alt.Tooltip("share:Q", title=word("share_of_max", language), format=".1%"),
    ]
    base = alt.Chart(data).encode(y=alt.Y("group:N", sort=names, title=None,
                                          axis=alt.Axis(labelFontSize=12, labelLimit=240)),
                                  tooltip=tooltip)
    top = max(float(g.max) for g in methodology.groups)
    x = alt.X("max:Q", title=word("score", language), scale=alt.Scale(domain=[0, top * 1.3]),
              axis=alt.Axis(format=",.0f", grid=False, values=list(range(0, int(top) + 1, 2))))
    back = base.mark_bar(color="#e4e4e4", height={"band": 0.7}).encode(x=x)
    front = base.mark_bar(height={"band": 0.42}).encode(
        x=alt.X("score:Q"),
        color=alt.Color("group:N", scale=alt.Scale(domain=names, range=GROUP_COLOURS[:len(names)]),
                        legend=None),
    )
    text = base.mark_text(align="left", dx=5, fontSize=12, color="#222222").encode(
        x="max:Q", text="text:N")
    chart = alt.layer(back, front, text).properties(
        width=WIDTH - 120, height=alt.Step(34), title=_bullet_title(row, methodology, language))
    return finish(chart, language)
