"""Large exports checked in the pass that counts (kiểm tra dữ liệu lớn trong cùng một lượt đọc).

The command line's Parquet path (a file, or a folder hive-partitioned or not): every row check
and the rejects accounting run in the same streaming pass as the per-unit counts of
:func:`analysis.io.indicators.dossier_facts`, and the duplicate check in a pass over the id
column beside it:

* one group-by over (unit, failed any check, counted) gives both the counts (of the good rows
  received in the period) and the rows in and rejected (``rows in = rows used + rows rejected``);
  the unit check is made on that grouped table, a unit code being a group key already;
* which check a rejected row failed first (``_problem``, a small integer; the reason's words come
  afterwards) is read back, with the rejected rows, only when there are any;
* duplicate ids are found from a 64-bit hash of each row's id, kept as integers (8 bytes a row,
  never the id's text), made by a second pass that reads the id column alone
  (:mod:`analysis.io.id_pass`); the hashes are sorted (one slice of the hash range at a time when
  they are many) and only a repeated hash is looked at again: the good rows carrying it are read back with their ids, and only ids that are
  really equal are duplicates (a collision of two different ids is not, nor a copy in a rejected
  row).  That pass also finds empty ids and procedure codes (the counting pass then reads
  neither column; it is made again with those checks only when there are some).  When there are
  duplicates, the later copies are rejected and the counts made again without them (a second
  pass, for that case only);
* a large number of rejected rows go to Parquet, straight from the scan (see
  :mod:`analysis.io.rejects`).

A rejected row is named by its Parquet file and its row in that file (counting from 1).  Reasons
never quote a cell: the rejects file shows the row's contract cells in their own columns.

Also here: the typed scan of a Parquet file or hive-partitioned folder (:func:`scan_dossiers`,
:func:`scan_petitions`: contract columns typed, other columns — personal data among them — never
read), and ``validate``'s check of a records file (:func:`describe_file`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analysis.errors import InputError, Problem, fail, quote_cell
from analysis.io.dates import parse_when
from analysis.io.id_pass import (
    HASH_SEED,
    ID_PASS_COLUMNS,
    PARQUET_SUFFIXES,
    Background,
    empty_as_null,
    id_hash_pass,
    id_hashes,
    parquet_files,
    repeated_hashes,
)
from analysis.io.indicators import DOSSIER_COLUMNS, Window, dossier_counts, dossier_facts, dossier_flags
from analysis.io.load import ROW, parse_bool, parse_number
from analysis.io.record_vocabulary import (
    CATEGORIES,
    CHANNELS,
    DOSSIER_EXTRA,
    DOSSIER_SCHEMA,
    PETITION_SCHEMA,
    RATINGS,
    REQUIRED,
    STATUSES,
    TABLE_VI,
    TERMINAL,
)
from analysis.io.records import (
    LoadSummary,
    before_day,
    detect_table,
    parquet_table,
    read_dossiers,
    read_petitions,
    read_procedures,
)
from analysis.report.formatting import integer

PROBLEM, FILE, INDEX = "_problem", "_file", "_idx"
ID_COLUMN = {"dossiers": "dossier_id", "petitions": "petition_id"}


@dataclass(frozen=True)
class Check:
    """One row check: the rows it catches, the column it names and why (never a cell's value)."""

    mask: pl.Expr
    column: str
    reason: str


def _code(values: Sequence[str]) -> str:
    return ", ".join(values)


def one_of(column: str, codes: Sequence[str]) -> pl.Expr:
    """The value is one of ``codes`` (null for a null value)."""
    return pl.any_horizontal([pl.col(column) == code for code in codes])


def unknown_code(column: str, codes: Sequence[str]) -> pl.Expr:
    """A value that is none of ``codes`` (a chain of equalities: for a few short codes cheaper
    than a hashed ``is_in`` over every row)."""
    return pl.col(column).is_not_null() & ~one_of(column, codes)


def row_checks(table: str, units: pl.DataFrame | None = None) -> list[Check]:
    """The checks of a scanned table, in the order a row's first problem is named."""
    if table == "petitions":
        checks = [
            Check(pl.col("petition_id").is_null(), "petition_id", "empty cell"),
            Check(pl.col("unit_code").is_null(), "unit_code", "empty cell"),
            Check(pl.col("received_at").is_null(), "received_at", "empty or not a date"),
            Check(unknown_code("category", CATEGORIES), "category",
                  f"unknown category (Parquet uses the codes {_code(CATEGORIES)})"),
            Check(before_day("due_at", "received_at"), "due_at", "due date before receipt"),
            Check(before_day("resolved_at", "received_at"), "resolved_at", "resolution date before receipt"),
        ]
    else:
        checks = [
            Check(pl.col("dossier_id").is_null(), "dossier_id", "empty cell"),
            Check(pl.col("unit_code").is_null(), "unit_code", "empty cell"),
            Check(pl.col("procedure_code").is_null(), "procedure_code", "empty cell"),
            Check(pl.col("received_at").is_null(), "received_at", "empty or not a date"),
            Check(unknown_code("status", STATUSES), "status",
                  f"unknown status (Parquet uses the codes {_code(STATUSES)})"),
            Check(unknown_code("channel", CHANNELS), "channel",
                  f"unknown channel (Parquet uses the codes {_code(CHANNELS)})"),
            Check(unknown_code("rating", RATINGS), "rating",
                  f"unknown rating (Parquet uses the codes {_code(RATINGS)}; empty = not rated)"),
            Check(before_day("due_at", "received_at"), "due_at", "due date before receipt"),
            Check(before_day("finished_at", "received_at"), "finished_at", "finish date before receipt"),
            Check(one_of("status", TERMINAL) & pl.col("finished_at").is_null(), "finished_at",
                  "the status ends the dossier but there is no finish date"),
            Check(pl.col("supplement_requests").fill_null(0) < 0, "supplement_requests", "negative count"),
        ]
    if units is not None:
        known = units["unit_code"].drop_nulls().unique().implode()
        checks.append(Check(pl.col("unit_code").is_not_null() & ~pl.col("unit_code").is_in(known), "unit_code",
                            "unit code not in the units table"))
    return checks


UNREADABLE = (pl.exceptions.PolarsError, OSError)
"""What reading a Parquet file can raise when the file is not what it should be (not Parquet, a
column polars cannot read as the contract's type, such as a list of ids): said as the file's problem."""


def problem_code(checks: Sequence[Check]) -> pl.Expr:
    """The index of the first check a row fails (UInt8), null for a good row."""
    expr = pl.lit(None, dtype=pl.UInt8)
    for i, check in reversed(list(enumerate(checks))):
        expr = pl.when(check.mask.fill_null(False)).then(pl.lit(i, dtype=pl.UInt8)).otherwise(expr)
    return expr.alias(PROBLEM)




def _typed_scan(lf: pl.LazyFrame, schema: Mapping[str, pl.DataType]) -> pl.LazyFrame:
    """Contract columns typed (strings parsed, missing ones null); other columns kept as they are.

    Parquet is machine-written: coded columns (status, channel, rating, category) are expected in
    the contract's codes (``finished``, ``online``…) and are not re-spelled here (that would cost a
    text normalisation of every row); :mod:`analysis.io.scan` rejects other values by row.  An empty
    string is missing (null) in every column, as an empty cell of a CSV export is.
    """
    present = lf.collect_schema()
    exprs: list[pl.Expr] = []
    for column, dtype in schema.items():
        have = present.get(column)
        if have is None:
            exprs.append(pl.lit(None, dtype=dtype).alias(column))
        elif have == dtype == pl.String:
            # an empty string is a missing value (as an empty CSV cell is), not an unknown code
            exprs.append(empty_as_null(pl.col(column)).alias(column))
        elif have == dtype:
            continue
        elif have == pl.String and dtype == pl.Boolean:
            exprs.append(parse_bool(column, empty_is_false=False))
        elif have == pl.String and isinstance(dtype, pl.Datetime):
            exprs.append(parse_when(column))
        elif isinstance(have, pl.Date) and isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(column).cast(dtype))
        elif have.is_integer() and isinstance(dtype, pl.Datetime):
            exprs.append(epoch_datetime(column).cast(dtype))
        else:
            exprs.append(pl.col(column).cast(dtype, strict=False))
    return lf.with_columns(exprs) if exprs else lf


