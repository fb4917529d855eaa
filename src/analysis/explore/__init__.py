"""Interactive exploration in JupyterLab (khám phá số liệu) with ipywidgets.

Widgets need a running kernel, so they belong to an analyst's session, not to the shared HTML
(where the charts' own Vega-Lite filters do the job).

- :mod:`analysis.explore.view`: the controls as a ``State`` and the plain functions that answer
  it (the table with its counts, units near the next class band, two periods compared);
- :mod:`analysis.explore.charts`: the ranked chart with the class bands, the distribution, a
  unit's history; :mod:`analysis.explore.drill`: a unit's drill-down and the tables as shown;
- :mod:`analysis.explore.export`: PNG/SVG, XLSX and a small HTML page of the current view;
- :mod:`analysis.explore.app`: the ipywidgets explorer of ``notebooks/explore.ipynb``;
  :mod:`analysis.explore.load`: its data from facts files.

The comparison notebook's small explorer is here: :func:`unit_explorer` gives a level and a
unit picker; choosing a unit shows its groups against their maxima, its indicators with their
counts and how it compares with its peers.  :func:`interactive` tells a notebook whether it runs
in a person's session (no ``output_dir``: not a report run).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analysis.report import charts as report_charts
from analysis.report import tables
from analysis.report.formatting import level_name, number, short_unit_name, sort_key
from analysis.report.messages import text
from analysis.scoring.methodology import Methodology


def interactive(output_dir: object) -> bool:
    """True in an analyst's JupyterLab session, False in a report run (which saves charts)."""
    return not output_dir


def unit_options(scorecard: pl.DataFrame, level: str) -> list[tuple[str, str]]:
    """(label, unit code) pairs of a level, in Vietnamese alphabetical order, for a drop-down."""
    rows = tables.graded(scorecard).filter(pl.col("level") == level).select("unit_code", "unit_name", "total", "rank")
    pairs = [  # a unit with no dossiers has no rank (tables.graded)
        (f"{short_unit_name(name) or name} — {number(total)} (#{rank if rank is not None else '-'})", code)
        for code, name, total, rank in rows.iter_rows()
    ]
    return sorted(pairs, key=lambda pair: sort_key(pair[0]))


def unit_view(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, unit_code: str, language: str = "vi") -> list[Any]:
    """What the explorer shows for one unit: the groups chart, the indicator table and the peer table."""
    from IPython.display import HTML

    return [
        report_charts.group_bullets(scorecard, methodology, unit_code=unit_code, language=language),
        HTML(tables.html_table(tables.display_indicators(tables.indicator_table(detail, methodology, unit_code, language), language))),
        HTML(tables.html_table(tables.display_peer_table(tables.peer_table(scorecard, methodology, unit_code, language=language), language), numeric_from=1)),
    ]


def unit_explorer(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, *, language: str = "vi") -> Any:
    """A level picker, a unit picker and the chosen unit's view, updated on every choice."""
    import ipywidgets as widgets
    from IPython.display import display

    levels = [lv for lv in ("department", "district", "commune", "province") if scorecard.filter(pl.col("level") == lv).height]
    level = widgets.Dropdown(options=[(level_name(lv, language), lv) for lv in levels], description=text("explore.picker.level", language))
    unit = widgets.Dropdown(options=unit_options(scorecard, levels[0]), description=text("explore.picker.unit", language),
                            layout=widgets.Layout(width="32rem"))
    out = widgets.Output()

    def show(*_: Any) -> None:
        out.clear_output(wait=True)
        if unit.value is None:
            return
        with out:
            for item in unit_view(scorecard, detail, methodology, unit.value, language):
                display(item)

    def change_level(change: dict) -> None:
        unit.options = unit_options(scorecard, change["new"])

    level.observe(change_level, names="value")
    unit.observe(show, names="value")
    show()
    box = widgets.VBox([widgets.HBox([level, unit]), out])
    box.show = show  # type: ignore[attr-defined]  # for tests and for re-drawing by hand
    return box
