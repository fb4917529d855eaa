"""``report``: the monthly run (báo cáo tháng) — parameters → scores → notebooks → offline HTML.

``python -m analysis report [--params F] [--out DIR]`` (and ``make report``):

1. reads and checks the parameters file (default ``parameters/phu-tho-2026-08.yaml``, the real
   Phú Thọ, August 2026 figures); bad parameters stop here with exit status 2;
2. scores the period once and writes ``scorecard.xlsx``/``.csv``, the indicator detail
   ``indicators.xlsx``/``.csv`` and the scores the notebooks read (``scored/*.parquet``);
3. runs each notebook with papermill into ``notebooks/<name>.ipynb``: a failing notebook keeps
   its error notebook (papermill's red banner), the others still run, and the exit status is 1;
4. writes one self-contained page per notebook (``<name>.html``), the charts the notebooks saved
   (``charts/*.png``, ``charts/*.svg``), the official report as a Word document
   (``bao-cao-<scope_slug>-<period>.docx``, :mod:`analysis.report.document`), ``run.json`` and ``index.html``.

Everything goes to ``<out>/<scope_slug>/<period>/`` (``reports/phu-tho/2026-08/``); every file is
written under a temporary name and renamed into place.  The last line printed is the path of
``index.html``.  The checked :class:`~analysis.params.Parameters` are passed down whole: nothing
below :func:`main` reads or checks a parameter again, except each notebook, which checks the
values papermill gives it through the same model (:func:`analysis.params.opening.open_notebook`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
import papermill
import polars as pl
from papermill.exceptions import PapermillExecutionError

from analysis.contract import Language
from analysis.contract.periods import parse_period
from analysis.errors import InputError
from analysis.io.load import publish, write_bytes_atomic, write_table, write_workbook
from analysis.params import NotebookRef, Parameters, load_parameters
from analysis.paths import PARAMETERS, REPORTS
from analysis.report import narrative, pages
from analysis.report.document import write_report_document
from analysis.report.formatting import bilingual, class_name, date_vi, number
from analysis.report.html import IndexPage, NavLink, PageLink, export_html, render_nav, write_index
from analysis.report.messages import text, words
from analysis.report.quality_text import display_path
from analysis.report.tables import graded, national_standing
from analysis.report.workbooks import indicator_sheets, scorecard_sheet, sheet_formats
from analysis.run.progress import Progress
from analysis.run.runlock import RunLock
from analysis.run.swap import final_folder, fresh_build_folder, swap_into_place
from analysis.scoring import history as store_module
from analysis.scoring.facts import read_facts
from analysis.scoring.methodology import Methodology
from analysis.scoring.quality import capture_date, read_published_table
from analysis.scoring.score import Scored, score_period, with_published_scorecard
from analysis.scoring.trends import capture_series

DEFAULT_PARAMETERS = PARAMETERS / "phu-tho-2026-08.yaml"
JOBS = int(os.environ.get("ANALYSIS_REPORT_JOBS", "2"))
"""How many notebooks run at once (each in its own kernel); ``ANALYSIS_REPORT_JOBS`` changes it."""


@dataclass(frozen=True)
class NotebookResult:
    """How one notebook of the run went."""

    name: str
    title: str
    notebook: str  # relative path of the executed (or error) notebook, "" when none was written
    seconds: float
    ok: bool
    error: str | None = None
    html: str | None = None  # relative path of the page
    html_bytes: int = 0
    charts: int = 0


@dataclass(frozen=True)
class Run:
    """One run being built: its parameters, its folder and what was scored."""

    parameters: Parameters
    folder: Path
    started: float
    quiet: bool
    scored: Scored
    series: pl.DataFrame
    facts: pl.DataFrame
    facts_source: str
    province: dict[str, Any]
    generated: datetime

    @property
    def language(self) -> Language:
        return self.parameters.language

    @property
    def methodology(self) -> Methodology:
        return self.parameters.methodology

    @property
    def period_label(self) -> str:
        return parse_period(self.parameters.period).label(self.parameters.language)

    @property
    def scope_title(self) -> str:
        return f"{self.province['unit_name']} — {self.period_label}"

    @property
    def generated_text(self) -> str:
        return f"{date_vi(self.generated, self.language)} {self.generated:%H:%M}"

    def say(self, line: str) -> None:
        if not self.quiet:
            print(line, flush=True)

    def warn(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)


def seconds_vi(seconds: float, language: str = "vi") -> str:
    """``6,1`` (or ``6.1``): a duration for the progress lines."""
    return number(seconds, 1, language)


def notebook_title(path: Path, name: str, language: str = "vi") -> str:
    """The page title: a bundled notebook's title in the run's language (:mod:`analysis.report.pages`),
    else the notebook's first ``# `` heading, else its name."""
    if Path(path).parent.name == "notebooks" and (bundled := pages.title(name, language)):
        return bundled
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - a title is not worth failing for
        nb = None
    for cell in nb.cells if nb else []:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return name.replace("_", " ").capitalize()


