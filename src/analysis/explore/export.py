"""Export of the explorer's current view (xuất kết quả): PNG/SVG charts, the table as XLSX, a small HTML page.

Every file is written atomically (:mod:`analysis.io.load`).  The HTML page is self-contained and
has no script: the two charts are inline SVG (rendered by vl-convert in the view's language) and
the table is :func:`analysis.report.tables.html_table`, every string from the data escaped.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

from analysis.explore import charts as echarts
from analysis.explore.drill import display_view, view_headers
from analysis.explore.view import ExploreData, State, base_period, view_table
from analysis.io.load import write_bytes_atomic, write_workbook
from analysis.report import formatting as fmt
from analysis.report import tables
from analysis.report.html import vegalite_version
from analysis.report.messages import text, words

KINDS = ("png", "svg", "xlsx", "html")
CHARTS = {"xep-hang": echarts.ranked_chart, "phan-bo": echarts.distribution_chart}


def describe(data: ExploreData, state: State) -> list[tuple[str, str]]:
    """The controls of a view in words, (control, value) pairs: the export says what it shows."""
    say = words("explore.describe", state.language)
    parent = state.parent.partition(":")[2] or say["all"]
    parent_name = parent
    if state.parent.startswith("unit:"):
        names = data.units.filter(pl.col("unit_code") == parent)["unit_name"]
        parent_name = names.item(0) if names.len() else parent
    rows = [
        (say["period"], ", ".join(state.periods)),
        (say["level"], fmt.level_name(state.level, state.language)),
        (say["parent"], parent_name),
        (say["measure"], echarts.measure_name(data, state.measure, state.language)),
        (say["metric"], echarts.word(state.metric, state.language)),
    ]
    if state.metric == "change":
        rows.append((say["against"], base_period(data, state) or "-"))
    if state.search:
        rows.append((say["search"], state.search))
    if state.near_band is not None:
        rows.append((say["near"], fmt.number(state.near_band, 1, state.language, trim=True)))
    if state.require:
        rows.append((say["require"], echarts.measure_name(data, state.require, state.language)))
    if state.value_filter != "all":
        rows.append((say["value"], {"zero": "= 0", "nonzero": "≠ 0", "none_counted": say["none_counted"]}[state.value_filter]))
    return rows


def file_stem(state: State) -> str:
    """``kham-pha-2026-08-commune-mdsh-lost``: the period, level, figure and metric of the view."""
    text = "-".join(["kham-pha", state.period, state.level, state.measure, state.metric]).lower()
    return re.sub(r"[^a-z0-9-]+", "-", text)


def spreadsheet(data: ExploreData, state: State, table: pl.DataFrame) -> pl.DataFrame:
    """The table as shown, numbers kept as numbers, headers in words (the XLSX's first sheet)."""
    headers = view_headers(data, state)
    more = words("explore.sheet_header", state.language)
    return table.select(
        pl.col("rank").alias(headers["rank"]),
        pl.col("unit_code").alias(more["unit_code"]),
        pl.col("unit_name").alias(headers["unit_name"]),
        pl.col("former_district").alias(headers["former_district"]),
        fmt.class_column(data.methodology, state.language).alias(headers["class"]),
        pl.col("total").alias(headers["total"]),
        pl.col("value").alias(headers["value"]),
        pl.col("score").alias(headers["score"]),
        pl.col("max_score").alias(more["max_score"]),
        pl.col("ratio").alias(headers["ratio"]),
        pl.col("numerator").alias(headers["numerator"]),
        pl.col("denominator").alias(headers["denominator"]),
        pl.col("dossiers").alias(headers["dossiers"]),
        pl.col("change").alias(headers["change"]),
        fmt.class_column(data.methodology, state.language, "next_band").alias(more["next_band"]),
        pl.col("to_next_band").alias(headers["to_next_band"]),
    )


def chart_svg(spec: dict[str, Any], language: str) -> str:
    """A chart spec drawn as SVG in the view's language (Vietnamese numbers ``59,92``)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, vl_version=vegalite_version(), format_locale=fmt.format_locale(language),
                               time_format_locale=fmt.time_format_locale(language))


def html_page(data: ExploreData, state: State, table: pl.DataFrame, svgs: dict[str, str]) -> str:
    """A small self-contained page of the view: what was chosen, the two charts, the table."""
    title = text("explore.page_title", state.language, period=state.period)
    chosen = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in describe(data, state))
    now = datetime.now()
    made = text("explore.exported", state.language, when=f"{fmt.date_vi(now, state.language)} {now:%H:%M}")
    figures = "".join(f'<figure class="bieu-do">{svg}</figure>' for svg in svgs.values())
    body = tables.html_table(display_view(data, state, table), numeric_from=4)
    return (
        f'<!DOCTYPE html><html lang="{state.language}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:1.5rem;max-width:1100px}"
        "table.lua-chon th{text-align:left;padding-right:1rem;font-weight:600}figure.bieu-do{margin:1rem 0}</style>"
        f"</head><body><h1>{escape(title)}</h1><table class=\"lua-chon\">{chosen}</table>{figures}{body}"
        f"<p class=\"chu-thich\">{escape(made)}</p></body></html>"
    )


def export_view(data: ExploreData, state: State, folder: str | Path, kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """Write the view in each of ``kinds`` (png, svg, xlsx, html) into ``folder``; returns the files."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown export kind {unknown[0]!r} (one of {', '.join(KINDS)})")
    folder = Path(folder)
    stem = file_stem(state)
    table = view_table(data, state)
    written: list[Path] = []
    svgs = {name: chart_svg(make(data, state, table), state.language) for name, make in CHARTS.items()} if {"png", "svg", "html"} & set(kinds) else {}
    for name, svg in svgs.items():
        if "svg" in kinds:
            written.append(write_bytes_atomic(svg.encode("utf-8"), folder / f"{stem}-{name}.svg"))
        if "png" in kinds:
            import vl_convert as vlc

            written.append(write_bytes_atomic(vlc.svg_to_png(svg, scale=2.0), folder / f"{stem}-{name}.png"))
    if "xlsx" in kinds:
        book = words("explore.workbook", state.language)
        choice = pl.DataFrame(describe(data, state), schema=[book["control"], book["value"]], orient="row")
        written.append(write_workbook({book["table_sheet"]: spreadsheet(data, state, table),
                                       book["controls_sheet"]: choice}, folder / f"{stem}.xlsx"))
    if "html" in kinds:
        written.append(write_bytes_atomic(html_page(data, state, table, svgs).encode("utf-8"), folder / f"{stem}.html"))
    return written
