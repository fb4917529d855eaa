"""A folder of CSV/XLSX exports of any size (thư mục tệp xuất hằng tháng), one file at a time.

A province's one-stop-shop system exports a CSV file a month; a folder of years of them is far
larger than memory.  Each export is read and checked on its own by
:func:`analysis.io.records.read_dossiers` (Vietnamese headers and values, personal data dropped,
every row check, rejects naming file, row and column); its good rows are written to a temporary
Parquet file in the contract's types, with each row's row in its export; then the checked pass
over Parquet (:func:`analysis.io.scan.checked_facts`) counts them all, finding duplicate ids across
the exports with the same hash pass as for Parquet (a later copy is rejected, named by its export
and row).  Memory is that of the largest export read whole plus the pass, whatever the number of
exports; a single export too large to read whole is refused (exit 2) with its size.

``rows in = rows used + rows rejected`` holds across the exports: the rows of each export are
either written or rejected, and the pass rejects only duplicates (or rows failing a check the
export's reader let through), each counted once.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.errors import fail
from analysis.io.load import ROW
from analysis.io.record_vocabulary import DOSSIER_EXTRA, DOSSIER_SCHEMA
from analysis.io.records import TABLE_FILES, LoadSummary, read_dossiers
from analysis.io.rejects import TALLY_SCHEMA, tally
from analysis.io.scan import INDEX, ScanOutcome, checked_facts

STAGED_SCHEMA = {**DOSSIER_SCHEMA, **DOSSIER_EXTRA}


def export_files(path: str | os.PathLike[str]) -> list[Path]:
    """The CSV/XLSX exports of a folder, in name order (hidden and Office lock files left out)."""
    folder = Path(path)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TABLE_FILES
                   and not p.name.startswith((".", "~$")))
    if not files:
        raise fail(os.fspath(path), "the folder holds no CSV, XLSX or Parquet files")
    return files


@dataclass
class FolderOutcome:
    """What the exports' readers and the pass found: the folder's summary, the rejects by reason,
    the rejected rows of each export (in temporary Parquet files) and the pass's outcome."""

    summary: LoadSummary
    tally: pl.DataFrame
    """(table, column, reason, rows)."""
    rejects: list[pl.LazyFrame]
    """Rejected rows of the exports' readers (file, _row, column, reason, cells), lazily."""
    checked: ScanOutcome
    staging: tempfile.TemporaryDirectory[str]
    """The staged exports (good rows and rejects), until :meth:`close`."""

    def rejected_parts(self) -> tuple[list[pl.DataFrame], list[pl.LazyFrame]]:
        """Every rejected row, tagged with its table: in memory (duplicates) and lazily (the rest)."""
        tag = pl.lit("dossiers").alias("table")
        lazy = [r.select(tag, pl.all()) for r in self.rejects]
        if self.checked.summary.rows_rejected > self.checked.duplicates.height:
            lazy.append(self.checked.rejected_rows().select(tag, pl.all()))
        dups = [self.checked.duplicates.select(tag, pl.all())] if self.checked.duplicates.height else []
        return dups, lazy

    def first_problems(self) -> pl.DataFrame:
        """Some rejected rows of the exports (for a run where no row is used)."""
        return pl.concat([r.head(200) for r in self.rejects[:5]], how="diagonal_relaxed").collect()

    def close(self) -> None:
        self.staging.cleanup()


def stage_export(file: Path, staging: Path, number: int, units: pl.DataFrame | None
                 ) -> tuple[LoadSummary, pl.DataFrame, Path | None, Path]:
    """Read and check one export; write its good rows (typed, with ``_idx`` = row in the export)
    and its rejects (with ``file``) to Parquet in ``staging``.  Returns the summary, the tally, the
    rejects file (None without rejects) and the good rows' file."""
    loaded = read_dossiers(file, units=units)
    good = staging / "rows" / f"{number:05d}.parquet"
    good.parent.mkdir(exist_ok=True)
    loaded.frame.select(list(STAGED_SCHEMA)).with_columns(loaded.file_rows().cast(pl.UInt32).alias(INDEX)).write_parquet(good)
    rejected = None
    if loaded.rejects.height:
        rejected = staging / "rejects" / f"{number:05d}.parquet"
        rejected.parent.mkdir(exist_ok=True)
        (loaded.rejects.select(pl.lit(str(file)).alias("file"), pl.col(ROW).cast(pl.Int64), pl.exclude(ROW))
         .write_parquet(rejected))
    return loaded.summary, tally(loaded.rejects, "dossiers"), rejected, good


def folder_facts(path: str | os.PathLike[str], period, *, units: pl.DataFrame,
                 procedures=None, petitions=None) -> tuple[pl.DataFrame, FolderOutcome]:
    """Facts from a folder of dossier exports, each read and checked on its own, counted in one
    checked pass over their good rows (staged as temporary Parquet, removed by
    :meth:`FolderOutcome.close` once the rejects are written, or when the outcome goes)."""
    files = export_files(path)
    folder = tempfile.TemporaryDirectory(prefix="analysis-exports-")
    staging = Path(folder.name)
    summaries, tallies, rejects, origins = [], [], [], {}
    for number, file in enumerate(files):
        summary, counted, rejected, good = stage_export(file, staging, number, units)
        summaries.append(summary)
        tallies.append(counted)
        origins[good] = str(file)
        if rejected is not None:
            rejects.append(pl.scan_parquet(rejected))
    facts, checked = checked_facts(staging / "rows", period, units=units, procedures=procedures,
                                   petitions=petitions, origins=origins)
    rows_in = sum(s.rows_in for s in summaries)
    rejected_rows = sum(s.rows_rejected for s in summaries) + checked.rejected
    notes = [f"{len(files)} tệp: " + ", ".join(f.name for f in files)]
    notes += [f"{Path(s.source).name}: {note}" for s in summaries for note in s.notes]
    if checked.duplicates.height:
        notes.append(f"{checked.duplicates.height} hồ sơ trùng mã với dòng trước (bị loại)")
    summary = LoadSummary(
        source=os.fspath(path), table="dossiers", rows_in=rows_in, rows_used=rows_in - rejected_rows,
        rows_rejected=rejected_rows, personal_columns=sorted({c for s in summaries for c in s.personal_columns}),
        notes=notes)
    passed = checked.tally.select(pl.lit("dossiers").alias("table"), pl.all())
    by_reason = (pl.concat([pl.DataFrame(schema=TALLY_SCHEMA), *tallies, passed], how="vertical_relaxed")
                 .group_by("table", "column", "reason").agg(pl.col("rows").sum())
                 .sort("rows", "column", "reason", descending=[True, False, False]))
    return facts, FolderOutcome(summary=summary, tally=by_reason, rejects=rejects, checked=checked, staging=folder)
