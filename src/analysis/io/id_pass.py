"""The duplicate-id pass over a Parquet export (lượt đọc mã hồ sơ): 64-bit hashes of the ids.

Duplicate dossier ids are found without holding the ids' text: a pass reads the id column alone,
keeps a 64-bit hash of each id (8 bytes a row), sorts the hashes (one slice of their range at a
time when they are many) and hands back only the hashes seen more than once; the rows carrying
them are read again with their ids by :func:`analysis.io.scan.confirm_duplicates`, so that a
collision of two different ids is never a duplicate.  The same pass counts the rows with an
empty id or procedure code (:data:`ID_PASS_COLUMNS`).

This module needs polars alone, so the ``facts`` command starts the pass, in a thread, before
it loads the rest of the suite (:func:`start`); polars computes outside Python's lock, so the
pass runs beside the imports and the counting pass.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar, cast

import polars as pl

from analysis.errors import fail

T = TypeVar("T")
PARQUET_SUFFIXES = (".parquet", ".pq")
"""The endings of a Parquet file's name."""
HASH_SEED = 766
SORT_BUDGET = 128 * 2**20
"""Bytes of hashes sorted at once (see :func:`repeated_hashes`)."""
ID_PASS_COLUMNS = ("dossier_id", "procedure_code")
"""Columns whose only check (an empty cell) the id-hash pass makes (it reads the id column anyway):
the counting pass then reads neither; should either have an empty cell, the counting pass is made
again with every check."""


class Background(threading.Thread, Generic[T]):
    """A call run in a thread (polars releases Python's lock while it computes); :meth:`result`
    waits for it and returns its value or raises its error."""

    def __init__(self, call: Callable[..., T], *args: object) -> None:
        super().__init__(daemon=True)
        self.call, self.args = call, args
        self.value: T | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.value = self.call(*self.args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by result()
            self.error = exc

    def result(self) -> T:
        self.join()
        if self.error is not None:
            raise self.error
        return cast("T", self.value)


def empty_as_null(text: pl.Expr) -> pl.Expr:
    """An empty string as a missing value (null), in every reader (as an empty CSV cell is)."""
    return pl.when(text.str.len_bytes() > 0).then(text)


def is_parquet(path: str | os.PathLike[str]) -> bool:
    """A Parquet file, or a folder holding Parquet files (hive-partitioned or not)."""
    target = Path(path)
    if target.is_dir():
        return any(p.suffix.lower() in PARQUET_SUFFIXES for p in target.rglob("*") if p.is_file())
    return target.suffix.lower() in PARQUET_SUFFIXES


def parquet_files(path: str | os.PathLike[str]) -> list[Path]:
    """The Parquet files of a file or folder, in name order."""
    target = Path(path)
    if not target.exists():
        raise fail(os.fspath(path), "file or folder not found")
    if target.is_dir():
        files = sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
        if not files:
            raise fail(os.fspath(path), "the folder holds no Parquet files")
        return files
    return [target]


def id_hashes(rows: pl.LazyFrame, key: str, also: Sequence[str] = ()) -> pl.LazyFrame:
    """The 64-bit hash (``h``) of every row's id, null where the id (or a column of ``also``) is
    empty: only those columns are read."""
    present = pl.all_horizontal([pl.col(c).is_not_null() for c in (key, *also)])
    return rows.select(pl.when(present).then(pl.col(key).hash(HASH_SEED)).alias("h"))


def repeated_hashes(hashes: pl.LazyFrame, count: int) -> tuple[pl.Series, int]:
    """Hashes that occur more than once among ``count`` (about; an upper bound is fine) hashes,
    and how many rows had none (null ``h``: see :func:`id_hashes`).

    When they fit :data:`SORT_BUDGET` they are sorted in memory; otherwise they go to a temporary
    Arrow file and are sorted one slice of their range at a time, each slice at most
    :data:`SORT_BUDGET` bytes: memory is one slice and its sorted copy (10 M ids: one slice; 50 M: four).
    """
    slices = max(1, -(-count * 8 // SORT_BUDGET))
    if slices == 1:
        every = hashes.collect(engine="streaming").to_series()
        return _repeats(every.drop_nulls()), every.null_count()
    with tempfile.TemporaryDirectory(prefix="analysis-id-hashes-") as folder:
        spilled = Path(folder) / "hashes.arrow"
        hashes.sink_ipc(spilled)
        source = pl.scan_ipc(spilled)
        missing = int(source.select(pl.col("h").null_count()).collect().item())
        width = 2**64 // slices
        found: list[pl.Series] = []
        for i in range(slices):
            low, high = i * width, (i + 1) * width
            chosen = pl.col("h") >= low if i == slices - 1 else (pl.col("h") >= low) & (pl.col("h") < high)
            found.append(_repeats(source.filter(chosen).collect().to_series()))
        return pl.concat(found), missing


def _repeats(part: pl.Series) -> pl.Series:
    # one thread: for 64-bit integers as fast as several, and half the CPU on a busy machine
    part = part.sort(multithreaded=False)
    return part.filter((part == part.shift(1)).fill_null(False)).unique().rename("h")


def row_count(files: Sequence[Path]) -> int:
    """The rows of Parquet files (:func:`parquet_files`), from their metadata."""
    every = pl.scan_parquet(list(files), missing_columns="insert", extra_columns="ignore")
    return int(every.select(pl.len()).collect().item())


def id_columns(files: Sequence[Path]) -> pl.LazyFrame:
    """The id and procedure code of every row of Parquet files, as the typed scan reads them (text;
    an empty string or an absent column is missing): only those two columns are read."""
    frames = []
    for file in files:
        have = pl.read_parquet_schema(file)
        frames.append(pl.scan_parquet(file).select(
            (pl.col(c).cast(pl.String, strict=False) if c in have else pl.lit(None, dtype=pl.String)).alias(c)
            for c in ID_PASS_COLUMNS))
    text = pl.concat(frames) if len(frames) > 1 else frames[0]
    return text.select(empty_as_null(pl.col(c)).alias(c) for c in ID_PASS_COLUMNS)


def id_hash_pass(path: str | os.PathLike[str]) -> tuple[pl.Series, int]:
    """The repeated hashes of the dossiers' ids, and the rows with an empty id or procedure code
    (see :data:`ID_PASS_COLUMNS`)."""
    files = parquet_files(path)
    return repeated_hashes(id_hashes(id_columns(files), ID_PASS_COLUMNS[0], also=ID_PASS_COLUMNS[1:]), row_count(files))


def start(records: str | os.PathLike[str]) -> Background[tuple[pl.Series, int]] | None:
    """The id-hash pass of a Parquet export, started in a thread (None for other exports)."""
    return Background(id_hash_pass, records) if is_parquet(records) else None
