"""One-stop-shop records (dữ liệu hệ thống một cửa): dossiers, procedures, petitions.

Reading a province's exports (data contract, section 3) into typed frames:

* headers are matched through Vietnamese aliases (``Mã hồ sơ`` → ``dossier_id``), compared without
  case or tone marks; a header row below title rows is found by its known headers;
* personal data columns (họ tên, CCCD/CMND, số điện thoại, địa chỉ, e-mail…) are dropped before
  anything else is kept, and only their headers are listed in the summary;
* every row is either used or rejected with its reason (``rows_in = rows_used + rows_rejected``);
  a "Tổng cộng" row is excluded and said so in the notes; problems that make the whole file
  unusable (no rows, a required column missing) raise :class:`InputError` (exit 2).

The columns, headers and value words are in :mod:`analysis.io.record_vocabulary`; the large-data
path (Parquet, streamed) is :mod:`analysis.io.scan`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analysis.contract import fold_expr
from analysis.errors import HIDDEN, InputError, Problem, fail
from analysis.io.dates import when_parsed
from analysis.io.id_pass import PARQUET_SUFFIXES
from analysis.io.load import (
    ROW,
    SHAPE,
    empty_as_null,
    fold_text,
    header_list,
    parse_bool,
    parse_number,
    quoted_cell,
    read_table_locating_header,
    shown_in_full,
    split_sheet,
)
from analysis.io.record_vocabulary import (
    CATEGORY_WORDS,
    CHANNEL_WORDS,
    DOSSIER_ALIASES,
    DOSSIER_EXTRA,
    DOSSIER_SCHEMA,
    ONLINE_LEVEL_WORDS,
    PENDING_WORDS,
    PETITION_ALIASES,
    PETITION_SCHEMA,
    PROCEDURE_ALIASES,
    PROCEDURE_SCHEMA,
    RATING_WORDS,
    REQUIRED,
    STATUS_WORDS,
    TABLE_VI,
    TERMINAL,
)
from analysis.report.formatting import integer, number

PERSONAL = re.compile(
    r"(ho (va )?ten|nguoi (nop|dung ten|dai dien|phan anh|kien nghi|gui|yeu cau|khieu nai|lien he|nhan)|"
    r"chu ho so|ten cong dan|ten nguoi|cong dan|"
    r"cccd|cmnd|can cuoc|so giay to|giay to tuy than|dinh danh ca nhan|so dinh danh|ho chieu|"
    r"dien thoai|(^|\W)sdt($|\W)|(^|\W)so dt($|\W)|dia chi|e-?mail|thu dien tu|ngay sinh|nam sinh|"
    r"full ?name|applicant|phone|address|citizen ?_?id|id ?_?number|passport|birth)"
)
TOTAL_RAW = r"(?i)^\s*(t[ổo]ng\s+(c[ộo]ng|s[ốo])(\s|:|$)|(t[ổo]ng|c[ộo]ng)\s*:?\s*$)"
"""A total row's label ("Tổng cộng", "Tổng số: 12", "Cộng"), on NFC text, with or without tone marks."""


def is_personal(header: str) -> bool:
    """A header naming personal data (họ tên, CCCD/CMND, số giấy tờ, SĐT, địa chỉ, e-mail…)."""
    return bool(PERSONAL.search(fold_text(header)))


# --------------------------------------------------------------------------------------------
# results


@dataclass
class LoadSummary:
    """What loading a table did: rows in, used and rejected, personal columns dropped, notes."""

    source: str
    table: str
    rows_in: int
    rows_used: int
    rows_rejected: int
    personal_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rows_in != self.rows_used + self.rows_rejected:  # pragma: no cover - a bug if it happens
            raise AssertionError(f"{self.source}: rows in {self.rows_in} != used {self.rows_used} + rejected {self.rows_rejected}")

    def render(self, language: str = "vi") -> str:
        """A few lines for a reader (Vietnamese by default)."""
        if language == "vi":
            lines = [
                f"{self.source} ({TABLE_VI.get(self.table, self.table)}): {integer(self.rows_in)} dòng đọc vào = "
                f"{integer(self.rows_used)} dòng sử dụng + {integer(self.rows_rejected)} dòng bị loại"
            ]
            lines.append(
                "  cột dữ liệu cá nhân đã bỏ khi đọc: " + (", ".join(self.personal_columns) or "không có")
            )
        else:
            lines = [
                f"{self.source} ({self.table}): {self.rows_in:,} rows in = {self.rows_used:,} used + "
                f"{self.rows_rejected:,} rejected"
            ]
            lines.append("  personal data columns dropped at load: " + (", ".join(self.personal_columns) or "none"))
        lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)


