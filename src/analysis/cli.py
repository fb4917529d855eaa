"""Command line: ``python -m analysis <verb>`` (also the ``analysis`` console script).

Exit status: 0 success; 2 bad input or bad parameters (a message naming file, row and column,
no traceback); 1 an internal error.

Command-line parsing lives here alone: each verb's arguments are declared by its own
``add_<verb>`` and run by its ``cmd_<verb>``.  A ``cmd_<verb>`` imports its stage when the verb
runs, so that ``score`` does not load the notebook runner, the chart library or the Word writer.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as bad input (exit 2) in the same style."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


Verbs = argparse._SubParsersAction  # the sub-command registry argparse gives (no public name)


def cmd_score(args: argparse.Namespace) -> int:
    from analysis.errors import fail
    from analysis.io.load import write_table
    from analysis.scoring import history
    from analysis.scoring.facts import read_facts
    from analysis.scoring.methodology import load_methodology
    from analysis.scoring.score import score, score_period

    methodology = load_methodology(args.methodology)
    as_of = history.parse_as_of(args.as_of)
    if history.is_store(args.facts):
        facts = history.read(args.facts, as_of=as_of)
        held = sorted(facts["period"].unique().to_list())
        if not held:
            raise fail(args.facts, f"the store holds no capture taken by {as_of}")
        if args.period:
            code = history.period_code(args.period, where="--period")
            facts = history.with_period(facts, code, methodology)
            if code not in set(facts["period"].to_list()):
                raise fail(args.facts, f"the store holds no capture of {code}" + (f" taken by {as_of}" if as_of else "")
                           + f" (it holds {', '.join(held)})")
            scored, _ = score_period(facts, methodology, code)
        else:
            scored = score(facts, methodology)
    else:
        if as_of is not None:
            raise fail(args.facts, "--as-of reads a history store (a folder made by 'history add')")
        facts = read_facts(args.facts, methodology, period=args.period)
        scored = score(facts, methodology)
    out = write_table(scored.scorecard, args.out)
    print(f"scorecard: {scored.scorecard.height} units, methodology {methodology.id} → {out}")
    if args.detail:
        detail = write_table(scored.detail, args.detail)
        print(f"indicator detail: {scored.detail.height} rows → {detail}")
    return EXIT_OK


def cmd_portal(args: argparse.Namespace) -> int:
    from analysis.io.load import write_table
    from analysis.io.portal import read_portal

    data = read_portal(args.source, period=args.period)
    out = write_table(data.facts, args.out)
    print(f"facts: {data.facts.height} rows for {data.published.height} units → {out}")
    if args.published:
        print(f"published scores → {write_table(data.published, args.published)}")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from analysis.scoring import history

    store = args.store or history.DEFAULT_STORE
    if args.action == "add":
        as_of = history.parse_as_of(args.as_of)
        for path in args.paths:
            result = history.add_path(store, path, as_of=as_of, source=args.source, period=args.period)
            print(result.summary())
        return EXIT_OK
    if args.action == "list":
        sys.stdout.write(history.vintages(store).write_csv())
        return EXIT_OK
    changed = history.diff(store, args.period_code)
    if changed.is_empty():
        print(f"{args.period_code}: fewer than two captures held, or no figure changed between the two latest",
              file=sys.stderr)
    sys.stdout.write(changed.write_csv())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from analysis.io.validate import validate_files

    return validate_files(args.files, methodology=args.methodology, period=args.period)


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.run.suite import main as report_main

    return report_main(params=args.params, out=args.out, quiet=args.quiet)


def cmd_facts(args: argparse.Namespace) -> int:
    from analysis.io import id_pass  # polars alone: a Parquet export's id pass runs while the rest loads

    hashing = id_pass.start(args.records) if Path(args.records).exists() else None
    try:
        from analysis.io.facts_command import main as facts_main  # the verb's modules load only for this verb

        return facts_main(args, hashing)
    finally:  # never left running at exit (a bad argument may stop the command before its result is needed)
        if hashing is not None:
            hashing.join()


def cmd_generate(args: argparse.Namespace) -> int:
    from analysis.synthetic.generate import main as generate_main

    return generate_main(args)


def cmd_collect(args: argparse.Namespace) -> int:
    from analysis.run.collect import main as collect_main

    return collect_main(args)


def cmd_monthly(args: argparse.Namespace) -> int:
    from analysis.run.monthly import run as monthly_run

    return monthly_run(args)


def add_score(verbs: Verbs) -> None:
    """The ``score`` verb's arguments."""
    p = verbs.add_parser("score", help="facts → scorecard (and indicator detail)")
    p.add_argument("--facts", required=True, help="facts file (CSV, Parquet, XLSX[#sheet]) or a folder of saved portal responses")
    p.add_argument("--methodology", default="portal-2025", help="methodology id, id+alternative, or a YAML file (default: portal-2025)")
    p.add_argument("--out", required=True, help="scorecard file (.csv, .parquet, .xlsx)")
    p.add_argument("--detail", help="indicator detail file (.csv, .parquet, .xlsx)")
    p.add_argument("--period", help="period of saved portal responses when their folder name does not say it; "
                                    "with a history store, the period whose scorecard is written")
    p.add_argument("--as-of", dest="as_of", help="with a history store: the figures as they stood on this date (2026-09-05)")
    p.set_defaults(run=cmd_score)