# --------------------------------------------------------------------------------------------
# one notebook


def _temporary_notebook(folder: Path, name: str) -> Path:
    """A fixed temporary name (the build folder is the run's own), so that runs are alike."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".{name}.partial.ipynb"


def run_notebook(
    source: Path, target: Path, parameters: dict[str, Any], *, timeout: int, rewrite: tuple[str, str] | None = None
) -> tuple[bool, str | None]:
    """Execute ``source`` into ``target`` with papermill (atomically); ``(ok, error message)``.

    A failing notebook is still written to ``target``: it shows the failing cell and papermill's
    red banner.  ``rewrite`` (build folder, report folder) makes the injected parameters name the
    folder the report is swapped into, so the executed notebook runs again from there.
    """
    declared = set(papermill.inspect_notebook(str(source)))
    if declared:  # pass only what the notebook declares (its parameters cell)
        parameters = {k: v for k, v in parameters.items() if k in declared}
    temporary = _temporary_notebook(target.parent, target.stem)
    try:
        papermill.execute_notebook(
            str(source),
            str(temporary),
            parameters=parameters,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            cwd=str(source.parent),
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # no kernel notices (start-up, interrupt at shutdown)
        )
    except PapermillExecutionError as exc:
        publish(temporary, target)
        return False, f"{exc.ename}: {exc.evalue}".strip()
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout fails this notebook only
        if temporary.exists() and temporary.stat().st_size > 0:
            publish(temporary, target)
        else:
            temporary.unlink(missing_ok=True)
        return False, f"{type(exc).__name__}: {exc}".strip()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _settle_injected_cell(temporary, rewrite)
    publish(temporary, target)
    return True, None


def _settle_injected_cell(path: Path, rewrite: tuple[str, str] | None) -> None:
    """papermill gives the cell it injects a random id: a fixed one keeps identical runs identical;
    the build folder's path in it becomes the report folder's."""
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
            if rewrite:
                cell["source"] = cell["source"].replace(*rewrite)
    nbformat.write(nb, str(path))


def _nav(results: list[NotebookResult], current: str, index_label: str) -> str:
    links = [NavLink(r.title, None if r.name == current else r.html) for r in results if r.html or r.name == current]
    return render_nav(index_label, links)


# --------------------------------------------------------------------------------------------
# the facts and the scores


def run_facts(parameters: Parameters, methodology: Methodology) -> tuple[pl.DataFrame, list[pl.DataFrame], str]:
    """The run's facts, the other periods' facts, and a reader's name for where they came from.

    With a history store (``store:``) the files under ``history:`` are added to it first (adding
    a capture already held changes nothing), then every period held is read, the latest capture
    of each or as it stood on ``as_of:``.  A ``facts:`` file still gives the period's own facts.
    """
    store, facts = parameters.store, parameters.facts
    if store is None:
        assert facts is not None  # the model requires facts without a store
        return read_facts(facts, methodology), [read_facts(path, methodology) for path in parameters.history], facts.name
    for path in parameters.history:
        store_module.add_path(store, path)
    held = store_module.read(store, as_of=parameters.as_of, scope=parameters.scope)
    if held.is_empty():
        by = f" taken by {parameters.as_of.isoformat()}" if parameters.as_of else ""
        raise InputError(parameters.problem("as_of" if parameters.as_of else "store",
                                            f"{store}: the store holds no capture of {parameters.scope}{by}"))
    store_module.check_against(held, methodology, where=str(store))
    if facts is not None:
        return read_facts(facts, methodology), [held], facts.name
    held = store_module.with_period(held, parameters.period, methodology)
    source = display_path(store)
    if parameters.as_of:
        source = text("run.as_of", parameters.language, source=source, date=f"{parameters.as_of:%d/%m/%Y}")
    current = held.filter(held["period"] == parameters.period)
    return current, [held.filter(held["period"] != parameters.period)], source


def write_store_views(parameters: Parameters, methodology: Methodology, scored: Path) -> None:
    """With a history store, what the trends page reads besides the scores: the run's period at
    every capture date held (``captures.parquet``) and, for a quarter or year, the period from its
    months beside the portal's own figures (``derived.parquet``).  Files of an earlier run go."""
    for stale in ("captures.parquet", "derived.parquet"):
        (scored / stale).unlink(missing_ok=True)
    if parameters.store is None:
        return
    captures = capture_series(parameters.store, parameters.period, methodology, as_of=parameters.as_of,
                              scope=parameters.scope)
    if captures.height:
        write_table(captures, scored / "captures.parquet")
    held = store_module.read(parameters.store, as_of=parameters.as_of, scope=parameters.scope)
    beside = store_module.derived_against_held(held, parameters.period, methodology)
    if beside.height:
        write_table(beside, scored / "derived.parquet")