def epoch_datetime(column: str) -> pl.Expr:
    """Whole numbers as instants since 1970: seconds, milliseconds or microseconds by their size
    (1788220800 is 1 September 2026 in seconds, not a moment of 1 January 1970)."""
    value = pl.col(column).cast(pl.Int64)
    micros = (
        pl.when(value.abs() < 100_000_000_000).then(value * 1_000_000)
        .when(value.abs() < 100_000_000_000_000).then(value * 1_000)
        .otherwise(value)
    )
    return micros.cast(pl.Datetime("us")).alias(column)


SCAN_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "dossiers": {**DOSSIER_SCHEMA, **DOSSIER_EXTRA},
    "petitions": PETITION_SCHEMA,
}


def _scan_table(path: str | os.PathLike[str], table: str) -> pl.LazyFrame:
    target = Path(path)
    source = os.fspath(path)
    if not target.is_file():
        parquet_files(target)  # nothing there, or a folder without Parquet files: refused by name
        lf = pl.scan_parquet(target, hive_partitioning=True, missing_columns="insert", extra_columns="ignore")
    elif target.suffix.lower() in PARQUET_SUFFIXES:
        lf = pl.scan_parquet(target)
    else:
        raise fail(source, f"a Parquet file or folder was expected; use read_{table} for CSV/XLSX")
    try:
        schema = lf.collect_schema()
    except Exception as exc:
        raise fail(source, f"not a readable Parquet dataset: {str(exc).splitlines()[0]}") from None
    missing = [c for c in REQUIRED[table] if c not in schema]
    if missing:
        raise InputError([Problem(source, f"missing column for {table}", None, c) for c in missing])
    hive = [c for c in _hive_columns(target) if c in schema]
    wanted = SCAN_SCHEMAS[table]
    keep = [c for c in schema if c in wanted or c in hive]
    return _typed_scan(lf.select(keep), wanted)