@dataclass
class Loaded:
    """A loaded table: the typed rows used, the rows rejected (with reasons) and the summary."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    summary: LoadSummary
    issues: pl.DataFrame | None = None
    """One row per problem (_row, column, reason); ``rejects`` joins a row's problems with '; '."""
    rows: pl.Series | None = None
    """The file row number of each row of ``frame`` (same order)."""

    def file_rows(self) -> pl.Series:
        """:attr:`rows`, which the readers of a file always give."""
        if self.rows is None:  # pragma: no cover - a bug if it happens
            raise ValueError(f"{self.summary.source}: the rows used carry no file row numbers")
        return self.rows

    def problems(self) -> list[Problem]:
        """Every problem of the rejected rows as a :class:`Problem` (file, row, column, reason)."""
        long = self.issues if self.issues is not None else self.rejects
        files = long["file"] if "file" in long.columns else pl.repeat(self.summary.source, long.height, eager=True)
        return [
            Problem(file, reason, row, column)
            for file, (row, column, reason) in zip(files, long.select(ROW, "column", "reason").iter_rows(), strict=True)
        ]


# --------------------------------------------------------------------------------------------
# reading


def _alias_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for target, names in aliases.items():
        lookup.setdefault(fold_text(target), target)
        for name in names:
            lookup.setdefault(fold_text(name), target)
    return lookup


def _known_headers(aliases: Mapping[str, Sequence[str]]) -> set[str]:
    return set(_alias_lookup(aliases))


def _by_value(frame: pl.DataFrame, items: Sequence[tuple[str, pl.Expr]]) -> pl.DataFrame:
    """Apply expressions of one column each to that column's distinct values only, then map every row.

    ``items``: (source column, expression reading only that column, named as its output).  Codes,
    statuses and yes/no cells have few distinct values, so this is much cheaper than running text
    normalisation on every row of a large export.  All sources are read before any output is set.
    """
    outputs = []
    for column, expr in items:
        mapped = frame.select(pl.col(column).unique()).select(pl.col(column).alias("_key"), expr.alias("_value"))
        outputs.append(_mapping(column, frame.schema[column], mapped).alias(expr.meta.output_name()))
    return frame.with_columns(outputs)


def _mapping(column: str, dtype: pl.DataType, mapped: pl.DataFrame) -> pl.Expr:
    """Every row's value from ``mapped`` (``_key`` → ``_value``, a null key included): a few
    values as a chain of equalities (five times cheaper than a hashed lookup), more as a lookup."""
    out = mapped["_value"].dtype
    if mapped.height > 16:
        return pl.col(column).replace_strict(mapped["_key"], mapped["_value"], default=None, return_dtype=out)
    chain: pl.Expr | None = None
    for key, value in mapped.iter_rows():
        test = pl.col(column).is_null() if key is None else pl.col(column) == pl.lit(key, dtype=dtype)
        then = pl.lit(value, dtype=out)
        chain = pl.when(test).then(then) if chain is None else chain.when(test).then(then)
    return pl.lit(None, dtype=out) if chain is None else chain.otherwise(pl.lit(None, dtype=out))


def _map_words(column: str, words: Mapping[str, str | None]) -> pl.Expr:
    keys = [k for k in words]
    return fold_expr(column).replace_strict(keys, [words[k] for k in keys], default=None, return_dtype=pl.String)