def check_units_in_facts(parameters: Parameters, in_period: pl.DataFrame, facts: pl.DataFrame, source: str) -> None:
    """The period, the scope and the focus unit must be in the facts (exit 2 naming the key's line)."""
    if in_period.height == 0:
        found = ", ".join(sorted(set(facts["period"].to_list()))[:12]) or "none"
        raise InputError(parameters.problem("period", f"no facts for period {parameters.period} in {source} (periods there: {found})"))
    units = set(in_period["unit_code"].to_list())
    for key, code in (("scope", parameters.scope), ("focus", parameters.focus)):
        if code and code not in units:
            raise InputError(parameters.problem(key, f"unit '{code}' not in the facts of {parameters.period} ({source})"))
    if parameters.local_facts is not None:
        read_facts(parameters.local_facts, parameters.methodology)  # checked now, so a bad file stops the run with exit 2


def score_run(parameters: Parameters, folder: Path, *, started: float, quiet: bool) -> Run:
    """Read the facts, check them against the parameters, score the period (and the others held)."""
    methodology = parameters.methodology
    facts, history, source = run_facts(parameters, methodology)
    in_period = facts.filter(facts["period"] == parameters.period)
    check_units_in_facts(parameters, in_period, facts, source)
    scored, series = score_period(facts, methodology, parameters.period, history=history)
    if parameters.published is not None:  # units known only by their published scores are shown by them
        scored = with_published_scorecard(scored, read_published_table(parameters.published, methodology))
    province = scored.scorecard.filter(scored.scorecard["unit_code"] == parameters.scope).row(0, named=True)
    return Run(parameters, folder, started, quiet, scored, series, facts, source, province, datetime.now().astimezone())


def write_scores(run: Run) -> None:
    """The scores for the notebooks (``scored/*.parquet``) and for people and tools (XLSX, CSV)."""
    parameters, folder, scored, methodology = run.parameters, run.folder, run.scored, run.methodology
    write_table(scored.scorecard, folder / "scored" / "scorecard.parquet")
    write_table(scored.detail, folder / "scored" / "detail.parquet")
    write_table(run.series, folder / "scored" / "history.parquet")
    if parameters.facts is None:  # the period's facts as read from the store, for the notebooks
        write_table(run.facts.filter(run.facts["period"] == parameters.period), folder / "scored" / "facts.parquet")
    write_store_views(parameters, methodology, folder / "scored")
    # the first sheet for people (headers in words), the second the contract's columns for tools
    reader_sheet = text("run.reader_sheet", run.language)  # sheet names ignore case: not "Scorecard"
    reader = scorecard_sheet(scored.scorecard, methodology, parameters.language)
    # in the workbook people open, a unit without dossiers has no rank and no class, on both sheets
    tools = graded(scored.scorecard, ranking=methodology.ranking)
    write_workbook({reader_sheet: reader, "scorecard": tools}, folder / "scorecard.xlsx", formats={reader_sheet: sheet_formats(reader)})
    write_table(scored.scorecard, folder / "scorecard.csv")
    # indicators.xlsx: a sheet per level for people, the contract's long table for tools
    levels = indicator_sheets(scored.detail, scored.scorecard, methodology, parameters.language)
    write_workbook({**levels, "detail": scored.detail}, folder / "indicators.xlsx",
                   formats={name: sheet_formats(frame) for name, frame in levels.items()})
    write_table(scored.detail, folder / "indicators.csv")
    (folder / "charts").mkdir(exist_ok=True)


# --------------------------------------------------------------------------------------------
# the notebooks and their pages


