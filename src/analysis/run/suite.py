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
``index.html``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.io.load import publish
from analysis.params import NotebookRef
from analysis.paths import PARAMETERS, REPORTS

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


def seconds_vi(seconds: float, language: str = "vi") -> str:
    """``6,1`` (or ``6.1``): a duration for the progress lines."""
    from analysis.report.formatting import number

    return number(seconds, 1, language)


def notebook_title(path: Path, name: str, language: str = "vi") -> str:
    """The page title: a bundled notebook's title in the run's language (:mod:`analysis.report.pages`),
    else the notebook's first ``# `` heading, else its name."""
    import nbformat

    from analysis.report import pages

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
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = {name for name in papermill.inspect_notebook(str(source))}
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
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
            if rewrite:
                cell["source"] = cell["source"].replace(*rewrite)
    nbformat.write(nb, str(path))


def _nav(results: list[NotebookResult], current: str, index_label: str) -> str:
    import html

    links = [f'<a href="index.html">{html.escape(index_label)}</a>']
    for r in results:
        if r.html and r.name != current:
            links.append(f'<a href="{html.escape(r.html)}">{html.escape(r.title)}</a>')
        elif r.name == current:
            links.append(f"<strong>{html.escape(r.title)}</strong>")
    return " ".join(links)


def run_facts(parameters: Any, methodology: Any) -> tuple[Any, list[Any], str]:
    """The run's facts, the other periods' facts, and a reader's name for where they came from.

    With a history store (``store:``) the files under ``history:`` are added to it first (adding
    a capture already held changes nothing), then every period held is read, the latest capture
    of each or as it stood on ``as_of:``.  A ``facts:`` file still gives the period's own facts.
    """
    from analysis.scoring import history as store_module
    from analysis.scoring.facts import read_facts

    if parameters.store is None:
        facts = read_facts(parameters.facts, methodology)
        return facts, [read_facts(path, methodology) for path in parameters.history], parameters.facts.name
    for path in parameters.history:
        store_module.add_path(parameters.store, path)
    held = store_module.read(parameters.store, as_of=parameters.as_of, scope=parameters.scope)
    if held.is_empty():
        by = f" taken by {parameters.as_of.isoformat()}" if parameters.as_of else ""
        raise InputError(parameters.problem("as_of" if parameters.as_of else "store",
                                            f"{parameters.store}: the store holds no capture of {parameters.scope}{by}"))
    store_module.check_against(held, methodology, where=str(parameters.store))
    if parameters.facts is None:
        held = store_module.with_period(held, parameters.period, methodology)
    when = f" ({'số liệu đến' if parameters.language == 'vi' else 'as of'} {parameters.as_of:%d/%m/%Y})" if parameters.as_of else ""
    if parameters.facts is not None:
        return read_facts(parameters.facts, methodology), [held], parameters.facts.name
    current = held.filter(held["period"] == parameters.period)
    from analysis.scoring.quality import display_path

    return current, [held.filter(held["period"] != parameters.period)], f"{display_path(parameters.store)}{when}"


def write_store_views(parameters: Any, methodology: Any, scored: Path) -> None:
    """With a history store, what the trends page reads besides the scores: the run's period at
    every capture date held (``captures.parquet``) and, for a quarter or year, the period from its
    months beside the portal's own figures (``derived.parquet``).  Files of an earlier run go."""
    from analysis.io.load import write_table
    from analysis.scoring.history import derived_against_held
    from analysis.scoring.history import read as read_store
    from analysis.scoring.trends import capture_series

    for stale in ("captures.parquet", "derived.parquet"):
        (scored / stale).unlink(missing_ok=True)
    if parameters.store is None:
        return
    captures = capture_series(parameters.store, parameters.period, methodology, as_of=parameters.as_of,
                              scope=parameters.scope)
    if captures.height:
        write_table(captures, scored / "captures.parquet")
    held = read_store(parameters.store, as_of=parameters.as_of, scope=parameters.scope)
    beside = derived_against_held(held, parameters.period, methodology)
    if beside.height:
        write_table(beside, scored / "derived.parquet")



