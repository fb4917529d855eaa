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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.contract.periods import Period
from analysis.io.load import ROW
from analysis.io.record_vocabulary import DOSSIER_EXTRA, DOSSIER_SCHEMA
from analysis.io.records import (
    TEXT_FILES,
    LoadSummary,
    export_files,
    file_kind,
    header_row,
    read_dossiers,
    read_limit,
    size_in_mib,
    utf16,
)
from analysis.io.rejects import TALLY_SCHEMA, tally
from analysis.io.scan import INDEX, ScanOutcome, checked_facts

STAGED_SCHEMA = {**DOSSIER_SCHEMA, **DOSSIER_EXTRA}
Frame = pl.DataFrame | pl.LazyFrame


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


@dataclass(frozen=True)
class Part:
    """A file read whole: an export, or a part of a large one (its lines after the first
    ``offset`` data lines, below a copy of the export's header)."""

    file: Path
    export: str
    """The export the rows come from (named in the rejects)."""
    offset: int = 0


PART_BYTES = 32 * 2**20
"""A CSV export larger than this is read in parts of at most this size (or of a quarter of the
size read whole, when ``ANALYSIS_MAX_READ_MB`` makes that smaller): a CSV export read whole takes
about nine times its size in memory."""


def part_size(file: Path) -> int:
    return max(min(PART_BYTES, read_limit(file) // 4), 1)


def read_in_parts(path: str | os.PathLike[str]) -> bool:
    """A CSV export larger than a part, or than what is read whole (the ``facts`` command reads it
    in parts; elsewhere it is read whole, up to :data:`analysis.io.records.WHOLE_FILE_LIMITS`)."""
    file = Path(path)
    if file.suffix.lower() not in TEXT_FILES or not file.is_file():
        return False
    # cut at line ends only in UTF-8 (or one-byte) text: UTF-16 is read whole, or refused by its size
    return not utf16(file) and file.stat().st_size > min(PART_BYTES, read_limit(file))


def last_row_end(block: bytes) -> int:
    """The end of the last whole CSV row of ``block`` (just after a line break outside quotes), or 0."""
    end = block.rfind(b"\n")
    while end >= 0:
        if block.count(b'"', 0, end) % 2 == 0:
            return end + 1
        end = block.rfind(b"\n", 0, end)
    return 0


def split_export(file: Path, folder: Path, part_bytes: int) -> list[Part]:
    """A large CSV export (UTF-8) as parts of at most about ``part_bytes`` each, every part starting
    with the export's lines down to its header: each part is then an export of its own, read and
    checked whole; a row's number in its part plus the part's ``offset`` is its row in the export."""
    source = str(file)
    with file.open("rb") as stream:
        head = stream.read(min(2**20, part_bytes))
        bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        head = head[bom:]
        sample = folder / "head.csv"
        sample.write_bytes(head[:last_row_end(head) or len(head)])
        header = b"".join(head.splitlines(keepends=True)[:header_row(sample)])
        sample.unlink()
        stream.seek(bom + len(header))
        parts: list[Part] = []
        rest, offset = b"", 0
        while True:
            chunk = stream.read(part_bytes)
            block = rest + chunk
            end = len(block) if not chunk else last_row_end(block)
            if not chunk or end:
                body, rest = block[:end], block[end:]
                if body.strip():
                    part = folder / f"part-{len(parts):05d}.csv"
                    part.write_bytes(header + body)
                    parts.append(Part(part, source, offset))
                offset += body.count(b"\n")
            else:
                rest = block  # one row longer than a part: read on
            if not chunk:
                return parts


STAGING_WORKERS = 3
"""Exports (or parts) read and checked at once at most (each mostly outside Python)."""
STAGING_MEMORY = 768 * 2**20
"""Memory for the exports read at once: three CSV exports of up to 25 MiB, two parts of a large
one (:data:`PART_BYTES`), one workbook of over 4 MiB."""
MEMORY_FACTOR = {"text": 10, "workbook": 60}
"""Memory an export takes to read and check, as a multiple of its size (measured on 100.000
dossiers: an 18 MiB CSV took 177 MiB, the same rows as an 8 MiB XLSX 462 MiB)."""


def staging_workers(parts: list[Part]) -> int:
    """Exports read at once: as many as :data:`STAGING_MEMORY` holds, at most :data:`STAGING_WORKERS`."""
    largest = max((MEMORY_FACTOR[file_kind(p.file)] * p.file.stat().st_size for p in parts), default=0)
    return max(1, min(STAGING_WORKERS, STAGING_MEMORY // max(largest, 1)))


def stage_export(part: Part, staging: Path, number: int, units: pl.DataFrame | None
                 ) -> tuple[LoadSummary, pl.DataFrame, Path | None, Path]:
    """Read and check one export (or part of one); write its good rows (typed, with ``_idx`` = row
    in the export) and its rejects (with ``file``) to Parquet in ``staging``.  Returns the summary,
    the tally, the rejects file (None without rejects) and the good rows' file."""
    loaded = read_dossiers(part.file, units=units)
    good = staging / "rows" / f"{number:05d}.parquet"
    good.parent.mkdir(exist_ok=True)
    rows = loaded.file_rows() + part.offset
    loaded.frame.select(list(STAGED_SCHEMA)).with_columns(rows.cast(pl.UInt32).alias(INDEX)).write_parquet(good, compression="lz4")
    rejected = None
    if loaded.rejects.height:
        rejected = staging / "rejects" / f"{number:05d}.parquet"
        rejected.parent.mkdir(exist_ok=True)
        (loaded.rejects.select(pl.lit(part.export).alias("file"), (pl.col(ROW) + part.offset).cast(pl.Int64),
                               pl.exclude(ROW))
         .write_parquet(rejected, compression="lz4"))
    return loaded.summary, tally(loaded.rejects, "dossiers"), rejected, good


def folder_facts(path: str | os.PathLike[str], period: Period, *, units: pl.DataFrame,
                 procedures: Frame | None = None, petitions: Frame | None = None
                 ) -> tuple[pl.DataFrame, FolderOutcome]:
    """Facts from a folder of dossier exports, each read and checked on its own (a large one in
    parts), counted in one checked pass over their good rows (staged as temporary Parquet, removed
    by :meth:`FolderOutcome.close` once the rejects are written, or when the outcome goes)."""
    files = export_files(path)
    notes = [f"{len(files)} tệp: " + ", ".join(f.name for f in files)]
    return _staged_facts(path, files, notes, period, units=units, procedures=procedures, petitions=petitions)


def large_export_facts(path: str | os.PathLike[str], period: Period, *, units: pl.DataFrame,
                       procedures: Frame | None = None, petitions: Frame | None = None
                       ) -> tuple[pl.DataFrame, FolderOutcome]:
    """Facts from one large CSV export (see :func:`read_in_parts`): read in parts, as a folder of
    exports is."""
    return _staged_facts(path, [Path(path)], [], period, units=units, procedures=procedures, petitions=petitions)


def _staged_facts(path: str | os.PathLike[str], files: list[Path], notes: list[str], period: Period, *,
                  units: pl.DataFrame, procedures: Frame | None, petitions: Frame | None
                  ) -> tuple[pl.DataFrame, FolderOutcome]:
    folder = tempfile.TemporaryDirectory(prefix="analysis-exports-")
    staging = Path(folder.name)
    summaries, tallies, rejects, origins = [], [], [], {}

    def stage(numbered: tuple[int, Part]) -> tuple[LoadSummary, pl.DataFrame, Path | None, Path]:
        number, part = numbered
        staged = stage_export(part, staging, number, units)
        if part.file != Path(part.export):
            part.file.unlink()  # read: its good rows and rejects are staged
        return staged

    def stage_all(batch: list[Part]) -> None:
        first = len(summaries)
        with ThreadPoolExecutor(max_workers=staging_workers(batch)) as pool:
            try:
                staged = list(pool.map(stage, enumerate(batch, first)))
            except BaseException:  # a bad export stops the batch: the exports not yet started are not read
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        for part, (summary, counted, rejected, good) in zip(batch, staged, strict=True):
            summaries.append((summary, part.export))
            tallies.append(counted)
            origins[good] = part.export
            if rejected is not None:
                rejects.append(pl.scan_parquet(rejected))

    # a few exports (or parts) at a time, each mostly outside Python: every core busy, memory a few
    # exports', and a large export split only when its turn comes
    batch: list[Part] = []
    for i, file in enumerate(files):
        if read_in_parts(file):
            (staging / "parts" / str(i)).mkdir(parents=True)  # a folder an export: parts of several wait at once
            split = split_export(file, staging / "parts" / str(i), part_size(file))
            notes.append(f"{file.name}: {size_in_mib(file.stat().st_size)}, đọc theo {len(split)} phần")
            batch += split
        else:
            batch.append(Part(file, str(file)))
        if len(batch) >= 4 * STAGING_WORKERS:
            stage_all(batch)
            batch = []
    stage_all(batch)
    facts, checked = checked_facts(staging / "rows", period, units=units, procedures=procedures,
                                   petitions=petitions, origins=origins)
    rows_in = sum(s.rows_in for s, _ in summaries)
    rejected_rows = sum(s.rows_rejected for s, _ in summaries) + checked.rejected
    notes += list(dict.fromkeys(f"{Path(export).name}: {note}" for s, export in summaries for note in s.notes))
    if checked.duplicates.height:
        notes.append(f"{checked.duplicates.height} hồ sơ trùng mã với dòng trước (bị loại)")
    summary = LoadSummary(
        source=os.fspath(path), table="dossiers", rows_in=rows_in, rows_used=rows_in - rejected_rows,
        rows_rejected=rejected_rows, notes=notes,
        personal_columns=sorted({c for s, _ in summaries for c in s.personal_columns}))
    passed = checked.tally.select(pl.lit("dossiers").alias("table"), pl.all())
    by_reason = (pl.concat([pl.DataFrame(schema=TALLY_SCHEMA), *tallies, passed], how="vertical_relaxed")
                 .group_by("table", "column", "reason").agg(pl.col("rows").sum())
                 .sort("rows", "column", "reason", descending=[True, False, False]))
    return facts, FolderOutcome(summary=summary, tally=by_reason, rejects=rejects, checked=checked, staging=folder)