def execute(run: Run, ref: NotebookRef, values: dict[str, Any]) -> tuple[NotebookResult, Path]:
    """Run one notebook of the suite into ``notebooks/<name>.ipynb``; a failure is said on stderr."""
    t0 = time.perf_counter()
    target = run.folder / "notebooks" / f"{ref.name}.ipynb"
    ok, error = run_notebook(ref.path, target, values, timeout=run.parameters.timeout,
                             rewrite=(str(run.folder.resolve()), str(final_folder(run.folder).resolve())))
    if not ok:
        kept = str(target) if target.exists() else text("run.no_notebook", run.language)
        run.warn(text("run.notebook_failed", run.language, name=ref.name, error=error, kept=kept))
    result = NotebookResult(
        name=ref.name,
        title=notebook_title(ref.path, ref.name, run.parameters.language),
        notebook=f"notebooks/{ref.name}.ipynb" if target.exists() else "",
        seconds=time.perf_counter() - t0,
        ok=ok,
        error=error,
    )
    return result, target


def run_notebooks(run: Run) -> list[tuple[NotebookResult, Path]]:
    """Every notebook, as many at once as there are cores (at most :data:`JOBS`), with progress."""
    parameters, folder = run.parameters, run.folder.resolve()
    notebooks = parameters.notebooks
    total = len(notebooks)
    values = {**parameters.for_notebook(), "output_dir": str(folder), "scored": str(folder / "scored")}
    if parameters.facts is None:  # the period's facts as read from the store (scored/facts.parquet)
        values.update(facts=str(folder / "scored" / "facts.parquet"), history="")
    bar = Progress(total, run.period_label, stream=sys.stdout, quiet=run.quiet)  # a bar on a terminal, else lines

    def one(item: tuple[int, NotebookRef]) -> tuple[NotebookResult, Path]:
        i, ref = item
        result, target = execute(run, ref, values)
        line = f"[{i}/{total}] {ref.name} … {seconds_vi(result.seconds, run.parameters.language)} s"
        line += "" if result.ok else f" — {text('run.progress_failed', run.language)}"
        if bar.drawing:
            bar.step(line.split("] ", 1)[1])
        else:
            run.say(line)
        return result, target

    jobs = max(1, min(JOBS, os.cpu_count() or 1, total))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        executed = list(pool.map(one, enumerate(notebooks, start=1)))
    bar.close()
    return executed


def write_pages(run: Run, executed: list[tuple[NotebookResult, Path]]) -> list[NotebookResult]:
    """One self-contained page per notebook that ran; a failed notebook's page of an earlier run goes."""
    planned = [replace(r, html=f"{r.name}.html" if r.ok else None) for r, _ in executed]
    methodology = run.methodology
    footer = text("run.footer", run.language, scope=run.scope_title, methodology=bilingual(methodology, "title", run.language),
                  generated=run.generated_text)
    index_label = text("run.nav_index", run.language)
    results: list[NotebookResult] = []
    for r, (_, target) in zip(planned, executed, strict=True):
        page = run.folder / f"{r.name}.html"
        if not r.ok:
            page.unlink(missing_ok=True)
            results.append(r)
            continue
        export_html(target, page, title=f"{r.title} — {run.scope_title}", language=run.parameters.language,
                    nav_html=_nav(planned, r.name, index_label), footer_text=footer)
        html = page.read_text(encoding="utf-8")
        results.append(replace(r, html_bytes=page.stat().st_size, charts=html.count('class="vl-chart"')))
    return results


# --------------------------------------------------------------------------------------------
# the Word document, the index, run.json


def downloads(run: Run) -> list[tuple[str, str, str]]:
    """The index's downloads: (group, label, link) for the workbooks, the tables and every chart file."""
    group = words("run.download", run.language)
    found: list[tuple[str, str, str]] = [
        (group["scorecard"], "scorecard.xlsx", "scorecard.xlsx"),
        (group["scorecard"], "scorecard.csv", "scorecard.csv"),
        (group["indicators"], "indicators.xlsx", "indicators.xlsx"),
        (group["indicators"], "indicators.csv", "indicators.csv"),
    ]
    for suffix, charts in ((".png", group["charts_png"]), (".svg", group["charts_svg"])):
        for chart in sorted((run.folder / "charts").glob(f"*{suffix}")):
            found.append((charts, chart.name, f"charts/{chart.name}"))
    return found


def write_document(run: Run) -> Path | None:
    """The official report (.docx) from the same scores and sentences as the pages; None when it failed
    (the pages and the index are still written, and the exit status is 1)."""
    try:
        return write_report_document(run.folder, run.scored, run.methodology, run.parameters,
                                     series=run.series, as_of=capture_date(run.facts))
    except Exception as exc:  # noqa: BLE001 - a document error must not lose the run's pages
        run.warn(text("run.document_failed", run.language, error=f"{type(exc).__name__}: {exc}"))
        return None