def scan_dossiers(path: str | os.PathLike[str]) -> pl.LazyFrame:
    """Dossiers from a Parquet file or a hive-partitioned folder (``year=2026/month=8/…``), lazily.

    The contract columns come typed; hive partition columns (``year``, ``month``, ``province``…)
    stay as columns, so a filter on them skips whole folders and a column choice reads only those
    columns.  Partitions ``year``/``month`` are taken to be the month of receipt
    (:func:`analysis.io.indicators.dossier_facts` prunes on them).  Columns that are neither
    contract nor partition columns — personal data among them — are never read.
    """
    lf = _scan_table(path, "dossiers")
    return lf.with_columns(pl.col("supplement_requests").fill_null(0), pl.col("supplement_pending").fill_null(False))


def scan_petitions(path: str | os.PathLike[str]) -> pl.LazyFrame:
    """Petitions (PAKN) from a Parquet file or a hive-partitioned folder, lazily (as :func:`scan_dossiers`)."""
    return _scan_table(path, "petitions")


def first_line(exc: BaseException) -> str:
    """The first line of an error, which for Parquet names the file and what is wrong with it."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _hive_columns(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    names: list[str] = []
    for part in next((p for p in folder.rglob("*.parquet")), folder).relative_to(folder).parts[:-1]:
        if "=" in part:
            names.append(part.split("=", 1)[0])
    return names

def positioned_scan(path: str | os.PathLike[str], table: str = "dossiers",
                    origins: Mapping[Path, str] | None = None) -> pl.LazyFrame:
    """The typed scan plus each row's Parquet file (``_file``) and row in that file (``_idx``, from 1).

    Only contract columns are read (personal data never is); files missing a column get it empty.
    ``origins``: files written from exports (see :mod:`analysis.io.exports`), named by the export they
    come from, each row by its ``_idx`` column (its row in that export).
    """
    frames = []
    schema = SCAN_SCHEMAS[table]
    for file in parquet_files(path):
        if origins is not None and file in origins:
            frames.append(_typed_scan(pl.scan_parquet(file), schema).with_columns(
                pl.col(INDEX).cast(pl.UInt32), pl.lit(origins[file]).alias(FILE)))
            continue
        one = pl.scan_parquet(file)
        try:
            have = one.collect_schema()
        except UNREADABLE as exc:
            raise fail(str(file), f"not a readable Parquet file: {first_line(exc)}") from None
        missing = [c for c in REQUIRED[table] if c not in have]
        if missing:
            raise fail(str(file), f"missing column for {table}", column=missing[0])
        keep = [c for c in have if c in schema]
        refuse_text_in_numbers(one, have, schema, str(file))
        frames.append(_typed_scan(one.select(keep), schema).with_row_index(INDEX, offset=1)
                      .with_columns(pl.lit(str(file)).alias(FILE)))
    lf = pl.concat(frames, how="diagonal_relaxed")
    if table == "dossiers":
        lf = lf.with_columns(pl.col("supplement_requests").fill_null(0), pl.col("supplement_pending").fill_null(False))
    return lf


def refuse_text_in_numbers(scan: pl.LazyFrame, have: pl.Schema, schema: dict[str, pl.DataType], source: str) -> None:
    """A number column written as text in Parquet must hold numbers: other text would become 0 or
    nothing, so the file is refused naming its first bad cells (never their text: it may be personal)."""
    columns = [c for c, dtype in schema.items() if c in have and have[c] == pl.String and dtype.is_numeric()]
    problems = []
    for column in columns:
        bad = (
            scan.with_row_index("_idx", offset=1).select("_idx", column)
            .filter(pl.col(column).is_not_null() & parse_number(column, "column").is_null())
            .head(20).collect()
        )
        problems += [Problem(source, f"{quote_cell(value)} is not a number", row, column) for row, value in bad.iter_rows()]
    if problems:
        raise InputError(problems)


@dataclass
class ScanOutcome:
    """What the checks found: rows per problem, the later copies of duplicate ids, and the summary."""

    summary: LoadSummary
    tally: pl.DataFrame
    """(column, reason, rows): rows rejected per reason, duplicates included."""
    duplicates: pl.DataFrame
    """The later copies of duplicate ids: file, _row, column, reason and the row's cells."""
    rows: pl.LazyFrame
    """The typed rows with ``_problem`` (null for a good row), ``_file`` and ``_idx``."""
    checks: list[Check] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.summary.rows_rejected

    def good(self) -> pl.LazyFrame:
        """The rows used: no problem, and not a later copy of a duplicate id."""
        good = self.rows.filter(pl.col(PROBLEM).is_null())
        if self.duplicates.height:
            later = self.duplicates.select(pl.col("file").alias(FILE), pl.col(ROW).cast(pl.UInt32).alias(INDEX))
            good = good.join(later.lazy(), on=[FILE, INDEX], how="anti")
        return good

    def rejected_rows(self) -> pl.LazyFrame:
        """The rejected rows of the checks (not the duplicates) as rejects rows, lazily."""
        codes = list(range(len(self.checks)))
        columns = [c.column for c in self.checks]
        reasons = [c.reason for c in self.checks]
        cells = [c for c in self.rows.collect_schema() if c not in (PROBLEM, FILE, INDEX)]
        return self.rows.filter(pl.col(PROBLEM).is_not_null()).select(
            pl.col(FILE).alias("file"), pl.col(INDEX).cast(pl.Int64).alias(ROW),
            pl.col(PROBLEM).replace_strict(codes, columns, return_dtype=pl.String).alias("column"),
            pl.col(PROBLEM).replace_strict(codes, reasons, return_dtype=pl.String).alias("reason"),
            *[pl.col(c).cast(pl.String) for c in cells],
        )


