"""``monthly``: the unattended monthly run (chạy báo cáo hằng tháng, không cần người trông).

``python -m analysis monthly [--params F] [--period P] [--collect] [--store DIR] [--out DIR] [--force]``

1. takes the parameters file (default the bundled Phú Thọ run) and the period: ``--period``, else
   the latest closed month (the month before today);
2. with ``--collect``, fetches the province's responses for the period from the portal
   (:mod:`analysis.run.collect`) and adds them to the history store; with ``--collect`` or ``--store``
   the period's facts are read from the store (its latest capture) instead of ``facts:``;
3. compares what the run would read with what the last run of that scope and period read
   (``inputs_sha256`` in its ``run.json``): nothing new → exit status 3, nothing rebuilt;
4. runs the report (:mod:`analysis.run.suite`: scores, notebooks, offline HTML), built in a new
   folder and swapped into place, and adds to ``run.json`` what a scheduler needs: the inputs
   and their sha256, the store's captures used, the capture fetched, each step's duration.

Exit status: 0 done; 1 a notebook failed (the others ran; the report is still swapped in, its
index marks the failure); 2 bad input or parameters, a portal answer that could not be used, or
another run of the same scope and period under way; 3 no new data since the last run.  One run per
scope and period at a time (a lock file beside the report folder).
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analysis.contract.periods import parse_period
from analysis.errors import fail
from analysis.params import Parameters, load_parameters
from analysis.paths import ROOT
from analysis.run import collect
from analysis.run.progress import Progress
from analysis.run.runlock import RunLock
from analysis.run.suite import DEFAULT_PARAMETERS, report_folder
from analysis.run.suite import main as report_main
from analysis.scoring import history

EXIT_DONE, EXIT_NOTEBOOK_FAILED, EXIT_INPUT, EXIT_NO_NEW_DATA = 0, 1, 2, 3


def latest_closed_month(today: date) -> str:
    """The month before ``today``'s (the latest the portal has closed)."""
    return parse_period(f"{today.year}-{today.month:02d}").previous().code


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown(path: Path) -> str:
    """A path as run.json shows it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def input_files(parameters: Parameters) -> list[Path]:
    """Every file the run reads besides the store (the parameters file, data files, notebooks)."""
    candidates = [parameters.source, parameters.facts, parameters.published, parameters.national,
                  *parameters.history, parameters.local_facts, *(ref.path for ref in parameters.notebooks)]
    methodology = Path(str(parameters.methodology))
    if methodology.suffix in (".yaml", ".yml"):
        candidates.append(methodology if methodology.is_absolute() else parameters.root / methodology)
    files: list[Path] = []
    for path in candidates:
        if path is None:
            continue
        path = Path(path)
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.is_file() else [])
    return files


def store_snapshot(store: Path, as_of: date | None) -> tuple[list[dict[str, Any]], str]:
    """(the captures the run reads: latest of each period, the sha256 of their figures).

    The figures are hashed without their capture dates: a new capture with the same figures is
    no new data.
    """
    held = history.vintages(store)
    if as_of is not None:
        held = held.filter(pl.col("as_of") <= as_of)
    used = held.filter(pl.col("as_of") == pl.col("as_of").max().over("period")).sort("period", "source")
    figures = history.read(store, as_of=as_of).drop("as_of").sort("period", "unit_code", "indicator")
    buffer = io.BytesIO()
    figures.write_csv(buffer)
    vintages = [{"period": p, "as_of": d.isoformat(), "source": s, "units": u, "rows": r, "provisional": v}
                for p, d, s, u, r, v in used.iter_rows()]
    return vintages, hashlib.sha256(buffer.getvalue()).hexdigest()


def run_inputs(parameters: Parameters) -> dict[str, Any]:
    """What the run reads, with sha256s: the same inputs give the same ``inputs_sha256``."""
    inputs: dict[str, Any] = {
        "scope": parameters.scope,
        "period": parameters.period,
        "methodology": parameters.methodology_id,
        "language": parameters.language,
        "files": {_shown(path): _sha256_file(path) for path in input_files(parameters)},
    }
    vintages: list[dict[str, Any]] = []
    if parameters.store is not None:
        vintages, figures = store_snapshot(parameters.store, parameters.as_of)
        inputs["store"] = {"path": _shown(parameters.store), "as_of": parameters.as_of.isoformat() if parameters.as_of else None,
                           "figures_sha256": figures}
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"inputs": inputs, "inputs_sha256": digest, "vintages": vintages}


def last_run(folder: Path) -> dict[str, Any]:
    """The ``run.json`` of the report in place, or nothing."""
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return run if isinstance(run, dict) else {}


def collect_step(parameters: Parameters, period: str, store: Path, args: Any, say: Any) -> dict[str, Any]:
    """Fetch (or resume) today's capture and add it to the store; what run.json says of it."""
    started = time.perf_counter()
    settings = collect.settings_from(args)
    with Progress(collect.REQUESTS_PER_CAPTURE, f"{parameters.scope} {period}", quiet=args.quiet) as bar:
        capture = collect.collect(parameters.scope, period, captures=args.captures, settings=settings,
                                  say=bar.note, progress=bar.step)
    facts = collect.capture_facts(capture)
    added = collect.add_to_store(store, capture, facts)
    say(f"capture {capture.captured_on}: {len(capture.fetched)} fetched, {len(capture.reused)} already saved; "
        f"{'added to' if added.added else 'already in'} the store")
    return {
        "folder": _shown(capture.folder),
        "captured_on": capture.captured_on,
        "fetched": list(capture.fetched),
        "reused": list(capture.reused),
        "requests": capture.attempts,
        "base_url": settings.base_url,
        "seconds": round(time.perf_counter() - started, 3),
    }