def index_page(run: Run, results: list[NotebookResult], files: list[tuple[str, str, str]]) -> IndexPage:
    """The index: headline, the weakest units, the key figures, every page and download."""
    parameters, methodology, province, language = run.parameters, run.methodology, run.province, run.language
    national = pl.read_csv(parameters.national) if parameters.national is not None else None
    standing = national_standing(national, parameters.scope) if national is not None else None
    total = number(province["total"], 2, language)
    method = bilingual(methodology, "title", language)
    fact = words("run.fact", language)
    return IndexPage(
        title=text("run.title", language, unit=province["unit_name"]),
        subtitle=text("run.subtitle", language, period=run.period_label),
        generated=run.generated_text,
        methodology=method,
        pages=[PageLink(r.name, r.title, r.html, r.notebook, r.seconds, r.error, r.charts) for r in results],
        downloads=files,
        headline=narrative.headline(province, methodology, parse_period(parameters.period), standing=standing,
                                    series=run.series, language=parameters.language),
        weakest=narrative.weakest_units(run.scored.scorecard, methodology, parameters.language),
        facts={
            fact["unit"]: province["unit_name"],
            fact["period"]: run.period_label,
            fact["total"]: f"{total}/100 — {class_name(methodology, province['class'], language) or '-'}",
            fact["methodology"]: method,
            fact["data"]: run.facts_source,
        },
    )


def write_run_json(run: Run, results: list[NotebookResult], document: Path | None, run_info: dict[str, Any] | None) -> None:
    """``run.json``: what ran, how long it took and how it went."""
    failed = [r for r in results if not r.ok]
    record = {
        "parameters": str(run.parameters.source),
        "scope": run.parameters.scope,
        "period": run.parameters.period,
        "methodology": run.methodology.id,
        "generated": run.generated.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - run.started, 3),
        "notebooks": [asdict(r) for r in results],
        "document": document.name if document else None,
        "status": "notebook failed" if failed else "done",
        **(run_info or {}),
    }
    write_bytes_atomic(json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"), run.folder / "run.json")


# --------------------------------------------------------------------------------------------
# the run


def report_folder(out: str | os.PathLike[str] | None, scope_slug: str, period: str) -> Path:
    """``<out>/<scope_slug>/<period>/``: where a run's report is (after the swap)."""
    return Path(out or REPORTS) / scope_slug / period


def main(
    params: str | os.PathLike[str] | Parameters | None = None,
    out: str | os.PathLike[str] | None = None,
    quiet: bool = False,
    run_info: dict[str, Any] | None = None,
) -> int:
    """Run the suite; 0 when every notebook ran, 1 when one failed (the others still run) or the Word report did not.

    ``params`` is a parameters file, or parameters already checked (:class:`~analysis.params.Parameters`,
    as ``monthly`` passes them).  The report is built in a new folder beside its place
    (``.<period>.build``) and swapped into place when complete, under a lock per scope and period:
    a run killed at any moment leaves the previous complete report (or the new one), never a mix.
    ``run_info`` is added to ``run.json``.
    """
    started = time.perf_counter()
    parameters = params if isinstance(params, Parameters) else load_parameters(params or DEFAULT_PARAMETERS)
    final = report_folder(out, parameters.scope_slug, parameters.period)
    with RunLock(final.parent / f".{final.name}.lock", f"report {parameters.scope_slug} {parameters.period}"):
        folder = fresh_build_folder(final)
        try:
            status = build(parameters, folder, started=started, quiet=quiet, run_info=run_info)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        swap_into_place(folder, final)
    print((final / "index.html").resolve(), flush=True)
    return status


def build(parameters: Parameters, folder: Path, *, started: float, quiet: bool = False, run_info: dict[str, Any] | None = None) -> int:
    """Score, run the notebooks and write every file of the report into ``folder`` (a new, empty one)."""
    run = score_run(parameters, folder, started=started, quiet=quiet)
    run.say(text("run.started", run.language, unit=run.province["unit_name"], period=run.period_label,
                 n=str(run.scored.scorecard.height), methodology=run.methodology.id))
    write_scores(run)
    results = write_pages(run, run_notebooks(run))
    files = downloads(run)
    document = write_document(run)
    if document is not None:
        files.insert(0, (text("run.download.document", run.language), document.name, document.name))
    write_index(folder / "index.html", index_page(run, results, files), language=parameters.language)
    write_run_json(run, results, document, run_info)
    failed = [r.name for r in results if not r.ok]
    if failed:
        run.warn(text("run.notebooks_failed", run.language, n=len(failed), of=len(results), names=", ".join(failed)))
    elapsed = time.perf_counter() - started
    run.say(text("run.done", run.language, seconds=seconds_vi(elapsed, run.language)))
    return 1 if failed or document is None else 0