def confirm_duplicates(rows: pl.LazyFrame, key: str, hashes: pl.Series) -> pl.DataFrame:
    """The later copies of ids that really repeat, among good rows whose id hash repeats."""
    schema = {"file": pl.String, ROW: pl.Int64, "column": pl.String, "reason": pl.String}
    if hashes.len() == 0:
        return pl.DataFrame(schema=schema)
    candidates = (
        rows.filter(pl.col(PROBLEM).is_null() & pl.col(key).hash(HASH_SEED).is_in(hashes.implode()))
        .collect(engine="streaming")
        .sort(FILE, INDEX)
    )
    first = pl.int_range(pl.len()).over(key)
    later = candidates.with_columns(
        pl.col(FILE).first().over(key).alias("_first_file"), pl.col(INDEX).first().over(key).alias("_first_idx"),
    ).filter(first > 0)
    cells = [c for c in candidates.columns if c not in (PROBLEM, FILE, INDEX)]
    return later.select(
        pl.col(FILE).alias("file"), pl.col(INDEX).cast(pl.Int64).alias(ROW), pl.lit(key).alias("column"),
        pl.format("duplicate id (first in {} row {})", "_first_file", "_first_idx").alias("reason"),
        *[pl.col(c).cast(pl.String) for c in cells],
    )


