"""The ``facts`` command: one-stop-shop records → a facts file (số liệu chỉ số từ dữ liệu một cửa).

``python -m analysis facts --records DIR_OR_FILE [--procedures F] [--petitions F] [--units F]
--period P --out F [--rejects F] [--methodology M]``

Every row of every input is checked; the rows used are counted into facts by
:func:`analysis.io.indicators.dossier_facts`; the rejected rows are written beside the facts
(``rows in = rows used + rows rejected``), with a loud word first when one reason takes more than
5 % of a file's rows.  By input:

* a Parquet file or folder (any size): every row check and the counts in one streaming pass, the
  duplicate check in a pass over the id column beside it (:func:`analysis.io.scan.checked_facts`);
* a folder of CSV/XLSX exports: each read and checked on its own, then the same pass
  (:func:`analysis.io.exports.folder_facts`);
* one CSV/XLSX file: read and checked whole (:func:`analysis.io.records.read_dossiers`); a CSV
  file over 32 MiB is read in parts (:func:`analysis.io.exports.large_export_facts`).

The computed facts go through the checks scoring applies (:func:`analysis.scoring.facts.check_facts`),
so the file written scores as written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analysis.contract.periods import Period, parse_period
from analysis.errors import InputError, Problem, fail
from analysis.io import exports, records, scan
from analysis.io import rejects as reject_words
from analysis.io.id_pass import Background, is_parquet
from analysis.io.indicators import PETITION_COLUMNS, dossier_facts
from analysis.io.load import ROW, split_sheet, write_table
from analysis.io.records import Loaded, LoadSummary
from analysis.report.formatting import integer
from analysis.scoring.facts_check import check_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.units import bundled_units, read_units

TABLE_TYPES = (".csv", ".parquet", ".xlsx")


def default_rejects_path(out: str | Path) -> Path:
    """``reports/facts.csv`` → ``reports/facts.rejects.csv``."""
    target = Path(out)
    return target.with_name(f"{target.stem}.rejects.csv")


@dataclass
class Inputs:
    """What the command read: summaries, rejects (in memory, or lazily from a scan) and the tally
    of rejects by reason and column of each table (dossiers first)."""

    summaries: list[LoadSummary] = field(default_factory=list)
    rejected: list[pl.DataFrame] = field(default_factory=list)
    streamed: list[pl.LazyFrame] = field(default_factory=list)
    tallies: list[tuple[LoadSummary, pl.DataFrame]] = field(default_factory=list)
    folders: list[exports.FolderOutcome] = field(default_factory=list)

    def exported(self, folder: exports.FolderOutcome) -> None:
        """A folder of exports (:mod:`analysis.io.exports`): its summary, tally and rejects first."""
        self._put(folder.summary, folder.tally, True)
        in_memory, lazy = folder.rejected_parts()
        self.rejected[:0], self.streamed[:0] = in_memory, lazy
        self.folders.append(folder)

    def close(self) -> None:
        for folder in self.folders:
            folder.close()

    def _put(self, summary: LoadSummary, counted: pl.DataFrame, first: bool) -> None:
        at = 0 if first else len(self.summaries)
        self.summaries.insert(at, summary)
        self.tallies.insert(at, (summary, counted))

    def loaded(self, loaded: Loaded, table: str, *, first: bool = False) -> Loaded:
        self._put(loaded.summary, reject_words.tally(loaded.rejects, table), first)
        self.rejected.insert(0 if first else len(self.rejected), _tag(loaded.rejects, table, loaded.summary.source))
        return loaded

    def scanned(self, checked: scan.ScanOutcome, table: str, *, first: bool = False) -> scan.ScanOutcome:
        """A scan's rejects: the later copies of duplicate ids, and the rows failing a check (read
        back lazily, only when there are any)."""
        self._put(checked.summary, checked.tally.select(pl.lit(table).alias("table"), pl.all()), first)
        if checked.duplicates.height:
            self.rejected.append(checked.duplicates.select(pl.lit(table).alias("table"), pl.all()))
        if checked.summary.rows_rejected > checked.duplicates.height:
            self.streamed.append(checked.rejected_rows().select(pl.lit(table).alias("table"), pl.all()))
        return checked


def _tag(rejects: pl.DataFrame, table: str, source: str) -> pl.DataFrame:
    if "file" in rejects.columns:
        return rejects.select(pl.lit(table).alias("table"), pl.all())
    return rejects.select(pl.lit(table).alias("table"), pl.lit(source).alias("file"), pl.all())


def _first_problems(rejects: pl.DataFrame) -> list[Problem]:
    return [Problem(file, reason, row, column)
            for file, row, column, reason in rejects.select("file", ROW, "column", "reason").head(200).iter_rows()]


def _checked_arguments(args: argparse.Namespace) -> tuple[Period, Path, Path]:
    """The period, the facts file and the rejects file, checked before anything is read."""
    try:
        period = parse_period(args.period)
    except ValueError as exc:
        raise fail("--period", str(exc)) from None
    out = Path(args.out)
    if out.suffix.lower() not in TABLE_TYPES:
        raise fail(str(out), "unsupported output type (use .csv, .parquet or .xlsx)", column="--out")
    rejects_path = Path(args.rejects) if args.rejects else default_rejects_path(out)
    if rejects_path.suffix.lower() not in TABLE_TYPES:
        raise fail(str(rejects_path), "unsupported rejects file type (use .csv, .parquet or .xlsx)", column="--rejects")
    if not split_sheet(Path(args.records))[0].exists():
        raise fail(args.records, "file or folder not found", column="--records")
    return period, out, rejects_path


def _catalogue_and_petitions(args: argparse.Namespace, units: pl.DataFrame, inputs: Inputs
                             ) -> tuple[pl.DataFrame | None, pl.LazyFrame | pl.DataFrame | None]:
    """The procedure catalogue and the petitions, when given, checked (their rejects kept)."""
    procedures = petitions = None
    if args.procedures:
        procedures = inputs.loaded(records.read_procedures(args.procedures, units=units), "procedures").frame
    if args.petitions and is_parquet(args.petitions):
        checked = inputs.scanned(scan.check_table(args.petitions, "petitions", units=units), "petitions")
        petitions = checked.good().select(list(PETITION_COLUMNS))
    elif args.petitions:
        petitions = inputs.loaded(records.read_petitions(args.petitions, units=units), "petitions").frame
    return procedures, petitions


def _dossier_facts(args: argparse.Namespace, period: Period, units: pl.DataFrame, inputs: Inputs,
                   hint: list[Problem], hashing: Background[tuple[pl.Series, int]] | None = None) -> pl.DataFrame:
    """The facts of the dossiers (and of the catalogue and petitions), by the kind of input."""
    procedures, petitions = _catalogue_and_petitions(args, units, inputs)
    record_path = Path(args.records)
    given = {"units": units, "procedures": procedures, "petitions": petitions}
    if is_parquet(record_path):
        # every row check, the duplicate check and the rejects accounting in the pass that counts
        facts, checked = scan.checked_facts(record_path, period, **given, hashing=hashing)
        if checked.summary.rows_used == 0:
            raise InputError(_first_problems(checked.rejected_rows().head(200).collect()) + hint)
        inputs.scanned(checked, "dossiers", first=True)
        return facts
    if record_path.is_dir() or exports.read_in_parts(record_path):
        # each export (a large one in parts) read and checked on its own, its good rows staged as
        # Parquet, then the checked pass
        staged = exports.folder_facts if record_path.is_dir() else exports.large_export_facts
        facts, folder = staged(record_path, period, **given)
        if folder.summary.rows_used == 0:
            raise InputError(_first_problems(folder.first_problems()) + hint)
        inputs.exported(folder)
        return facts
    loaded = records.read_dossiers(record_path, units=units)
    if loaded.summary.rows_used == 0:
        raise InputError(loaded.problems() + hint, limit=50)
    inputs.loaded(loaded, "dossiers", first=True)
    return dossier_facts(loaded.frame, period, **given)


def _report(facts: pl.DataFrame, period: Period, inputs: Inputs, rejects_path: Path, out: Path) -> None:
    """Write the rejects and the facts; say what was read, used and rejected."""
    n_rejected = sum(s.rows_rejected for s in inputs.summaries)
    counted = pl.concat([c for _, c in inputs.tallies], how="vertical_relaxed")
    written_rejects, summary_file = reject_words.write(inputs.rejected, inputs.streamed, rejects_path, counted,
                                                       n_rejected)
    written = write_table(facts, out)
    roots = facts.filter(pl.col("indicator") == "ON_TIME")
    roots = roots.filter(~pl.col("parent_code").is_in(roots["unit_code"].implode()) | pl.col("parent_code").is_null())
    received = int(roots["denominator"].fill_null(0).sum())
    print(f"hồ sơ tiếp nhận trong kỳ ({period.label('vi')}): {integer(received)}")
    if received == 0:
        print(f"chú ý: không có hồ sơ nào tiếp nhận trong kỳ {period.code}: kiểm tra --period", file=sys.stderr)
    print(f"dòng bị loại: {integer(n_rejected)} → {written_rejects}")
    for line in reject_words.tally_lines(counted, summary_file):
        print(line)
    n_units = facts["unit_code"].n_unique()
    print(f"facts: {integer(facts.height)} dòng, {integer(n_units)} đơn vị, kỳ {period.code} → {written}")


def main(args: argparse.Namespace, hashing: Background[tuple[pl.Series, int]] | None = None) -> int:
    """Run the ``facts`` command (arguments as :func:`analysis.cli.build_parser` reads them).

    ``hashing``: the id-hash pass of a Parquet export (:func:`analysis.io.id_pass.start`), started
    by the caller before the suite was loaded (the caller joins it); otherwise the pass that counts
    starts its own (:func:`analysis.io.scan.checked_facts`).
    """
    period, out, rejects_path = _checked_arguments(args)
    # read in the background while the records are counted (the counting runs outside Python)
    methodology = Background(load_methodology, getattr(args, "methodology", None) or "portal-2025")
    inputs = Inputs()
    try:
        given_units = read_units(args.units) if args.units else None
        units = given_units if given_units is not None else bundled_units()
        hint = [] if given_units is not None else [Problem(
            args.records, "no --units given: unit codes were checked against the bundled Phú Thọ units (H44…)")]
        facts = _dossier_facts(args, period, units, inputs, hint, hashing)
        # a reason that rejects more than 5 % of a file's rows is said first, loudly
        loud = [line for summary, counted in inputs.tallies
                for line in reject_words.mismatch_warnings(counted, summary.rows_in, summary.source)]
        sys.stdout.flush()
        for line in loud:
            print(line, file=sys.stderr)
        for summary in inputs.summaries:
            print(summary.render("vi"))
        # the same checks scoring applies, so the file scores as written
        check_facts(facts.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64)), source=str(out),
                    methodology=methodology.result())
        _report(facts, period, inputs, rejects_path, out)
    finally:
        inputs.close()  # staged exports
    return 0
