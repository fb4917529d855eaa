"""Charts of the monthly reports (biểu đồ), built with Altair from the scoring engine's frames.

Every function takes polars frames, selects and aggregates in polars, and hands Altair only the
columns the chart draws (Altair embeds every column it is given). Charts speak Vietnamese by
default (titles, labels, numbers ``77,59`` through the d3 locale carried in the chart's own
config), English with ``language="en"``; every mark has a tooltip; filters are Vega-Lite params
(search boxes, drop-downs, legend clicks), so they keep working in a saved HTML file with no
kernel.

One module per concern: :mod:`.theme` (the look and the language), :mod:`.encodings` (what
the charts share), :mod:`.ranking` (ranked bars, classes), :mod:`.groups` (heat map, points
lost, one unit's groups), :mod:`.scatter` (two indicators), :mod:`.over_time` (trends, ranks,
breaks), :mod:`.national` (the 34 provinces, the map), :mod:`.districts` (communes by former
district) and :mod:`.files` (PNG and SVG). The notebooks call them through this package:
``from analysis.report import charts; charts.ranked_bars(...)``.

To combine charts with ``alt.vconcat``/``alt.hconcat``, drop each one's configuration first with
:func:`without_config` and put :func:`chart_config` on the combined chart.
"""

from __future__ import annotations

from analysis.report.charts import theme
from analysis.report.charts.districts import former_district_strip
from analysis.report.charts.encodings import class_bands, class_colours, missing_chart
from analysis.report.charts.files import chart_columns, save_chart
from analysis.report.charts.groups import gap_to_full, group_bullets, group_heatmap
from analysis.report.charts.national import national_map, national_ranking
from analysis.report.charts.over_time import KNOWN_BREAKS, Break, rank_over_time, trend_lines
from analysis.report.charts.ranking import class_distribution, ranked_bars, top_and_bottom
from analysis.report.charts.scatter import indicator_scatter
from analysis.report.charts.theme import (
    BAR_COLOUR,
    HIGHLIGHT_COLOUR,
    REFERENCE_COLOUR,
    WIDTH,
    chart_config,
    finish,
    without_config,
)

__all__ = [
    "BAR_COLOUR", "HIGHLIGHT_COLOUR", "KNOWN_BREAKS", "REFERENCE_COLOUR", "WIDTH",
    "Break", "chart_columns", "chart_config", "class_bands", "class_colours", "class_distribution",
    "finish", "former_district_strip", "gap_to_full", "group_bullets", "group_heatmap",
    "indicator_scatter", "missing_chart", "national_map", "national_ranking", "rank_over_time",
    "ranked_bars", "save_chart", "theme", "top_and_bottom", "trend_lines", "without_config",
]