def add_history(verbs: Verbs) -> None:
    """The ``history`` verb's arguments."""
    p = verbs.add_parser("history", help="the history store: add captures, list them, show what changed")
    actions = p.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
    a = actions.add_parser("add", help="add facts files or folders of saved portal responses")
    a.add_argument("paths", nargs="+", type=Path, help="facts file (CSV, Parquet, XLSX) or folder of portal responses")
    a.add_argument("--store", type=Path, help="the store folder (default: data/history)")
    a.add_argument("--as-of", dest="as_of", help="capture date of the figures (2026-09-05); default: the file's as_of column")
    a.add_argument("--source", help="where the figures come from (default: the file's name)")
    a.add_argument("--period", help="period of saved portal responses when their folder name does not say it")
    a = actions.add_parser("list", help="CSV on stdout: period, as_of, source, units, rows, provisional")
    a.add_argument("--store", type=Path, help="the store folder (default: data/history)")
    a = actions.add_parser("diff", help="CSV on stdout: every figure that changed between a period's two latest captures")
    a.add_argument("period_code", metavar="PERIOD")
    a.add_argument("--store", type=Path, help="the store folder (default: data/history)")
    p.set_defaults(run=cmd_history)


def add_portal(verbs: Verbs) -> None:
    """The ``portal`` verb's arguments."""
    p = verbs.add_parser("portal", help="saved portal responses (folder of JSON) or the collectors' long CSV → facts")
    p.add_argument("source", help="folder of <endpoint>.json responses, or the long CSV")
    p.add_argument("--period", help="period of the responses (2026-08) when the folder name does not say it")
    p.add_argument("--out", required=True, help="facts file to write")
    p.add_argument("--published", help="also write the scores the portal published")
    p.set_defaults(run=cmd_portal)


def add_validate(verbs: Verbs) -> None:
    """The ``validate`` verb's arguments."""
    p = verbs.add_parser("validate", help="check input files and report every problem")
    p.add_argument("files", nargs="+", help="facts, records, the long CSV, or saved portal responses (folder or .json)")
    p.add_argument("--methodology", default="portal-2025")
    p.add_argument("--period", help="period of saved portal responses when their folder name does not say it")
    p.set_defaults(run=cmd_validate)


def add_report(verbs: Verbs) -> None:
    """The ``report`` verb's arguments."""
    p = verbs.add_parser("report", help="run the notebook suite and write the shared HTML")
    p.add_argument("--params", help="parameters YAML (default: the bundled Phú Thọ, August 2026 run)")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=cmd_report)


def add_facts(verbs: Verbs) -> None:
    """The ``facts`` verb's arguments: one-stop-shop records → facts (:func:`analysis.io.facts_command.main`)."""
    p = verbs.add_parser("facts", help="one-stop-shop records → facts")
    p.add_argument("--records", required=True,
                   help="dossiers (hồ sơ): CSV, XLSX[#sheet] or Parquet file, a folder of CSV/XLSX exports, "
                        "or a (hive-partitioned) Parquet folder")
    p.add_argument("--procedures", help="procedure catalogue (danh mục TTHC) per unit: CSV, XLSX or Parquet")
    p.add_argument("--petitions", help="petitions (PAKN): CSV, XLSX, Parquet file or Parquet folder")
    p.add_argument("--units", help="units table (default: the bundled Phú Thọ units)")
    p.add_argument("--period", required=True, help="2026-08, 2026-Q3, 2026 or 2026-08-01..2026-08-15")
    p.add_argument("--out", required=True, help="facts file to write (.csv, .parquet, .xlsx)")
    p.add_argument("--rejects", help="where rejected rows go (default: <out stem>.rejects.csv beside --out)")
    p.add_argument("--methodology", default="portal-2025", help="methodology the facts are checked against")
    p.set_defaults(run=cmd_facts)


