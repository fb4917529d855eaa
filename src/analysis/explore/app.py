"""The explorer in JupyterLab (công cụ khám phá): ipywidgets controls wired to the plain view functions.

:class:`Explorer` holds the controls, reads them into a :class:`~analysis.explore.view.State`
and redraws every output from it at once: the ranked chart (Altair's ``JupyterChart``, which
renders offline once :func:`setup` has run), the distribution, the sortable table (click a
header to sort, a unit's name to open it), the drill-down and the comparison of two periods.
A click on a bar of the ranked chart opens the unit too.  All the figures come from
:mod:`analysis.explore.view` and :mod:`analysis.explore.drill`, which are tested without a
browser; this module only moves values between widgets and those functions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets
import polars as pl

from analysis.explore import charts as echarts
from analysis.explore import drill as edrill
from analysis.explore import view as eview
from analysis.explore.export import KINDS, describe, export_view
from analysis.paths import ROOT
from analysis.report import formatting as fmt
from analysis.report import tables
from analysis.report.messages import text

PAGE = 15
"""Rows of the table on one page."""
COLUMNS = (
    ("rank", "value"), ("unit_name", "unit_name"), ("former_district", "former_district"), ("class", "total"),
    ("value", "value"), ("score", "score"), ("ratio", "ratio"), ("numerator", "numerator"),
    ("denominator", "denominator"), ("dossiers", "dossiers"), ("change", "change"), ("to_next_band", "to_next_band"),
)
"""The table's columns: (column of the shown table, the figure a click on its header sorts by)."""
NEAR_BAND = (1.0, 2.0, 3.0, 5.0)

def setup() -> None:
    """Render Altair charts in JupyterLab with no internet (the JavaScript comes from vl-convert)."""
    alt.renderers.enable("jupyter", offline=True)
    alt.JupyterChart.enable_offline()


def warm(data: eview.ExploreData, language: str = "vi") -> None:
    """Build every chart template once, so that no control change pays for it later."""
    state = eview.State(periods=(data.periods[-1],), level=eview.levels(data, data.periods[-1])[0], language=language)
    table = eview.view_table(data, state)
    for metric in eview.METRICS:
        for measure in {eview.TOTAL, data.measures()[-1]}:
            echarts.ranked_chart(data, state.but(metric=metric, measure=measure), table)
        echarts.distribution_chart(data, state.but(metric=metric), table)


def _chosen(control: widgets.Dropdown | widgets.ToggleButtons) -> str:
    """The value chosen in a drop-down or a row of buttons (their values are codes), ``""`` for none."""
    value = control.value
    return value if isinstance(value, str) else ""