def tally_frame(by_code: pl.DataFrame, checks: Sequence[Check], duplicates: pl.DataFrame) -> pl.DataFrame:
    """Rows rejected per (column, reason): the checks' codes in words, the duplicates as one reason."""
    rows = [(checks[code].column, checks[code].reason, n)
            for code, n in by_code.filter(pl.col(PROBLEM).is_not_null()).iter_rows()]
    if duplicates.height:
        rows.append((duplicates["column"][0], "duplicate id (later copies)", duplicates.height))
    return pl.DataFrame(rows, schema={"column": pl.String, "reason": pl.String, "rows": pl.Int64},
                        orient="row").sort("rows", "column", descending=[True, False])


def outcome(source: str, table: str, rows: pl.LazyFrame, checks: list[Check], repeated: pl.Series, *,
            rows_in: int, rejected_rows: int, by_code: pl.DataFrame | None = None) -> ScanOutcome:
    """Everything after the passes: the duplicate check, the tally and the summary.

    ``repeated``: the id hashes seen more than once (:func:`repeated_hashes`).

    ``by_code``: rows per problem code when the pass made them; otherwise (the pass only told good
    from bad rows) the rejected rows are tallied by a pass over them — made only when there are any.
    """
    duplicates = confirm_duplicates(rows, ID_COLUMN[table], repeated)
    if by_code is None:
        by_code = (rows.filter(pl.col(PROBLEM).is_not_null()).group_by(PROBLEM).agg(pl.len().cast(pl.Int64).alias("rows"))
                   .collect(engine="streaming") if rejected_rows else
                   pl.DataFrame(schema={PROBLEM: pl.UInt8, "rows": pl.Int64}))
    notes = ["Parquet: chỉ đọc các cột của bảng chuẩn (cột khác, kể cả dữ liệu cá nhân, không được đọc)"]
    if duplicates.height:
        notes.append(f"{duplicates.height} dòng trùng mã (bản sau bị loại)")
    rejected = rejected_rows + duplicates.height
    summary = LoadSummary(source=source, table=table, rows_in=rows_in, rows_used=rows_in - rejected,
                          rows_rejected=rejected, personal_columns=[], notes=notes)
    return ScanOutcome(summary=summary, tally=tally_frame(by_code, checks, duplicates), duplicates=duplicates,
                       rows=rows, checks=checks)