def add_generate(verbs: Verbs) -> None:
    """The ``generate`` verb's arguments."""
    p = verbs.add_parser("generate", help="write realistic synthetic records (deterministic for a seed)")
    p.add_argument("--out", help="output folder (default: data/synthetic/, git-ignored); labelled with SYNTHETIC.md")
    p.add_argument("--seed", type=int, default=766, help="random seed: the same seed gives byte-identical files (default 766)")
    p.add_argument("--dossiers", type=int, help="total dossiers (default: the real Phú Thọ volumes, seasonally adjusted)")
    p.add_argument("--months", default="2026-08", help="a month or a range, 2026-08 or 2026-01..2026-12 (default 2026-08)")
    p.add_argument("--province", default="H44", help="portal code (H44), statistics code (25) or name (default H44, Phú Thọ)")
    p.add_argument("--national", action="store_true", help="all 34 provinces, dossiers hive-partitioned by year/month/province")
    p.add_argument("--partitioned", action="store_true", help="hive-partitioned Parquet for a single province too")
    p.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet")
    p.add_argument("--personal", action="store_true", help="add FAKE applicant name/CCCD/phone/address columns (to test that loaders drop them)")
    p.set_defaults(run=cmd_generate)


def add_collect(verbs: Verbs) -> None:
    """The ``collect`` verb's arguments."""
    p = verbs.add_parser("collect", help="fetch the portal's reporting responses for a province and a period")
    p.add_argument("--province", required=True, help="the province's portal code (H44)")
    p.add_argument("--period", required=True, help="a month, quarter or year: 2026-08, 2026-Q3, 2026")
    p.add_argument("--captures", help="where captures are kept (default: data/portal/captures/, git-ignored)")
    p.add_argument("--store", help="the history store the capture's facts are added to (default: data/history/)")
    p.add_argument("--base-url", default=None, help="the portal, a proxy or a mirror (default https://dichvucong.gov.vn)")
    p.add_argument("--delay", type=float, default=None, help="seconds between requests (default 2)")
    p.add_argument("--timeout", type=float, default=None, help="seconds one request may take (default 60)")
    p.add_argument("--retries", type=int, default=None, help="retries of a request after the first attempt (default 4)")
    p.add_argument("--backoff", type=float, default=None, help="seconds before the first retry, doubled each time (default 5)")
    p.add_argument("--max-wait", type=float, default=None, help="longest pause accepted, Retry-After included (default 300)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=cmd_collect)


def add_monthly(verbs: Verbs) -> None:
    """The ``monthly`` verb's arguments."""
    p = verbs.add_parser("monthly", help="the unattended monthly run: (collect,) store, score, report; exit 3 when nothing is new")
    p.add_argument("--params", help="parameters YAML (default: the bundled Phú Thọ run)")
    p.add_argument("--period", help="the period to report (default: the latest closed month)")
    p.add_argument("--collect", action="store_true", help="fetch the period from the portal first and add it to the store")
    p.add_argument("--store", help="history store to read the period from (default with --collect: data/history/)")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--force", action="store_true", help="run even when nothing is new since the last run")
    p.add_argument("--captures", help="with --collect: where captures are kept (default: data/portal/captures/)")
    p.add_argument("--base-url", default=None, help="with --collect: the portal, a proxy or a mirror")
    p.add_argument("--delay", type=float, default=None, help="with --collect: seconds between requests (default 2)")
    p.add_argument("--timeout", type=float, default=None, help="with --collect: seconds one request may take (default 60)")
    p.add_argument("--retries", type=int, default=None, help="with --collect: retries of a request (default 4)")
    p.add_argument("--backoff", type=float, default=None, help="with --collect: seconds before the first retry (default 5)")
    p.add_argument("--max-wait", type=float, default=None, help="with --collect: longest pause accepted (default 300)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=cmd_monthly)


VERBS: tuple[Callable[[Verbs], None], ...] = (
    add_score,
    add_history,
    add_portal,
    add_validate,
    add_report,
    add_facts,
    add_generate,
    add_collect,
    add_monthly,
)
"""The verbs, in the order ``--help`` lists them."""


def build_parser() -> ArgumentParser:
    """The command line: one sub-command a verb, each declared by its own ``add_<verb>``."""
    parser = ArgumentParser(prog="python -m analysis", description="Bộ chỉ số 766: scoring and reports.")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=ArgumentParser)
    for add in VERBS:
        add(verbs)
    return parser


def run(argv: Sequence[str] | None, handler: Callable[[argparse.Namespace], int] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int((handler or args.run)(args) or 0)
    except InputError as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # a bug: say so, with the traceback that helps fix it
        print("internal error (please report it with the lines below):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    return run(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