class Explorer:
    """The explorer's widgets and the wiring between them (one per notebook)."""

    def __init__(self, data: eview.ExploreData, *, language: str = "vi", export_dir: str | Path | None = None) -> None:
        self.data = data
        self.language = language
        warm(data, language)
        self.page = 0
        self.sort = ("value", True)
        self.unit: str | None = None
        self.table = pl.DataFrame()
        self.seconds = 0.0
        self._quiet = False
        self._build_controls(export_dir)
        self._build_outputs()
        self.refresh()

    def _say(self, key: str, **values: object) -> str:
        """The explorer's word ``key`` (``explore.app.<key>`` in the message catalogue) in its language."""
        return text(f"explore.app.{key}", self.language, **values)

    # ---------------------------------------------------------------------------- controls

    def _build_controls(self, export_dir: str | Path | None) -> None:
        data = self.data
        latest = data.periods[-1]
        narrow = widgets.Layout(width="15rem")
        wide = {"description_width": "initial"}  # labels in full, not cut to fit
        self.periods = widgets.SelectMultiple(options=list(data.periods), value=(latest,), rows=min(4, len(data.periods)),
                                              description=self._say("periods"), layout=widgets.Layout(width="15rem"))
        levels = eview.levels(data, latest)
        self.level = widgets.Dropdown(options=[(fmt.level_name(lv, self.language), lv) for lv in levels],
                                      value="commune" if "commune" in levels else levels[0], description=self._say("level"), layout=narrow)
        self.parent = widgets.Dropdown(description=self._say("parent"), layout=widgets.Layout(width="22rem"))
        self._set_parent_options()
        measures = self._measure_options()
        self.measure = widgets.Dropdown(options=measures, value=eview.TOTAL, description=self._say("measure"),
                                        style=wide, layout=widgets.Layout(width="30rem"))
        self.metric = widgets.ToggleButtons(options=[(echarts.word(m, self.language), m) for m in eview.METRICS],
                                            value="score", description=self._say("metric"), style={"button_width": "9rem", **wide})
        self.search = widgets.Text(placeholder=self._say("search_hint"), description=self._say("search"), layout=narrow)
        self.near = widgets.Dropdown(options=[(self._say("all"), 0.0)] + [(self._say("near_n", n=fmt.number(n, 0, self.language)), n) for n in NEAR_BAND],
                                     value=0.0, description=self._say("near"), style=wide, layout=narrow)
        self.require = widgets.Dropdown(options=[(self._say("none"), "")] + measures[1:], value="", description=self._say("require"),
                                        style=wide, layout=widgets.Layout(width="30rem"))
        self.value_filter = widgets.Dropdown(options=[(self._say("any"), "all"), ("= 0", "zero"), ("≠ 0", "nonzero"), (self._say("none_counted"), "none_counted")], value="all",
                                             description=self._say("value"), layout=narrow)
        for control in (self.periods, self.level, self.parent, self.measure, self.metric, self.search, self.near,
                        self.require, self.value_filter):
            control.observe(self._changed, names="value")
        self.folder = widgets.Text(value=str(Path(export_dir) if export_dir else ROOT / "exports"), description=self._say("folder"),
                                   layout=widgets.Layout(width="30rem"))
        self.export_buttons = {kind: widgets.Button(description=kind.upper(), layout=widgets.Layout(width="5rem")) for kind in KINDS}
        for kind, button in self.export_buttons.items():
            button.on_click(lambda _b, kind=kind: self.export((kind,)))
        self.export_note = widgets.HTML()

    def _measure_options(self) -> list[tuple[str, str]]:
        m = self.data.methodology
        out = []
        for code in self.data.measures():
            name = echarts.measure_name(self.data, code, self.language)
            if code in m.group_codes:
                name = f"{self._say('group')} · {name}"
            elif code != eview.TOTAL:
                name = f"{self._say('indicator')} · {name}"
            out.append((name, code))
        return out

    def _set_parent_options(self) -> None:
        chosen = eview.ordered_periods(list(self.periods.value)) or self.data.periods
        options = [(self._say("all"), "")] + eview.parent_options(self.data, chosen[-1], _chosen(self.level))
        with self.quiet():
            self.parent.options = options
            self.parent.value = ""

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Change controls without redrawing after each one."""
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    def _changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if change["owner"] is self.level or change["owner"] is self.periods:
            if not self.periods.value:
                with self.quiet():
                    self.periods.value = (self.data.periods[-1],)
            self._set_parent_options()
        self.page = 0
        self.refresh()

    def state(self) -> eview.State:
        """The controls as a :class:`State`."""
        return eview.State(
            periods=eview.ordered_periods(list(self.periods.value)) or (self.data.periods[-1],),
            level=_chosen(self.level), parent=_chosen(self.parent), measure=_chosen(self.measure), metric=_chosen(self.metric),
            search=self.search.value, near_band=self.near.value or None, require=self.require.value or "",
            value_filter=_chosen(self.value_filter), sort=self.sort[0], descending=self.sort[1], unit=self.unit,
            language=self.language,
        )

    # ---------------------------------------------------------------------------- outputs

    def _build_outputs(self) -> None:
        state = self.state()
        table = eview.view_table(self.data, state)
        embed = fmt.embed_options(self.language)  # SVG (text in the page) and Vietnamese numbers
        self.ranked = alt.JupyterChart(alt.LayerChart.from_dict(echarts.ranked_chart(self.data, state, table)), embed_options=embed)
        self.ranked.selections.observe(self._bar_clicked, names=[echarts.PICK])
        self.distribution = alt.JupyterChart(alt.LayerChart.from_dict(echarts.distribution_chart(self.data, state, table)),
                                             embed_options=embed)
        self.summary = widgets.HTML()
        self.headers = [widgets.Button(layout=widgets.Layout(width="auto"), tooltip=key) for key, _ in COLUMNS]
        for (_, sort), button in zip(COLUMNS, self.headers, strict=True):
            button.on_click(lambda _b, sort=sort: self.sort_by(sort))
        self.cells: list[list[widgets.Button | widgets.HTML]] = []
        for _ in range(PAGE):
            name = widgets.Button(layout=widgets.Layout(width="auto", justify_content="flex-start"))
            name.on_click(self._name_clicked)
            self.cells.append([widgets.HTML()] + [name] + [widgets.HTML() for _ in COLUMNS[2:]])
        self.grid = widgets.GridBox(self.headers + [c for row in self.cells for c in row], layout=widgets.Layout(
            grid_template_columns="2.5rem 16rem 9rem 6rem 8rem 6rem 5rem 5rem 5rem 6rem 5rem 8rem", grid_gap="0 0.4rem"))
        self.previous_page = widgets.Button(description="‹", layout=widgets.Layout(width="3rem"))
        self.next_page = widgets.Button(description="›", layout=widgets.Layout(width="3rem"))
        self.previous_page.on_click(lambda _b: self.turn(-1))
        self.next_page.on_click(lambda _b: self.turn(1))
        self.rows_note = widgets.Label()
        self.drill = widgets.VBox([widgets.HTML(self._say("click_unit"))])
        self.compare = widgets.HTML()
        self.tabs = widgets.Tab([widgets.VBox([self.grid, widgets.HBox([self.previous_page, self.next_page, self.rows_note])]),
                                 self.drill, self.compare])
        for i, title in enumerate((self._say("table"), self._say("drill"), self._say("compare"))):
            self.tabs.set_title(i, title)
        controls = widgets.VBox([
            widgets.HBox([self.periods, widgets.VBox([self.level, self.parent, self.search])]),
            widgets.HBox([self.measure, self.value_filter]), self.metric, widgets.HBox([self.require, self.near]),
        ])
        export = widgets.HBox([self.folder, *self.export_buttons.values()])
        self.widget = widgets.VBox([controls, self.summary, self.ranked, self.distribution, self.tabs, export, self.export_note])
        self.widget.add_class("kham-pha")
        for name, part in (("tom-tat", self.summary), ("xep-hang", self.ranked), ("phan-bo", self.distribution),
                           ("bang", self.grid), ("chi-tiet", self.drill), ("so-sanh", self.compare), ("da-luu", self.export_note)):
            part.add_class(f"kham-pha-{name}")  # names for the browser test and for custom styles

    def refresh(self) -> None:
        """Redraw every output from the controls (the one callback every control calls)."""
        start = time.perf_counter()
        state = self.state()
        self.table = eview.view_table(self.data, state)
        with self.ranked.hold_sync(), self.distribution.hold_sync():
            self.ranked.spec = echarts.ranked_chart(self.data, state, self.table)
            self.distribution.spec = echarts.distribution_chart(self.data, state, self.table)
        self._fill_table(state)
        self._fill_compare(state)
        self.seconds = time.perf_counter() - start
        described = " · ".join(v for _, v in describe(self.data, state))
        self.summary.value = (f"<b>{escape(described)}</b> — {self._say('units', n=fmt.integer(self.table.height, self.language))}"
                              f" <span style='color:#888'>({self._say('updated', ms=round(self.seconds * 1000))})</span>")

    def _fill_table(self, state: eview.State) -> None:
        headers = edrill.view_headers(self.data, state)
        for (key, sort), button in zip(COLUMNS, self.headers, strict=True):
            arrow = (" ▼" if self.sort[1] else " ▲") if self.sort[0] == sort and key != "rank" else ""
            button.description = headers[key] + arrow
        pages = max(1, -(-self.table.height // PAGE))
        self.page = min(self.page, pages - 1)
        first = self.page * PAGE
        shown = edrill.display_view(self.data, state, self.table.slice(first, PAGE))
        codes = self.table["unit_code"].slice(first, PAGE).to_list()
        for i, row in enumerate(self.cells):
            values = shown.row(i) if i < shown.height else ("",) * shown.width
            for j, cell in enumerate(row):
                content = str(values[j])
                if isinstance(cell, widgets.Button):
                    cell.description = content
                    cell.tooltip = codes[i] if i < len(codes) else ""
                    cell.disabled = i >= len(codes)
                else:
                    cell.value = escape(content)
        self.rows_note.value = self._say("rows", a=first + 1 if self.table.height else 0,
                                                         b=min(first + PAGE, self.table.height), n=self.table.height)

    def _fill_compare(self, state: eview.State) -> None:
        if len(state.periods) < 2:
            self.compare.value = self._say("pick_two")
            return
        first, second = state.periods[0], state.periods[-1]
        moved = eview.compare_periods(self.data, state, first, second)
        caption = self._say("moved", a=first, b=second, n=moved.height)
        self.compare.value = tables.html_table(edrill.display_compare(self.data, moved.head(50), first, second, self.language),
                                               caption=caption, numeric_from=1)

    # ---------------------------------------------------------------------------- clicks

    def sort_by(self, column: str) -> None:
        """Sort the table by a figure; a second click on the same one turns the order round."""
        self.sort = (column, not self.sort[1]) if self.sort[0] == column else (column, column != "unit_name")
        self.refresh()

    def turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self._fill_table(self.state())

    def _name_clicked(self, button: widgets.Button) -> None:
        if button.tooltip:
            self.open_unit(button.tooltip)

    def _bar_clicked(self, change: dict[str, Any]) -> None:
        picked = change["new"].value if change["new"] is not None else None
        if picked:
            self.open_unit(picked[0]["unit_code"])

    def open_unit(self, unit_code: str) -> None:
        """Show one unit's drill-down: groups, indicators with counts, history, peers."""
        state = self.state()
        try:
            found = edrill.drilldown(self.data, unit_code, state.period, self.language)
        except KeyError:
            self.drill.children = [widgets.HTML(escape(self._say("not_held", unit=unit_code, period=state.period)))]
            self.tabs.selected_index = 1
            return
        self.unit = unit_code
        history = alt.JupyterChart(echarts.history_chart(self.data, found.history, self.language),
                                   embed_options=fmt.embed_options(self.language))
        self.drill.children = [
            widgets.HTML(f"<h3>{escape(found.unit_name)} — {escape(found.period)}</h3>"),
            widgets.HTML(tables.html_table(edrill.display_groups(found.groups, self.language), caption=self._say("groups"), numeric_from=1)),
            widgets.HTML(tables.html_table(tables.display_indicators(found.indicators, self.language), caption=self._say("indicators"))),
            widgets.HTML(tables.html_table(edrill.display_history(found.history, self.data.methodology, self.language), caption=self._say("history"), numeric_from=1)),
            history,
            widgets.HTML(tables.html_table(tables.display_peer_table(found.peers, self.language), caption=self._say("peers"), numeric_from=1)),
        ]
        self.tabs.selected_index = 1

    def export(self, kinds: tuple[str, ...] = KINDS) -> list[Path]:
        """Write the current view (PNG/SVG, XLSX, HTML) into the folder control's folder."""
        written = export_view(self.data, self.state(), self.folder.value, kinds)
        self.export_note.value = self._say("written") + ", ".join(f"<code>{escape(str(p))}</code>" for p in written)
        return written


def explorer(data: eview.ExploreData, *, language: str = "vi", export_dir: str | Path | None = None) -> widgets.VBox:
    """The explorer's widget for a notebook (``display(explorer(data))``); ``.explorer`` holds its :class:`Explorer`."""
    app = Explorer(data, language=language, export_dir=export_dir)
    app.widget.explorer = app  # type: ignore[attr-defined]
    return app.widget