def _resolve_columns(
    raw: pl.DataFrame, aliases: Mapping[str, Sequence[str]], *, source: str
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """Drop personal columns, rename known ones, drop the rest; return frame, personal, notes.

    When two columns mean the same contract column the first one in the file is used and the
    other is named in the notes.
    """
    lookup = _alias_lookup(aliases)
    personal: list[str] = []
    notes: list[str] = []
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for column in raw.columns:
        if column in (ROW, SHAPE):
            continue
        target = lookup.get(fold_text(column))
        if target is None:
            if is_personal(column):
                personal.append(column)
            else:
                ignored.append(column)
            continue
        if target in chosen:
            notes.append(f"cột '{column}' cũng là '{target}': không dùng (dùng cột '{chosen[target]}')")
            continue
        chosen[target] = column
    # personal data is gone before anything else is kept
    shape = [SHAPE] if SHAPE in raw.columns else []
    frame = raw.select(ROW, *[pl.col(c).alias(t) for t, c in chosen.items()], *shape)
    if ignored:
        notes.append("cột không thuộc bảng chuẩn, không dùng: " + ", ".join(ignored))
    return frame, personal, notes


def _clean_cells(raw: pl.DataFrame, *, from_text: bool) -> tuple[pl.DataFrame, list[int]]:
    """Stray byte-order marks removed from cells (a text export's went with its decoding: see
    :func:`analysis.io.load.decode_text_guess`); rows repeating the header (files pasted one after
    another) removed and their row numbers returned."""
    columns = [c for c, t in raw.schema.items() if t == pl.String and c not in (ROW, SHAPE)]
    if not from_text and columns:
        marked = raw.select(pl.col(c).str.contains("\ufeff", literal=True).any() for c in columns).row(0)
        raw = raw.with_columns(  # cells are stripped already (strip_strings): only those with a mark change
            empty_as_null(pl.col(c).str.replace_all("\ufeff", "", literal=True).str.strip_chars()).alias(c)
            for c, has_mark in zip(columns, marked, strict=True) if has_mark
        )
    if len(columns) < 2:
        return raw, []
    same = [(pl.col(c) == pl.lit(c.replace("\ufeff", "").strip())).fill_null(False) for c in columns]
    if not raw.select(pl.any_horizontal(same).any()).item():  # no cell repeats its header: no header row
        return raw, []
    is_header = pl.sum_horizontal(s.cast(pl.Int32) for s in same) >= max(2, (len(columns) + 1) // 2)
    repeated = raw.filter(is_header)[ROW].to_list()
    return (raw.filter(~is_header) if repeated else raw), repeated


WHOLE_FILE_LIMITS = {"text": 256 * 2**20, "workbook": 64 * 2**20}
"""Largest CSV/text and XLSX (or Parquet, compressed) files read whole (a CSV takes about 3 to 10
times its size in memory); ``ANALYSIS_MAX_READ_MB`` sets both.  Larger CSV exports of dossiers are
read in parts by the ``facts`` command (:func:`analysis.io.exports.large_export_facts`); other
larger files are refused (exit 2) with their size."""
TEXT_FILES = (".csv", ".txt", ".tsv")


def file_kind(file: Path) -> str:
    """``workbook`` (XLSX, or Parquet: compressed) or ``text`` (CSV)."""
    return "text" if file.suffix.lower() in TEXT_FILES else "workbook"


def read_limit(file: Path) -> int:
    """Bytes of this kind of file read whole (see :data:`WHOLE_FILE_LIMITS`)."""
    override = os.environ.get("ANALYSIS_MAX_READ_MB")
    return int(float(override) * 2**20) if override else WHOLE_FILE_LIMITS[file_kind(file)]


def check_size(path: str | os.PathLike[str], total: int | None = None, sample: Path | None = None) -> None:
    """Refuse (exit 2, naming the size) a CSV/XLSX export — or a folder of them (``total``) —
    too large to read whole."""
    file = sample if sample is not None else split_sheet(path)[0]
    limit = read_limit(file)
    size = total if total is not None else (file.stat().st_size if file.is_file() else 0)
    if size > limit:
        what = "the folder's exports total" if total is not None else "the file is"
        if file.suffix.lower() in PARQUET_SUFFIXES:
            way = "give it to `facts --records`, which streams Parquet"
        elif file.suffix.lower() in TEXT_FILES and total is None and utf16(file):  # cut only in UTF-8 text
            way = "save it as UTF-8 (`facts --records` then reads it in parts) or convert it to Parquet"
        elif file.suffix.lower() in TEXT_FILES and total is None:
            way = "give it to `facts --records`, which reads it in parts, or convert it to Parquet"
        else:
            way = "convert it to Parquet (read as a stream)"
        raise fail(os.fspath(path), f"{what} {size_in_mib(size)}, more than the {size_in_mib(limit)} read whole into memory: "
                   f"{way}, or set ANALYSIS_MAX_READ_MB")


def utf16(file: Path) -> bool:
    """Text written in UTF-16 (its byte-order mark)."""
    with file.open("rb") as stream:
        return stream.read(2) in (b"\xff\xfe", b"\xfe\xff")


def header_row(path: str | os.PathLike[str], table: str = "dossiers") -> int:
    """The row of a CSV export's header (below any title rows), as the readers find it."""
    aliases = {"dossiers": DOSSIER_ALIASES, "procedures": PROCEDURE_ALIASES, "petitions": PETITION_ALIASES}[table]
    return read_table_locating_header(path, known=_known_headers(aliases))[1]


def size_in_mib(size: int) -> str:
    """``1,2 MiB``, ``2,0 GiB`` (a size in the Vietnamese number style)."""
    return f"{number(size / 2**30, 1)} GiB" if size >= 2**30 else f"{number(size / 2**20, 1)} MiB"


def _read(path: str | os.PathLike[str], table: str) -> tuple[pl.DataFrame, list[str], list[str], str]:
    aliases = {"dossiers": DOSSIER_ALIASES, "procedures": PROCEDURE_ALIASES, "petitions": PETITION_ALIASES}[table]
    source = os.fspath(path)
    check_size(path)
    raw, header_row = read_table_locating_header(path, known=_known_headers(aliases))
    raw, repeated = _clean_cells(raw, from_text=split_sheet(path)[0].suffix.lower() in TEXT_FILES)
    frame, personal, notes = _resolve_columns(raw, aliases, source=source)
    if repeated:
        notes.append(f"{len(repeated)} dòng lặp lại dòng tiêu đề (tệp ghép nối?), đã bỏ qua (dòng "
                     + ", ".join(str(r) for r in repeated) + ")")
    if header_row > 1:
        notes.insert(0, f"dòng tiêu đề ở dòng {header_row}: bỏ qua {header_row - 1} dòng phía trên")
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        present = header_list(c for c in raw.columns if c != ROW and c not in personal)
        raise InputError(
            [Problem(source, f"missing column for {table} ({present})", header_row, c) for c in missing]
        )
    # total rows ("Tổng cộng", "Tổng số") at the bottom of report exports: not records
    # the label sits in the first columns of a report (or in the id column); machine-written Parquet has none
    cells = [c for c in frame.columns if c not in (ROW, SHAPE)][:3]
    cells += [c for c in ("dossier_id", "petition_id", "procedure_code") if c in frame.columns and c not in cells]
    is_parquet = Path(os.fspath(path).split("#")[0]).suffix.lower() in PARQUET_SUFFIXES
    is_total = pl.lit(False) if is_parquet else pl.any_horizontal(
        [pl.col(c).str.contains(TOTAL_RAW).fill_null(False) for c in cells]
    )
    totals = frame.filter(is_total)
    if totals.height:
        rows = ", ".join(str(r) for r in totals[ROW].to_list())
        notes.append(f"{totals.height} dòng tổng cộng không phải hồ sơ, đã loại ra (dòng {rows})")
        frame = frame.filter(~is_total)
    if frame.height == 0:
        raise fail(source, "the file has no data rows", row=header_row + 1)
    return frame, personal, notes, source


class _Checks:
    """Collects row problems as a long frame (_row, column, reason)."""

    def __init__(self, typed: pl.DataFrame, raw: pl.DataFrame):
        cells = raw.rename({c: f"_raw_{c}" for c in raw.columns if c != ROW})
        if typed[ROW].equals(raw[ROW]):  # typed is made from raw, row for row: side by side
            self.typed = pl.concat([typed, cells.drop(ROW)], how="horizontal")
        else:
            self.typed = typed.join(cells, on=ROW, how="left")
        self.checks: list[tuple[pl.Expr, str | None, pl.Expr]] = []

    def add(self, mask: pl.Expr, column: str | None, reason: pl.Expr | str) -> None:
        """A check: the rows ``mask`` catches, the column named and why (made when :meth:`frame` is)."""
        self.checks.append((mask.fill_null(False), column, pl.lit(reason) if isinstance(reason, str) else reason))

    def _found(self) -> list[pl.DataFrame]:
        """Every check's failing rows: the masks in one pass over the rows, then the reason's words
        for the failing rows only (a mask may be a window expression over every row; a reason may
        not: see _duplicates)."""
        if not self.checks:
            return []
        masks = self.typed.select(mask.alias(f"_m{i}") for i, (mask, _, _) in enumerate(self.checks))
        caught = masks.select(pl.all().any()).row(0)
        return [self.typed.filter(masks.get_column(f"_m{i}")).select(
                    pl.col(ROW), pl.lit(column, dtype=pl.String).alias("column"), text.cast(pl.String).alias("reason"))
                for i, ((_, column, text), any_row) in enumerate(zip(self.checks, caught, strict=True)) if any_row]

    def bad_parse(self, column: str, what: str) -> None:
        if f"_raw_{column}" not in self.typed.columns:
            return
        raw = pl.col(f"_raw_{column}")
        self.add(raw.is_not_null() & pl.col(column).is_null(), column, pl.format(f"{{}} is not {what}", quoted_cell(raw)))

    def shape(self) -> None:
        """Rows with more or fewer cells than the header (CSV)."""
        if f"_raw_{SHAPE}" in self.typed.columns:
            self.add(pl.col(f"_raw_{SHAPE}").is_not_null(), None, pl.col(f"_raw_{SHAPE}"))

    def empty(self, column: str) -> None:
        self.add(pl.col(column).is_null() & pl.col(f"_raw_{column}").is_null(), column, "empty cell")

    def frame(self) -> pl.DataFrame:
        """Every problem; a row whose cells do not line up with the header reports only that, since
        its cells may sit under the wrong headers (a name under a code column)."""
        schema = {ROW: pl.Int64, "column": pl.String, "reason": pl.String}
        parts = self._found()
        found = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
        if f"_raw_{SHAPE}" in self.typed.columns:
            broken = self.typed.filter(pl.col(f"_raw_{SHAPE}").is_not_null())[ROW].implode()
            found = found.filter(~pl.col(ROW).is_in(broken) | pl.col("column").is_null())
        return found


def _finish(
    table: str, source: str, raw: pl.DataFrame, typed: pl.DataFrame, problems: pl.DataFrame,
    schema: Mapping[str, pl.DataType], personal: list[str], notes: list[str], present: set[str],
) -> Loaded:
    """Split rows into used and rejected; build the summary."""
    bad = (
        problems.group_by(ROW, maintain_order=True)
        .agg(pl.col("column").drop_nulls().unique(maintain_order=True).str.join("; "), pl.col("reason").str.join("; "))
        .sort(ROW)
    )
    # the file's own cells (contract columns only: personal and unknown columns never get here)
    originals = raw.select(ROW, *[pl.col(c).cast(pl.String) for c in raw.columns
                                  if c not in (ROW, SHAPE) and c in present])
    clash = {c: f"cell_{c}" for c in originals.columns if c in ("column", "reason")}
    if SHAPE in raw.columns:  # misaligned rows: their cells are not shown (see _Checks.frame)
        cells = [c for c in originals.columns if c != ROW]
        broken = raw.filter(pl.col(SHAPE).is_not_null())[ROW].implode()
        originals = originals.with_columns(
            pl.when(pl.col(ROW).is_in(broken)).then(None).otherwise(pl.col(c)).alias(c) for c in cells
        )
    # a cell that failed a check may be free text typed in the wrong place (a name and phone number
    # in the rating column): it is kept only when it is a short token, as messages quote it
    failed = problems.filter(pl.col("column").is_not_null()).group_by("column").agg(pl.col(ROW).unique())
    failed_rows = dict(failed.iter_rows())
    originals = originals.with_columns(
        pl.when(pl.col(ROW).is_in(failed_rows[c]) & ~shown_in_full(pl.col(c)))
        .then(pl.lit(HIDDEN)).otherwise(pl.col(c)).alias(c)
        for c in originals.columns if c in failed_rows
    )
    rejects = bad.join(originals.rename(clash), on=ROW, how="left")
    used = typed.filter(~pl.col(ROW).is_in(bad[ROW].implode()))
    frame = used.select(list(schema)).cast(pl.Schema(schema))
    summary = LoadSummary(
        source=source, table=table, rows_in=typed.height, rows_used=frame.height, rows_rejected=rejects.height,
        personal_columns=personal, notes=notes,
    )
    return Loaded(frame=frame, rejects=rejects, summary=summary, issues=problems.sort(ROW, maintain_order=True),
                  rows=used[ROW])


def _add_missing(frame: pl.DataFrame, columns: Sequence[str], notes: list[str]) -> tuple[pl.DataFrame, set[str]]:
    """Add absent optional columns as empty (null: "no data", never "no"); return the frame and what the file had."""
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        notes.append("không có cột (các chỉ số dựa trên cột này để trống): " + ", ".join(absent))
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in absent)
    return frame, {c for c in frame.columns if c not in absent}


def _duplicates(checks: _Checks, key: Sequence[str], column: str) -> None:
    # the first row of each id, over every row (a reason is made on the failing rows alone)
    first = f"_first_{column}"  # one column per key: a second duplicate check keeps the first's
    checks.typed = checks.typed.with_columns(pl.col(ROW).min().over(list(key)).alias(first))
    present = pl.all_horizontal([pl.col(k).is_not_null() for k in key])
    checks.add(present & (pl.col(ROW) != pl.col(first)), column,
               pl.format("duplicate {} (first at row {})", pl.concat_str([pl.col(k) for k in key], separator=" / "),
                         pl.col(first)))


def _unit_check(checks: _Checks, units: pl.DataFrame | None) -> None:
    if units is None:
        return
    known = units["unit_code"].drop_nulls().unique().implode()
    checks.add(pl.col("unit_code").is_not_null() & ~pl.col("unit_code").is_in(known), "unit_code",
               pl.format("unit code {} is not in the units table", quoted_cell(pl.col("unit_code"))))


def before_day(later: str, earlier: str) -> pl.Expr:
    """``later`` falls on a day before ``earlier`` (days compared: a date-only cell means that day)."""
    # on a day before ⟺ before the first instant of the earlier one's day (one truncation, no dates)
    return pl.col(later).is_not_null() & pl.col(earlier).is_not_null() & (
        pl.col(later) < pl.col(earlier).dt.truncate("1d")
    )


def read_dossiers(path: str | os.PathLike[str], *, units: pl.DataFrame | None = None) -> Loaded:
    """Read a dossiers export (hồ sơ): CSV, XLSX[#sheet] or Parquet.

    Row rejects: an empty or unreadable required cell, an impossible date (31/02), a due date or
    finish date before receipt, an unknown status, channel or rating, a bad yes/no cell, a negative
    or fractional number of supplement requests, a terminal status without a finish date, a
    duplicate dossier id (later rows), a unit code not in ``units`` (when given).
    """
    raw, personal, notes, source = _read(path, "dossiers")
    optional = [c for c in (*DOSSIER_SCHEMA, *DOSSIER_EXTRA) if c not in REQUIRED["dossiers"]]
    raw, present = _add_missing(raw, [c for c in optional if c in DOSSIER_SCHEMA], notes)
    present |= {c for c in DOSSIER_EXTRA if c in raw.columns}
    raw = raw.with_columns(
        pl.lit(None, dtype=pl.String).alias(c) for c in DOSSIER_EXTRA if c not in raw.columns
    )
    has_status = "status" in present
    bools = ["synced", "fee_required", "paid_online", "e_result", "digitized", "reused_data", "personal_store", "citizen_data"]
    present_bools = [b for b in bools if b in present]
    typed = _by_value(raw, [
        ("status", _map_words("status", STATUS_WORDS).alias("status")),
        ("status", fold_expr("status").is_in(list(PENDING_WORDS)).fill_null(False).alias("supplement_pending")),
        ("channel", _map_words("channel", CHANNEL_WORDS).alias("channel")),
        ("rating", _map_words("rating", RATING_WORDS).alias("rating")),
        ("supplement_requests", parse_number("supplement_requests").alias("_supp")),
        *[(b, parse_bool(b)) for b in present_bools],
    ]).with_columns(
        *[when_parsed(raw, c) for c in ("received_at", "due_at", "finished_at", "supplement_requested_at",
                                        "supplement_received_at")],
        *[pl.lit(None, dtype=pl.Boolean).alias(b) for b in bools if b not in present_bools],
    )
    typed = typed.with_columns(
        pl.col("_supp").fill_null(0).cast(pl.Int64, strict=False).alias("supplement_requests"),
    )
    if not has_status:
        typed = typed.with_columns(
            pl.when(pl.col("finished_at").is_not_null()).then(pl.lit("finished")).otherwise(pl.lit("processing")).alias("status")
        )
        notes.append("không có cột trạng thái: hồ sơ có ngày hoàn thành coi là đã giải quyết")
    checks = _Checks(typed, raw)
    checks.shape()
    for column in ("dossier_id", "unit_code", "procedure_code", "received_at"):
        checks.empty(column)
    for column in ("received_at", "due_at", "finished_at", "supplement_requested_at", "supplement_received_at"):
        checks.bad_parse(column, "a date (dd/mm/yyyy [hh:mm] or yyyy-mm-dd)")
    checks.add(before_day("due_at", "received_at"), "due_at",
               pl.format("due date {} is before receipt {}", pl.col("_raw_due_at"), pl.col("_raw_received_at")))
    checks.add(before_day("finished_at", "received_at"), "finished_at",
               pl.format("finish date {} is before receipt {}", pl.col("_raw_finished_at"), pl.col("_raw_received_at")))
    checks.add(before_day("supplement_requested_at", "received_at"), "supplement_requested_at",
               "supplement request before receipt")
    checks.add(before_day("supplement_received_at", "supplement_requested_at"), "supplement_received_at",
               "supplement received before it was requested")
    if has_status:
        checks.add(pl.col("_raw_status").is_not_null() & pl.col("status").is_null(), "status",
                   pl.format("unknown status {} (e.g. Đang xử lý, Đã trả kết quả, Trả lại, Dừng xử lý, Từ chối, Rút hồ sơ)",
                             quoted_cell(pl.col("_raw_status"))))
    checks.add(pl.col("status").is_in(TERMINAL) & pl.col("finished_at").is_null() & pl.col("_raw_finished_at").is_null(),
               "finished_at", pl.format("status {} ends the dossier but there is no finish date", quoted_cell(pl.col("_raw_status"))))
    if "channel" in present:
        checks.add(pl.col("_raw_channel").is_not_null() & pl.col("channel").is_null(), "channel",
                   pl.format("unknown channel {} (Trực tuyến, Trực tiếp, Bưu chính)", quoted_cell(pl.col("_raw_channel"))))
    checks.add(pl.col("_raw_rating").is_not_null() & pl.col("rating").is_null()
               & ~fold_expr("_raw_rating").is_in([k for k, v in RATING_WORDS.items() if v is None]),
               "rating", pl.format("unknown rating {} (Hài lòng, Không hài lòng)", quoted_cell(pl.col("_raw_rating"))))
    checks.add(pl.col("_raw_supplement_requests").is_not_null() & pl.col("_supp").is_null(), "supplement_requests",
               pl.format("{} is not a number", quoted_cell(pl.col("_raw_supplement_requests"))))
    checks.add((pl.col("_supp") < 0) | (pl.col("_supp") != pl.col("_supp").round(0)), "supplement_requests",
               pl.format("{} is not a count (0, 1, 2…)", quoted_cell(pl.col("_raw_supplement_requests"))))
    for b in present_bools:
        checks.bad_parse(b, "yes/no (có/không, x/empty, 1/0)")
    _duplicates(checks, ["dossier_id"], "dossier_id")
    _unit_check(checks, units)
    return _finish("dossiers", source, raw, typed, checks.frame(), {**DOSSIER_SCHEMA, **DOSSIER_EXTRA}, personal, notes, present)


TABLE_FILES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def export_files(path: str | os.PathLike[str]) -> list[Path]:
    """The CSV/XLSX exports of a folder, in name order (hidden and Office lock files left out)."""
    files = sorted(p for p in Path(path).rglob("*") if p.is_file() and p.suffix.lower() in TABLE_FILES
                   and not p.name.startswith((".", "~$")))
    if not files:
        raise fail(os.fspath(path), "the folder holds no CSV, XLSX or Parquet files")
    return files


def read_dossiers_folder(path: str | os.PathLike[str], *, units: pl.DataFrame | None = None) -> Loaded:
    """Every CSV/XLSX export in a folder (e.g. one a month) as one table.

    Each file is read by :func:`read_dossiers`; a dossier id that an earlier file (in name order)
    already has is a duplicate and rejected.  Rejects carry the ``file`` they come from.
    """
    files = export_files(path)
    check_size(path, total=sum(f.stat().st_size for f in files), sample=files[0])
    parts = [(file, read_dossiers(file, units=units)) for file in files]
    frames = [loaded.frame.with_columns(pl.lit(str(file)).alias("_file"), loaded.file_rows().alias(ROW))
              for file, loaded in parts]
    both = pl.concat(frames, how="vertical_relaxed").with_row_index("_order")
    first = pl.col("_order").min().over("dossier_id")
    dup = both.with_columns(
        pl.col("_file").first().over("dossier_id", order_by="_order").alias("_first_file"),
        pl.col(ROW).first().over("dossier_id", order_by="_order").alias("_first_row"),
    ).filter(pl.col("_order") != first)
    rejects = [loaded.rejects.with_columns(pl.lit(str(file)).alias("file")) for file, loaded in parts]
    if dup.height:
        rejects.append(dup.select(
            pl.col(ROW), pl.lit("dossier_id").alias("column"),
            pl.format("duplicate {} (first in {} row {})", "dossier_id", "_first_file", "_first_row").alias("reason"),
            *[pl.col(c).cast(pl.String) for c in DOSSIER_SCHEMA], pl.col("_file").alias("file"),
        ))
    frame = both.filter(pl.col("_order") == first).sort("_order").drop("_order", "_file", ROW)
    all_rejects = pl.concat(rejects, how="diagonal_relaxed")
    all_rejects = all_rejects.select("file", *[c for c in all_rejects.columns if c != "file"])
    personal = sorted({c for _, loaded in parts for c in loaded.summary.personal_columns})
    notes = [f"{len(files)} tệp: " + ", ".join(f.name for f in files)]
    notes += [f"{file.name}: {note}" for file, loaded in parts for note in loaded.summary.notes]
    if dup.height:
        notes.append(f"{dup.height} hồ sơ trùng mã với tệp trước (bị loại)")
    rows_in = sum(loaded.summary.rows_in for _, loaded in parts)
    summary = LoadSummary(source=os.fspath(path), table="dossiers", rows_in=rows_in, rows_used=frame.height,
                          rows_rejected=all_rejects.height, personal_columns=personal, notes=notes)
    return Loaded(frame=frame, rejects=all_rejects, summary=summary)


def read_procedures(path: str | os.PathLike[str], *, units: pl.DataFrame | None = None) -> Loaded:
    """Read a procedure catalogue (danh mục TTHC của đơn vị): one row per unit × procedure."""
    raw, personal, notes, source = _read(path, "procedures")
    raw, present = _add_missing(raw, [c for c in PROCEDURE_SCHEMA if c not in REQUIRED["procedures"]], notes)
    bools = ["has_fee", "fee_integrated", "citizen_subject"]
    typed = _by_value(raw, [
        ("online_level", _map_words("online_level", ONLINE_LEVEL_WORDS).alias("online_level")),
        *[(b, parse_bool(b)) for b in bools if b in present],
        ("time_limit_days", parse_number("time_limit_days")),
    ]).with_columns(pl.lit(None, dtype=pl.Boolean).alias(b) for b in bools if b not in present)
    checks = _Checks(typed, raw)
    checks.shape()
    for column in REQUIRED["procedures"]:
        checks.empty(column)
    if "online_level" in present:
        checks.add(pl.col("_raw_online_level").is_not_null() & pl.col("online_level").is_null(), "online_level",
                   pl.format("unknown online level {} (Toàn trình, Một phần, Không)", quoted_cell(pl.col("_raw_online_level"))))
    for b in bools:
        if b in present:
            checks.bad_parse(b, "yes/no (có/không, x/empty, 1/0)")
    checks.bad_parse("time_limit_days", "a number of days")
    checks.add(pl.col("time_limit_days") < 0, "time_limit_days", "negative time limit")
    _duplicates(checks, ["unit_code", "procedure_code"], "procedure_code")
    _unit_check(checks, units)
    return _finish("procedures", source, raw, typed, checks.frame(), PROCEDURE_SCHEMA, personal, notes, present)


def read_petitions(path: str | os.PathLike[str], *, units: pl.DataFrame | None = None) -> Loaded:
    """Read petitions (phản ánh, kiến nghị — PAKN)."""
    raw, personal, notes, source = _read(path, "petitions")
    raw, present = _add_missing(raw, [c for c in PETITION_SCHEMA if c not in REQUIRED["petitions"]], notes)
    typed = _by_value(raw, [
        ("category", _map_words("category", CATEGORY_WORDS).alias("category")),
        *([("unsatisfied", parse_bool("unsatisfied"))] if "unsatisfied" in present else []),
    ]).with_columns(
        *[when_parsed(raw, c) for c in ("received_at", "due_at", "resolved_at")],
        *([] if "unsatisfied" in present else [pl.lit(None, dtype=pl.Boolean).alias("unsatisfied")]),
    )
    checks = _Checks(typed, raw)
    checks.shape()
    for column in REQUIRED["petitions"]:
        checks.empty(column)
    for column in ("received_at", "due_at", "resolved_at"):
        checks.bad_parse(column, "a date (dd/mm/yyyy [hh:mm] or yyyy-mm-dd)")
    checks.add(before_day("due_at", "received_at"), "due_at",
               pl.format("due date {} is before receipt {}", pl.col("_raw_due_at"), pl.col("_raw_received_at")))
    checks.add(before_day("resolved_at", "received_at"), "resolved_at",
               pl.format("resolution date {} is before receipt {}", pl.col("_raw_resolved_at"), pl.col("_raw_received_at")))
    if "category" in present:
        checks.add(pl.col("_raw_category").is_not_null() & pl.col("category").is_null(), "category",
                   pl.format("unknown category {} (TTHC, Cán bộ/công chức, Khác)", quoted_cell(pl.col("_raw_category"))))
    if "unsatisfied" in present:
        checks.bad_parse("unsatisfied", "yes/no (có/không, x/empty, 1/0)")
    _duplicates(checks, ["petition_id"], "petition_id")
    _unit_check(checks, units)
    return _finish("petitions", source, raw, typed, checks.frame(), PETITION_SCHEMA, personal, notes, present)


# --------------------------------------------------------------------------------------------
# validate


KIND_MARKS = {
    "dossiers": "dossier_id",
    "petitions": "petition_id",
    "procedures": "online_level",
}


def detect_table(path: str | os.PathLike[str]) -> str | None:
    """dossiers, procedures or petitions, told by the columns the file has (after aliases; a
    Parquet file's from its footer, without reading it)."""
    if Path(os.fspath(path)).suffix.lower() in PARQUET_SUFFIXES:
        return parquet_table(os.fspath(path))
    everything = {**{f"d:{k}": v for k, v in DOSSIER_ALIASES.items()},
                  **{f"p:{k}": v for k, v in PROCEDURE_ALIASES.items()},
                  **{f"q:{k}": v for k, v in PETITION_ALIASES.items()}}
    known = {fold_text(k.split(":", 1)[1]) for k in everything} | {fold_text(n) for v in everything.values() for n in v}
    raw, _ = read_table_locating_header(path, known=known)
    found = {fold_text(c) for c in raw.columns}
    for table, aliases in (("dossiers", DOSSIER_ALIASES), ("petitions", PETITION_ALIASES)):
        mark = KIND_MARKS[table]
        if found & ({fold_text(mark)} | {fold_text(n) for n in aliases[mark]}):
            return table
    proc = _alias_lookup(PROCEDURE_ALIASES)
    targets = {proc[f] for f in found if f in proc}
    if {"unit_code", "procedure_code"} <= targets:
        return "procedures"
    return None


def parquet_table(source: str) -> str | None:
    """dossiers, petitions or procedures, told by a Parquet file's columns (read from its footer)."""
    try:
        columns = set(pl.scan_parquet(source).collect_schema())
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the reader
        return None
    for table, mark in KIND_MARKS.items():
        if mark in columns:
            return table
    return None