def any_problem(checks: Sequence[Check]) -> pl.Expr:
    """Whether a row fails any check (cheaper than naming the first one: see :func:`problem_code`)."""
    return pl.any_horizontal([c.mask.fill_null(False) for c in checks]).alias("_bad")


def checked_rows(path: str | os.PathLike[str], table: str, units: pl.DataFrame | None) -> tuple[pl.LazyFrame, list[Check]]:
    checks = row_checks(table, units)
    return positioned_scan(path, table).with_columns(problem_code(checks)), checks


def run_pass(queries: list[pl.LazyFrame], source: str) -> list[pl.DataFrame]:
    try:
        return pl.collect_all(queries, engine="streaming")
    except UNREADABLE as exc:
        raise fail(source, f"not a readable Parquet dataset: {first_line(exc)}") from None


def check_table(path: str | os.PathLike[str], table: str = "petitions", units: pl.DataFrame | None = None
                ) -> ScanOutcome:
    """Dossiers or petitions from Parquet: the checks in one pass (for petitions the facts read the
    good rows afterwards; ``validate`` uses it for a Parquet export of any size)."""
    source = os.fspath(path)
    rows, checks = checked_rows(path, table, units)
    query = rows.group_by(PROBLEM).agg(pl.len().cast(pl.Int64).alias("rows"))
    (by_code,) = run_pass([query], source)
    try:
        repeated, _ = repeated_hashes(id_hashes(rows, ID_COLUMN[table]), int(by_code["rows"].sum()))
    except UNREADABLE as exc:
        raise fail(source, f"not a readable Parquet dataset: {first_line(exc)}") from None
    return outcome(source, table, rows, checks, repeated, rows_in=int(by_code["rows"].sum()),
                   rejected_rows=int(by_code.filter(pl.col(PROBLEM).is_not_null())["rows"].sum()),
                   by_code=by_code)


def checked_facts(
    path: str | os.PathLike[str], period, *, units: pl.DataFrame, procedures=None, petitions=None,
    origins: Mapping[Path, str] | None = None, hashing: Background[tuple[pl.Series, int]] | None = None,
) -> tuple[pl.DataFrame, ScanOutcome]:
    """Facts from a Parquet dossiers dataset, with every row check in the pass that counts.

    Returns the facts of :func:`analysis.io.indicators.dossier_facts` over the rows used and the
    checks' outcome (rejected rows per reason, duplicates, summary).  The pass groups every row by
    (unit, failed a check, counted): the counts are those of the good rows received in the period,
    the rows in and rejected the rejects accounting.  The unit check is made on that grouped
    table (a unit code is a group key already), not row by row.  The empty-cell checks of the id
    and the procedure code are made by the id-hash pass (see :data:`ID_PASS_COLUMNS`), in a thread
    beside the counting pass; ``hashing``: that pass, started earlier (``Background(id_hash_pass, path)``).
    """
    source = os.fspath(path)
    checks = row_checks("dossiers", units)
    scanned = positioned_scan(path, "dossiers", origins)
    rows = scanned.with_columns(problem_code(checks))
    given = {"units": units, "procedures": procedures, "petitions": petitions}
    # no supplement columns in any file: no clock stop to compute
    pause = any(DOSSIER_EXTRA.keys() & pl.read_parquet_schema(f).keys() for f in parquet_files(path))
    in_pass = [c for c in checks[:-1] if c.column not in ID_PASS_COLUMNS]  # the unit check (last): on the groups
    # the id hashes in a thread beside the counting pass (both run outside Python)
    started = hashing is None
    hashing = hashing or Background(id_hash_pass, path)
    try:
        facts, found = _counting_pass(scanned, rows, in_pass, period, pause, given)
        repeated, missing = hashing.result()
        if missing:  # an empty id or procedure code: counted again with every check
            facts, found = _counting_pass(scanned, rows, checks[:-1], period, pause, given)
    except UNREADABLE as exc:
        raise fail(source, f"not a readable Parquet dataset: {first_line(exc)}") from None
    finally:  # a pass started here never outlives the call (its files may go once it returns)
        if started:
            hashing.join()
    result = outcome(source, "dossiers", rows, checks, repeated, rows_in=found["rows_in"], rejected_rows=found["bad"])
    if result.duplicates.height:  # the counts again, without the later copies (only then)
        facts = dossier_facts(result.good().select(list(DOSSIER_COLUMNS)), period, **given)
    return facts, result