def run(args: Any) -> int:
    """The monthly run; its exit status (see the module's docs)."""
    started = time.perf_counter()
    began = datetime.now(UTC)

    def say(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    parameters = load_parameters(args.params or DEFAULT_PARAMETERS)
    try:
        period = parse_period(args.period).code if args.period else latest_closed_month(date.today())
    except ValueError as exc:
        raise fail("--period", str(exc)) from None
    overrides: dict[str, Any] = {"period": period}
    if period != parameters.period:
        overrides["published"] = None  # the published scores of the file's own period do not fit another
    store = Path(args.store) if args.store else parameters.store
    if args.collect and store is None:
        store = history.DEFAULT_STORE
    if store is not None:
        overrides.update(store=store, facts=None if (args.collect or args.store) else parameters.facts)
    run_parameters = parameters.model_copy(update=overrides)
    final = report_folder(args.out, parameters.scope_slug, period)
    durations: dict[str, float] = {}
    with RunLock(final.parent / f".{final.name}.monthly.lock", f"monthly {parameters.scope_slug} {period}"):
        say(f"monthly: {parameters.scope} {period} → {final}")
        collected = None
        if args.collect:
            assert store is not None  # --collect always has a store (default: data/history)
            collected = collect_step(parameters, period, store, args, say)
            durations["collect"] = collected["seconds"]
        t0 = time.perf_counter()
        if store is not None:
            for path in parameters.history:
                history.add_path(store, path)
        inputs = run_inputs(run_parameters)
        durations["inputs"] = round(time.perf_counter() - t0, 3)
        previous = last_run(final)
        if not args.force and previous.get("inputs_sha256") == inputs["inputs_sha256"] and previous.get("status") == "done":
            print(f"no new data since the last run ({previous.get('generated', '?')}): {final} is up to date", flush=True)
            return EXIT_NO_NEW_DATA
        run_info = {
            "run": "monthly",
            "started": began.isoformat(timespec="seconds"),
            **inputs,
            "collect": collected,
            "durations": durations,
        }
        status = report_main(params=run_parameters, out=args.out, quiet=args.quiet, run_info=run_info)
    say(f"monthly: {'done' if status == 0 else 'a notebook failed'} in {time.perf_counter() - started:.1f} s")
    return EXIT_DONE if status == 0 else EXIT_NOTEBOOK_FAILED
