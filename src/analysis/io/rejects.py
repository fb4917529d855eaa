"""Rejected rows that help (dòng bị loại): a tally by reason and column, a loud word when one
reason takes many rows, and large rejects written to Parquet.

* **Tally.** Rows rejected per (table, column, reason).  A reason that quotes a cell (``unknown
  status 'xyz'``) is counted with the quote blanked (``'…'``), so the tally never repeats a cell
  and rows with different bad values count as one reason.
* **Format mismatch.** When more than :data:`MISMATCH_SHARE` of a file's rows fail for the same
  reason, that is almost always an export in another format (other codes, another date style,
  another delimiter), not bad data: the run says so first, before anything else.
* **Large rejects.** More than :data:`LARGE_REJECTS` rejected rows go to a Parquet file (streamed
  from the scan, never held whole), with the tally beside it as ``<name>.summary.csv``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analysis.io.load import ROW, publish, write_table
from analysis.report.formatting import integer, percent

MISMATCH_SHARE = 0.05
MISMATCH_MIN_ROWS = 10
"""A reason is called a likely format mismatch from this many rows on (a share of a tiny file is no sign)."""
LARGE_REJECTS = 100_000
QUOTED = r"'[^']*'"
TALLY_SCHEMA = {"table": pl.String, "column": pl.String, "reason": pl.String, "rows": pl.Int64}


def reason_words(reason: pl.Expr) -> pl.Expr:
    """A reason without the cells it quotes (``unknown status 'x'`` → ``unknown status '…'``)."""
    return reason.str.replace_all(QUOTED, "'…'")


def tally(rejects: pl.DataFrame, table: str) -> pl.DataFrame:
    """Rejected rows per (column, reason) of an in-memory rejects frame (one row per rejected row;
    a row with several problems counts under each of its first problem's column and reason)."""
    if rejects.height == 0:
        return pl.DataFrame(schema=TALLY_SCHEMA)
    first = rejects.select(
        pl.col("column").cast(pl.String).str.split("; ").list.first().fill_null("(dòng)").alias("column"),
        reason_words(pl.col("reason").cast(pl.String).str.split("; ").list.first()).alias("reason"),
    )
    return (first.group_by("column", "reason").agg(pl.len().cast(pl.Int64).alias("rows"))
            .select(pl.lit(table).alias("table"), "column", "reason", "rows")
            .sort("rows", "column", "reason", descending=[True, False, False]))


def mismatch_warnings(counted: pl.DataFrame, rows_in: int, source: str, language: str = "vi") -> list[str]:
    """Loud lines for each reason that rejected more than 5 % of a file's rows."""
    lines = []
    if rows_in <= 0:
        return lines
    for column, reason, rows in counted.select("column", "reason", "rows").iter_rows():
        share = rows / rows_in
        if share <= MISMATCH_SHARE or rows < MISMATCH_MIN_ROWS:
            continue
        if language == "vi":
            lines.append(
                f"CHÚ Ý — CÓ THỂ TỆP KHÁC ĐỊNH DẠNG: {integer(rows)} / {integer(rows_in)} dòng "
                f"({percent(share, 1)}) của {source} bị loại vì cùng một lý do: cột '{column}': {reason}. "
                "Khi hơn 5 % số dòng hỏng vì một lý do, thường là tệp được xuất theo định dạng khác (mã, cách "
                "viết ngày, dấu phân cách), không phải số liệu sai: hãy kiểm tra cách xuất tệp trước khi dùng kết quả."
            )
        else:
            lines.append(
                f"WARNING — LIKELY A FORMAT MISMATCH: {rows:,} of {rows_in:,} rows ({share:.1%}) of {source} "
                f"were rejected for the same reason: column '{column}': {reason}. When more than 5 % of the rows "
                "fail for one reason the export is almost always in another format (codes, date style, "
                "delimiter), not bad data: check how the file was exported before using the results."
            )
    return lines


def tally_lines(counted: pl.DataFrame, summary_file: Path | None, shown: int = 10) -> list[str]:
    """The run's closing lines on rejects: rows per reason and column, most first."""
    lines = [f"  {integer(rows)} dòng ({table}), cột '{column}': {reason}"
             for table, column, reason, rows in counted.head(shown).iter_rows()]
    if counted.height > shown:
        lines.append(f"  … và {integer(counted.height - shown)} lý do khác")
    if summary_file is not None:
        lines.append(f"  tóm tắt theo lý do và cột → {summary_file}")
    return lines


def summary_path(path: Path) -> Path:
    """``facts.rejects.parquet`` → ``facts.rejects.summary.csv``."""
    return path.with_name(f"{path.stem}.summary.csv")


def write(
    frames: Sequence[pl.DataFrame], lazy: Sequence[pl.LazyFrame], path: Path, counted: pl.DataFrame, total: int,
) -> tuple[Path, Path | None]:
    """Write the rejects: in-memory ``frames`` and ``lazy`` parts (streamed from a scan).

    Up to :data:`LARGE_REJECTS` rows: one file at ``path`` (CSV, Parquet or XLSX, as asked).
    More: a Parquet file (``path`` with the suffix ``.parquet``), the lazy parts streamed through
    a temporary file, never held whole, and the tally beside it (``….summary.csv``).  Returns the
    rejects file and the summary file (None when there is none).
    """
    if total <= LARGE_REJECTS:
        parts = [*frames, *(part.collect(engine="streaming") for part in lazy)]
        rejects = _ordered(pl.concat(parts, how="diagonal_relaxed")) if parts else pl.DataFrame(
            schema={"table": pl.String, "file": pl.String, ROW: pl.Int64, "column": pl.String, "reason": pl.String})
        return write_table(rejects, path), None
    target = path.with_suffix(".parquet")
    with tempfile.TemporaryDirectory(prefix=".rejects-", dir=target.parent) as tmp:
        streamed = []
        for i, part in enumerate(lazy):
            piece = Path(tmp) / f"part-{i}.parquet"
            part.sink_parquet(piece)
            streamed.append(pl.scan_parquet(piece))
        everything = pl.concat([*streamed, *(f.lazy() for f in frames)], how="diagonal_relaxed")
        names = everything.collect_schema().names()
        first = [c for c in ("table", "file", ROW, "column", "reason") if c in names]
        everything = everything.select(*first, *[c for c in names if c not in first])
        partial = Path(tmp) / "rejects.parquet"
        everything.sink_parquet(partial)
        publish(partial, target)
    summary = write_table(counted, summary_path(target))
    return target, summary


def _ordered(rejects: pl.DataFrame) -> pl.DataFrame:
    first = [c for c in ("table", "file", ROW, "column", "reason") if c in rejects.columns]
    return rejects.select(*first, *[c for c in rejects.columns if c not in first])
