"""Charts as files: PNG and SVG for pasting into a document, and what a chart embeds."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from analysis.io.load import write_bytes_atomic
from analysis.report import formatting as fmt
from analysis.report.charts.theme import TopLevel, language_of


def save_chart(chart: TopLevel, path_without_suffix: str | Path, *,
               scale: float = 2.0, language: str | None = None) -> list[Path]:
    """Write ``<path>.png`` (``scale``× pixels, for documents) and ``<path>.svg``; returns both.

    Rendered with vl-convert in the chart's language (Vietnamese numbers ``59,92`` unless the chart
    was made with ``language="en"``); written atomically.
    """
    import vl_convert as vlc  # heavy, and only needed when a file is written

    language = language or language_of(chart)
    spec = chart.to_dict()
    vl_version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = vlc.vegalite_to_svg(spec, vl_version=vl_version, format_locale=fmt.format_locale(language),
                              time_format_locale=fmt.time_format_locale(language))
    png = vlc.svg_to_png(svg, scale=scale)  # the same pixels as vegalite_to_png, one layout instead of two
    base = Path(path_without_suffix)
    return [write_bytes_atomic(png, base.with_name(base.name + ".png")),
            write_bytes_atomic(svg.encode("utf-8"), base.with_name(base.name + ".svg"))]


def chart_columns(chart: TopLevel) -> dict[str, list[str]]:
    """The columns of every dataset a chart embeds (to check that only what is drawn is sent)."""
    spec = chart.to_dict()
    return {name: sorted(rows[0].keys()) if rows else [] for name, rows in spec.get("datasets", {}).items()}