def report_folder(out: str | os.PathLike[str] | None, scope_slug: str, period: str) -> Path:
    """``<out>/<scope_slug>/<period>/``: where a run's report is (after the swap)."""
    return Path(out or REPORTS) / scope_slug / period


def main(
    params: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    quiet: bool = False,
    run_info: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> int:
    """Run the suite; 0 when every notebook ran, 1 when one failed (the others still run) or the Word report did not.

    The report is built in a new folder beside its place (``.<period>.build``) and swapped into
    place when complete, under a lock per scope and period: a run killed at any moment leaves the
    previous complete report (or the new one), never a mix.  ``run_info`` is added to ``run.json``;
    ``overrides`` replaces checked parameters (``period``, ``store``…) for this run.
    """
    from analysis.params import load_parameters
    from analysis.run.runlock import RunLock
    from analysis.run.swap import fresh_build_folder, swap_into_place

    started = time.perf_counter()
    parameters = load_parameters(params or DEFAULT_PARAMETERS)  # bad parameters stop here, before any work
    if overrides:
        parameters = dataclasses.replace(parameters, **overrides)
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


def build(parameters: Any, folder: Path, *, started: float, quiet: bool = False, run_info: dict[str, Any] | None = None) -> int:
    """Score, run the notebooks and write every file of the report into ``folder`` (a new, empty one)."""
    from analysis.contract.periods import parse_period
    from analysis.io.load import write_table, write_workbook
    from analysis.report.html import IndexPage, PageLink, export_html, write_index
    from analysis.report.tables import graded
    from analysis.report.workbooks import indicator_sheets, scorecard_sheet, sheet_formats
    from analysis.run.progress import Progress
    from analysis.run.swap import final_folder
    from analysis.scoring.facts import read_facts
    from analysis.scoring.methodology import load_methodology
    from analysis.scoring.score import score_period, with_published_scorecard

    def say(line: str, **kwargs: Any) -> None:
        if not quiet:
            print(line, flush=True, **kwargs)

    methodology = load_methodology(parameters.methodology)
    facts, history, facts_source = run_facts(parameters, methodology)
    in_period = facts.filter(facts["period"] == parameters.period)
    if in_period.height == 0:
        found = ", ".join(sorted(set(facts["period"].to_list()))[:12]) or "none"
        raise InputError(parameters.problem("period", f"no facts for period {parameters.period} in {facts_source} (periods there: {found})"))
    if parameters.scope not in set(in_period["unit_code"].to_list()):
        raise InputError(parameters.problem("scope", f"unit '{parameters.scope}' not in the facts of {parameters.period} ({facts_source})"))
    if parameters.focus and parameters.focus not in set(in_period["unit_code"].to_list()):
        raise InputError(parameters.problem("focus", f"unit '{parameters.focus}' not in the facts of {parameters.period} ({facts_source})"))
    if parameters.local_facts is not None:
        read_facts(parameters.local_facts, methodology)  # checked now, so a bad file stops the run with exit 2
    scored, series = score_period(facts, methodology, parameters.period, history=history)
    if parameters.published is not None:  # units known only by their published scores are shown by them
        from analysis.scoring.quality import read_published_table

        scored = with_published_scorecard(scored, read_published_table(parameters.published, methodology))
    province = scored.scorecard.filter(scored.scorecard["unit_code"] == parameters.scope).row(0, named=True)
    period_label = parse_period(parameters.period).label(parameters.language)
    vi = parameters.language == "vi"
    units_word, method_word = ("đơn vị", "phương pháp") if vi else ("units", "methodology")
    say(f"{province['unit_name']}, {period_label}: {scored.scorecard.height} {units_word}, {method_word} {methodology.id}")

    write_table(scored.scorecard, folder / "scored" / "scorecard.parquet")
    write_table(scored.detail, folder / "scored" / "detail.parquet")
    write_table(series, folder / "scored" / "history.parquet")
    if parameters.facts is None:  # the period's facts as read from the store, for the notebooks
        write_table(in_period, folder / "scored" / "facts.parquet")
    write_store_views(parameters, methodology, folder / "scored")
    # the first sheet for people (headers in words), the second the contract's columns for tools
    reader_sheet = "Bảng điểm" if parameters.language == "vi" else "Scores"  # sheet names ignore case: not "Scorecard"
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
    charts = folder / "charts"
    charts.mkdir(exist_ok=True)

    base = parameters.for_notebook()
    base.update(output_dir=str(folder.resolve()), scored=str((folder / "scored").resolve()))
    if parameters.facts is None:
        base.update(facts=str((folder / "scored" / "facts.parquet").resolve()), history="")
    total = len(parameters.notebooks)
    bar = Progress(total, period_label, stream=sys.stdout, quiet=quiet)  # a bar on a terminal, else the lines below

    def execute(i: int, ref: NotebookRef) -> tuple[NotebookResult, Path]:
        t0 = time.perf_counter()
        target = folder / "notebooks" / f"{ref.name}.ipynb"
        ok, error = run_notebook(ref.path, target, base, timeout=parameters.timeout,
                                 rewrite=(str(folder.resolve()), str(final_folder(folder).resolve())))
        seconds = time.perf_counter() - t0
        shown = seconds_vi(seconds, parameters.language)
        line = f"[{i}/{total}] {ref.name} … {shown} s" + ("" if ok else (" — LỖI" if vi else " — FAILED"))
        if bar.drawing:
            bar.step(line.split("] ", 1)[1])
        else:
            say(line)
        if not ok:
            kept = target if target.exists() else ("không có" if vi else "none")
            print(f"{ref.name}: {error} ({'sổ tay lỗi' if vi else 'failed notebook'}: {kept})", file=sys.stderr, flush=True)
        result = NotebookResult(
            name=ref.name,
            title=notebook_title(ref.path, ref.name, parameters.language),
            notebook=f"notebooks/{ref.name}.ipynb" if target.exists() else "",
            seconds=seconds,
            ok=ok,
            error=error,
        )
        return result, target

    # notebooks are independent: run as many at once as there are cores (at most JOBS)
    jobs = max(1, min(JOBS, os.cpu_count() or 1, total))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        executed = list(pool.map(lambda item: execute(*item), enumerate(parameters.notebooks, start=1)))
    bar.close()

    # pages: one per notebook that ran; a failed notebook's page of an earlier run is removed
    planned = [
        NotebookResult(**{**asdict(r), "html": f"{r.name}.html" if r.ok else None}) for r, _ in executed
    ]
    results: list[NotebookResult] = []
    index_label = "Mục lục" if parameters.language == "vi" else "Index"
    scope_title = f"{province['unit_name']} — {period_label}"
    generated = datetime.now().astimezone()
    generated_text = generated.strftime("%d/%m/%Y %H:%M") if parameters.language == "vi" else generated.strftime("%Y-%m-%d %H:%M")
    for r, (_, target) in zip(planned, executed):
        page = folder / f"{r.name}.html"
        if not r.ok:
            page.unlink(missing_ok=True)
            results.append(r)
            continue
        footer = (
            f"{scope_title} · {methodology.title} · tạo lúc {generated_text}"
            if parameters.language == "vi"
            else f"{scope_title} · {methodology.title_en} · generated {generated_text}"
        )
        export_html(
            target,
            page,
            title=f"{r.title} — {scope_title}",
            language=parameters.language,
            nav_html=_nav(planned, r.name, index_label),
            footer_text=footer,
        )
        text = page.read_text(encoding="utf-8")
        results.append(
            NotebookResult(**{**asdict(r), "html_bytes": page.stat().st_size, "charts": text.count('class="vl-chart"')})
        )

    vi = parameters.language == "vi"
    downloads: list[tuple[str, str, str]] = [
        ("Bảng điểm" if vi else "Scorecard", "scorecard.xlsx", "scorecard.xlsx"),
        ("Bảng điểm" if vi else "Scorecard", "scorecard.csv", "scorecard.csv"),
        ("Chi tiết chỉ số" if vi else "Indicator detail", "indicators.xlsx", "indicators.xlsx"),
        ("Chi tiết chỉ số" if vi else "Indicator detail", "indicators.csv", "indicators.csv"),
    ]
    for suffix, group in ((".png", "Biểu đồ PNG" if vi else "Charts (PNG)"), (".svg", "Biểu đồ SVG" if vi else "Charts (SVG)")):
        for chart in sorted(charts.glob(f"*{suffix}")):
            downloads.append((group, chart.name, f"charts/{chart.name}"))
    from analysis.report.document import write_report_document
    from analysis.scoring.quality import capture_date

    # the official report (.docx), from the same scores and sentences as the pages; if it fails the
    # pages and the index are still written and the exit status is 1
    try:
        document = write_report_document(folder, scored, methodology, parameters, series=series, as_of=capture_date(facts))
        downloads.insert(0, ("Văn bản báo cáo (Word)" if vi else "Report document (Word)", document.name, document.name))
    except Exception as exc:  # noqa: BLE001 - a document error must not lose the run's pages
        document = None
        print(f"{'văn bản Word' if vi else 'Word document'}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    total_text = f"{province['total']:.2f}".replace(".", ",") if vi else f"{province['total']:.2f}"
    from analysis.report import narrative
    from analysis.report.formatting import class_name
    from analysis.report.tables import national_standing

    national = None
    if parameters.national is not None:
        import polars as pl

        national = pl.read_csv(parameters.national)
    standing = national_standing(national, parameters.scope) if national is not None else None
    index = IndexPage(
        title=(f"Báo cáo Bộ chỉ số 766 — {province['unit_name']}" if vi else f"Index 766 report — {province['unit_name']}"),
        subtitle=(f"Kỳ báo cáo: {period_label}" if vi else f"Period: {period_label}"),
        generated=generated_text,
        methodology=methodology.title if vi else methodology.title_en,
        pages=[
            PageLink(r.name, r.title, r.html, r.notebook, r.seconds, r.error, r.charts) for r in results
        ],
        downloads=downloads,
        headline=narrative.headline(province, methodology, parse_period(parameters.period), standing=standing,
                                    series=series, language=parameters.language),
        weakest=narrative.weakest_units(scored.scorecard, parameters.language),
        facts={
            ("Đơn vị" if vi else "Unit"): province["unit_name"],
            ("Kỳ báo cáo" if vi else "Period"): period_label,
            ("Tổng điểm" if vi else "Total score"): f"{total_text}/100 — {class_name(methodology, province['class'], parameters.language) or '-'}",
            ("Phương pháp" if vi else "Methodology"): methodology.title if vi else methodology.title_en,
            ("Nguồn số liệu" if vi else "Data"): facts_source,
        },
    )
    write_index(folder / "index.html", index, language=parameters.language)
    failed = [r for r in results if not r.ok]
    run = {
        "parameters": str(parameters.source),
        "scope": parameters.scope,
        "period": parameters.period,
        "methodology": methodology.id,
        "generated": generated.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "notebooks": [asdict(r) for r in results],
        "document": document.name if document else None,
        "status": "notebook failed" if failed else "done",
        **(run_info or {}),
    }
    from analysis.io.load import write_bytes_atomic

    write_bytes_atomic(json.dumps(run, ensure_ascii=False, indent=2).encode("utf-8"), folder / "run.json")
    if failed:
        names = ", ".join(r.name for r in failed)
        print(f"{len(failed)}/{total} {'sổ tay lỗi' if vi else 'notebooks failed'}: {names}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    say(f"xong sau {seconds_vi(elapsed)} s" if vi else f"done in {seconds_vi(elapsed, 'en')} s")
    return 1 if failed or document is None else 0