def _counting_pass(scanned: pl.LazyFrame, rows: pl.LazyFrame, checks: list[Check], period, pause: bool,
                   given: dict) -> tuple[pl.DataFrame, dict[str, int]]:
    """The facts of the rows passing ``checks`` and the unit check, and the rows in and rejected."""
    window = Window.of(period)
    in_period = (pl.col("received_at") >= window.start) & (pl.col("received_at") < window.stop)
    pass_rows = scanned.with_columns(any_problem(checks)).with_columns(
        (~pl.col("_bad") & in_period).fill_null(False).alias("_use"))
    main = dossier_counts(dossier_flags(pass_rows, window, limits=False, pause=pause), by=("unit_code", "_bad", "_use"))
    known = given["units"]["unit_code"].drop_nulls().unique().implode()
    found: dict[str, int] = {}

    def per_unit(counted: pl.DataFrame) -> pl.DataFrame:
        stray = ~pl.col("_bad") & pl.col("unit_code").is_not_null() & ~pl.col("unit_code").is_in(known)
        found["rows_in"] = int(counted["received"].sum())
        found["bad"] = int(counted.filter(pl.col("_bad") | stray)["received"].sum())
        sums = [c for c in counted.columns if c not in ("unit_code", "_bad", "_use")]
        return (counted.filter(~pl.col("_bad") & pl.col("_use") & ~stray)
                .group_by("unit_code").agg(pl.col(c).sum() for c in sums))

    facts = dossier_facts(rows.filter(pl.col(PROBLEM).is_null()), period, **given, counted=(main, per_unit))
    return facts, found


# --------------------------------------------------------------------------------------------
# validate


def describe_file(path: str | os.PathLike[str]) -> str:
    """Check a records file for ``validate``: raise every problem, or return a one-line summary."""
    source = os.fspath(path)
    if Path(source).suffix.lower() in PARQUET_SUFFIXES:
        found = parquet_table(source)
        if found in ("dossiers", "petitions"):  # streamed: any size
            checked = check_table(source, found)
            if checked.summary.rows_rejected:
                head = [*checked.duplicates.head(200).select("file", ROW, "column", "reason").iter_rows()]
                if checked.summary.rows_rejected > checked.duplicates.height:
                    head += [*checked.rejected_rows().head(200).select("file", ROW, "column", "reason").collect().iter_rows()]
                raise InputError([Problem(f, r, row, c) for f, row, c, r in head], limit=200)
            return (f"{source}: {TABLE_VI[found]} ({found}), {integer(checked.summary.rows_used)} dòng, không có lỗi "
                    "(Parquet: chỉ đọc các cột của bảng chuẩn)")
    table = detect_table(path)
    if table is None:
        raise fail(source, "not a table this suite knows (facts, dossiers, procedures, petitions)", row=1)
    reader = {"dossiers": read_dossiers, "procedures": read_procedures, "petitions": read_petitions}[table]
    loaded = reader(path)
    if loaded.rejects.height:
        raise InputError(loaded.problems(), limit=200)
    s = loaded.summary
    personal = f"; {len(s.personal_columns)} cột dữ liệu cá nhân bỏ khi đọc" if s.personal_columns else ""
    return f"{source}: {TABLE_VI[table]} ({table}), {integer(s.rows_used)} dòng, không có lỗi{personal}"
