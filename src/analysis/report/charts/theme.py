"""The look every chart of the suite shares (giao diện biểu đồ): fonts, sizes, colours, the locale.

The look is a theme in Altair's registry (:data:`THEME`, enabled when this package is imported):
Altair applies it to every top-level chart as it is written, so no chart's configuration is
patched by hand. Each chart carries only its language: the d3 locale (numbers ``77,59`` in
Vietnamese) in its own config and the language in its ``usermeta``, so a chart saved as a file
or shown in a page reads the same in a run that draws both languages.

To combine charts with ``alt.vconcat``/``alt.hconcat``, drop each one's configuration first with
:func:`without_config` and put :func:`chart_config` on the combined chart.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import altair as alt
from altair.theme import ConfigKwds, ThemeConfig

from analysis.report import formatting as fmt

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

TopLevel: TypeAlias = (alt.Chart | alt.LayerChart | alt.FacetChart | alt.VConcatChart | alt.HConcatChart
                        | alt.ConcatChart)
"""A chart that can stand alone (the charts of this package return one)."""


THEME = "analysis"
"""The name of the suite's look in Altair's theme registry (``alt.theme.active`` once this
module is imported)."""


def look() -> ConfigKwds:
    """Fonts, sizes and colours of titles, axes, legends and text (the same in every language);
    the view keeps Altair's default size for continuous axes."""
    return {
        "font": FONT,
        "view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
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


@alt.theme.register(THEME, enable=True)
def suite_theme() -> ThemeConfig:
    """The suite's theme: Altair merges it under every top-level chart's own configuration when
    the chart is written out (page, PNG, SVG), so a chart carries only its language."""
    return {"config": look()}


def chart_config(language: str = "vi") -> dict[str, Any]:
    """What a chart carries beyond the theme: the d3 locale of its language (numbers ``77,59``
    in Vietnamese, month names)."""
    return {"locale": {"number": fmt.format_locale(language), "time": fmt.time_format_locale(language)}}


def finish(chart: TopLevel, language: str) -> TopLevel:
    """``chart`` with its language: the locale in its config, the language in its ``usermeta``."""
    chart = chart.properties(usermeta={"analysis": {"language": language}})
    chart.config = alt.Config(**chart_config(language))
    return chart


def without_config(chart: TopLevel) -> TopLevel:
    """A copy without the top-level config, for use inside ``alt.vconcat``/``alt.hconcat``."""
    out = chart.copy(deep=False)
    out.config = alt.Undefined
    out.usermeta = alt.Undefined
    return out


def language_of(chart: TopLevel) -> str:
    """The language a chart was made in (``vi`` unless :func:`finish` said otherwise)."""
    meta = chart.to_dict().get("usermeta", {})
    return meta.get("analysis", {}).get("language", "vi")
