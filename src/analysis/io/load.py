"""Reading tables from disk (đọc dữ liệu): CSV, Parquet and XLSX, the way one-stop-shop exports come.

Everything here returns a polars frame of *strings* plus a ``_row`` column holding the row
number a person sees in the file (the header is row 1 of a CSV), so that every later check
can name the file, row and column of a problem.  Typing happens in the stage that knows the
table (facts, records), with the parsers at the bottom of this module.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from analysis.contract import FALSE_WORDS, TRUE_WORDS, fold_text, normalise_header
from analysis.errors import DATE_CELL, HIDDEN, SHOWN_CELL, InputError, Problem, fail
from analysis.io.id_pass import PARQUET_SUFFIXES, empty_as_null
from analysis.io.xlsx import uncached_formulas

ROW = "_row"
"""Name of the column that carries each row's number in its source file."""


# --------------------------------------------------------------------------------------------
# headers


def rename_columns(
    frame: pl.DataFrame, aliases: Mapping[str, str], *, source: str
) -> pl.DataFrame:
    """Rename columns to their contract names using ``aliases`` (keys are normalised headers).

    A column whose normalised header is already a contract name keeps it; unknown columns are
    kept under their normalised header.  Two columns that map to the same name are an error.
    """
    lookup = {normalise_header(k): v for k, v in aliases.items()}
    targets: dict[str, str] = {}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for column in frame.columns:
        if column == ROW:
            continue
        key = normalise_header(column)
        target = lookup.get(key, key)
        if target in seen:
            problems.append(
                Problem(source, f"columns '{seen[target]}' and '{column}' both mean '{target}'", 1, column)
            )
            continue
        seen[target] = column
        targets[column] = target
    if problems:
        raise InputError(problems)
    return frame.rename(targets)


def require_columns(frame: pl.DataFrame, required: Iterable[str], *, source: str) -> None:
    """Fail with every missing contract column named."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        present = header_list(c for c in frame.columns if c != ROW)
        raise InputError(
            [Problem(source, f"missing column ({present})", 1, c) for c in missing]
        )


def header_list(headers: Iterable[str]) -> str:
    """``the file has: a, b, c`` for a message, unless the "header" looks like a record.

    A file without its header row shows its first record as the header: names, ID and phone
    numbers.  When the headers hold 6 or more digits in all, they are not listed.
    """
    names = [str(h) for h in headers]
    if sum(ch.isdigit() for name in names for ch in name) >= 6:
        return "the first row holds numbers, not column names: is the header row missing? Its cells are not shown"
    return "the file has: " + ", ".join(names)


# --------------------------------------------------------------------------------------------
# resource limits: a hostile or broken file stops with a message, never exhausts the machine

MAX_TABLE_BYTES = int(os.environ.get("ANALYSIS_MAX_TABLE_MB", "1024")) * 1_000_000
"""A table file read whole (CSV, XLSX, Parquet facts) is refused above this size (1 GB by default;
``ANALYSIS_MAX_TABLE_MB`` changes it).  Large one-stop-shop records go through the lazy Parquet scan.
JSON and YAML have their limits in :mod:`analysis.io.documents`."""


def check_size(path: Path, limit: int, *, source: str) -> None:
    size = path.stat().st_size
    if size > limit:
        raise fail(source, f"the file is {size / 1e6:,.0f} MB, more than the {limit / 1e6:,.0f} MB this reader accepts")


# --------------------------------------------------------------------------------------------
# files


def split_sheet(path: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """``'book.xlsx#Tháng 8'`` → ``(Path('book.xlsx'), 'Tháng 8')``."""
    text = os.fspath(path)
    if "#" in text:
        head, sheet = text.rsplit("#", 1)
        if head.lower().endswith((".xlsx", ".xlsm")):
            return Path(head), sheet
    return Path(text), None


def open_source(path: str | os.PathLike[str]) -> tuple[Path, str | None, str]:
    """The file, the sheet named after ``#`` and the name to report, once the file is known to exist."""
    file, sheet = split_sheet(path)
    source = os.fspath(path)
    if not file.exists():
        raise fail(source, "file not found")
    if file.is_dir():
        raise fail(source, "is a folder, a file was expected")
    check_size(file, MAX_TABLE_BYTES, source=source)
    return file, sheet, source


def decode_text(data: bytes, *, source: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as exc:  # pragma: no cover - cp1258 maps nearly every byte
                raise fail(source, f"cannot decode the text (not UTF-8, UTF-16 or Windows-1258): {exc}") from None
    # Windows-1258 and some exports write decomposed tone marks: compose them.
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines of ``text`` (fewer when it has fewer), without copying the rest of
    a large file's text."""
    end = 0
    for _ in range(count):
        found = text.find("\n", end)
        if found < 0:
            end = len(text)
            break
        end = found + 1
    return text[:end].split("\n")[:count]


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``,`` ``;`` and tab in the header line."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_csv_text(text: str, *, source: str) -> pl.DataFrame:
    """Parse CSV text into a frame of strings with file row numbers."""
    if not text or text.isspace():
        raise fail(source, "the file is empty")
    delimiter = sniff_delimiter(first_lines(text, 1)[0])
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError as exc:
        message = str(exc).strip().splitlines()[0]
        raise fail(source, f"not a readable CSV table: {message}") from None
    if frame.width == 0 or (frame.width == 1 and not frame.columns[0].strip()):
        raise fail(source, "the file has no header row")
    return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))


def read_xlsx(path: Path, sheet: str | None, *, source: str) -> pl.DataFrame:
    """Read the first sheet (or ``sheet``) of a workbook as strings; the header is its first non-empty row.

    ``_row`` is the sheet's own row number (blank rows count), so messages point at the right row.
    """
    raw = read_sheet_rows(path, sheet, source=source)
    values = [c for c in raw.columns if c != ROW]
    filled = raw.select(pl.any_horizontal(pl.col(values).is_not_null() & (pl.col(values).str.strip_chars() != "")).alias("x"))["x"]
    if not values or not filled.any():
        raise fail(source, "the sheet is empty")
    return promote_header(raw, source=source, header_index=int(filled.arg_true()[0]))


def promote_header(raw: pl.DataFrame, *, source: str, header_index: int = 0) -> pl.DataFrame:
    """Use row ``header_index`` of a header-less sheet as the header; keep the rows below it."""
    if raw.height <= header_index:
        raise fail(source, "the sheet is empty")
    header_row = raw.row(header_index, named=True)
    names: dict[str, str] = {}
    used: set[str] = set()
    for column in raw.columns:
        if column == ROW:
            continue
        value = header_row[column]
        name = str(value).strip() if value is not None and str(value).strip() else f"column_{len(names) + 1}"
        while name in used:
            name += "_"
        used.add(name)
        names[column] = name
    body = raw.slice(header_index + 1).rename(names)
    # drop columns that are entirely empty and carry no header (trailing blank columns)
    keep = [
        c for c in body.columns
        if c == ROW or not c.startswith("column_") or body[c].drop_nulls().len() > 0
    ]
    return body.select(keep)


def read_table(path: str | os.PathLike[str], *, aliases: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Read any supported table as strings with a ``_row`` column, headers renamed by ``aliases``.

    Fully empty rows are dropped (they carry nothing; their numbers are not reused).
    """
    file, sheet, source = open_source(path)
    suffix = file.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        try:
            frame = pl.read_parquet(file)
        except Exception as exc:
            raise fail(source, f"not a readable Parquet file: {str(exc).splitlines()[0]}") from None
        frame = frame.with_columns(pl.all().cast(pl.String)).with_row_index(ROW, offset=1)
        frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
    elif suffix in (".xlsx", ".xlsm"):
        frame = read_xlsx(file, sheet, source=source)
    elif suffix in (".csv", ".txt", ".tsv"):
        frame = read_csv_text(decode_text(file.read_bytes(), source=source), source=source)
    else:
        raise fail(source, f"unsupported file type '{suffix}' (use CSV, Parquet or XLSX)")
    frame = strip_strings(frame)
    values = [c for c in frame.columns if c != ROW]
    if values:
        frame = frame.filter(~pl.all_horizontal(pl.col(values).is_null()))
    if aliases is not None:
        frame = rename_columns(frame, aliases, source=source)
    return frame


def strip_strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim string cells and turn empty strings into nulls."""
    strings = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    if not strings:
        return frame
    frame = frame.with_columns(pl.col(c).str.strip_chars() for c in strings)
    # the CSV reader gives an empty field as null already: only a blank cell is an empty string now
    blank = frame.select((pl.col(c).str.len_bytes() == 0).any() for c in strings).row(0)
    return frame.with_columns(empty_as_null(pl.col(c)).alias(c) for c, has in zip(strings, blank, strict=True) if has)


# --------------------------------------------------------------------------------------------
# writing


FORMULA_START = r"^[=+\-@\t\r]"
"""A spreadsheet reads a cell starting with one of these as a formula (công thức)."""
PLAIN_NUMBER = r"^[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?$"
NO_ACTIVITY = "-"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe.

    A string cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR (``=HYPERLINK(…)`` typed as
    a unit name) becomes ``'=HYPERLINK(…)``, which Excel and LibreOffice show as text.  Plain
    numbers written as text (``-5``, ``+84``) and the ``-`` of "no activity" are left alone, and
    so are number columns.
    """
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        text = pl.col(name)
        risky = text.str.contains(FORMULA_START) & ~text.str.contains(PLAIN_NUMBER) & (text != NO_ACTIVITY)
        exprs.append(pl.when(risky).then(pl.lit("'") + text).otherwise(text).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def write_table(frame: pl.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write CSV (UTF-8 with BOM, so Excel shows Vietnamese), Parquet or XLSX atomically.

    The file is written next to its destination under a temporary name and renamed into place,
    so an interrupted run never leaves half a table.  Text that a spreadsheet would run as a
    formula is written as text: with a leading apostrophe in CSV (:func:`neutralise_formulas`),
    as a string cell in XLSX (:func:`write_workbook`).
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise fail(target, f"unsupported output type '{suffix}' (use .csv, .parquet or .xlsx)")
    if suffix == ".xlsx":
        return write_workbook({"data": frame}, target)
    with atomic_path(target, suffix=suffix) as temporary:
        if suffix == ".csv":
            neutralise_formulas(frame).write_csv(temporary, include_bom=True)
        else:
            frame.write_parquet(temporary)
    return target


SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts: no ``[]:*?/\\``, at most 31 characters, unique ignoring case.

    ``['Scorecard', 'scorecard']`` → ``['Scorecard', 'scorecard (2)']``.
    """
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = SHEET_NAME_FORBIDDEN.sub("_", str(name)).strip("'")[:31] or "sheet"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def write_workbook(
    sheets: Mapping[str, pl.DataFrame], path: str | os.PathLike[str], *, formats: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Several frames as the sheets of one XLSX workbook (in the given order), written atomically.

    Every sheet's header row stays in view (frozen) and its decimals show two places;
    ``formats`` gives a sheet's Excel number formats by column
    (``{"Bảng điểm": {"Hồ sơ tiếp nhận": "#,##0"}}``). Every text cell is written as a string, never as a formula or a link, whatever it starts
    with; sheet names are made acceptable to Excel (:func:`sheet_names`).
    """
    import xlsxwriter

    target = Path(path)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with atomic_path(target, suffix=".xlsx") as temporary, xlsxwriter.Workbook(temporary, options) as workbook:
        for (given, frame), name in zip(sheets.items(), sheet_names(sheets), strict=True):
            own = dict((formats or {}).get(given, {}))
            frame.write_excel(workbook, worksheet=name, autofit=True, freeze_panes=(1, 0), float_precision=2,
                              column_formats={c: f for c, f in own.items() if c in frame.columns} or None)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(temporary: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Put a finished temporary file in place: the one rule every written file follows.

    Its permissions become those of an ordinary new file (``0o666`` less the umask: ``rw-r--r--``
    under the usual umask 022), whatever the temporary file had (``mkstemp`` makes ``rw-------``),
    and it is renamed over ``target`` in one step, so a reader sees the old file or the new one,
    never half of one.  The temporary file must be on the target's file system (beside it).
    """
    os.chmod(temporary, 0o666 & ~_umask())
    os.replace(temporary, target)


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; :func:`publish`-ed when the block ends
    without an error, removed when it fails or is interrupted."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        publish(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write bytes to ``path`` through a temporary file renamed into place (:func:`atomic_path`)."""
    target = Path(path)
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return target


# --------------------------------------------------------------------------------------------
# cell parsers (vectorised; each returns the parsed column and leaves bad cells null)


# Numbers (số): every cell is read by its own form, in one rule.
#  - plain digits (``184503``, ``-5``) and scientific notation (``1.5e3``) are plain;
#  - Vietnamese style: a decimal comma (``2,5``, ``0,125``, ``2.348,0``) or two or more groups of
#    three after dots (``1.234.567``);
#  - English style: a decimal point (``1360.0``, ``0.125``, ``1,234.5``) or two or more groups
#    of three after commas (``1,234,567``);
#  - ambiguous: one group of three digits after one separator, the first group not starting with
#    0 (``184.503``: 184503 in Vietnamese, 184.503 in English; ``1,234`` likewise).  An ambiguous
#    cell takes the style the *file's* unambiguous numbers show; when they show both styles or
#    neither, it is rejected by row and column (write ``184503`` or ``184.503,0``).
NUMBER_FORMS: dict[str, str] = {
    "plain": r"^[+-]?(\d+|\d+\.?\d*[eE][+-]?\d+|\.\d+)$",
    "vi": r"^[+-]?(\d+,\d*|\d{1,3}(\.\d{3})+,\d*|[1-9]\d{0,2}(\.\d{3}){2,})$",
    "en": r"^[+-]?(\d+\.\d*|\d{1,3}(,\d{3})+\.\d*|[1-9]\d{0,2}(,\d{3}){2,})$",
    "ambiguous": r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$",
}
NUMBER_STYLES = ("vi", "en")


def _number_text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.replace_all(r"[\s\u00a0\u202f]", "")


def number_form(column: str) -> pl.Expr:
    """Each cell's form: ``plain``, ``vi``, ``en``, ``ambiguous`` or null (not a number, or empty)."""
    text = _number_text(column)
    form = pl.lit(None, dtype=pl.String)
    for name in ("vi", "en", "plain", "ambiguous"):  # ambiguous last: it wins over vi/en
        pattern = NUMBER_FORMS[name]
        if name in ("vi", "en"):
            matches = text.str.contains(pattern) & ~text.str.contains(NUMBER_FORMS["ambiguous"])
        else:
            matches = text.str.contains(pattern)
        form = pl.when(matches).then(pl.lit(name)).otherwise(form)
    return form.alias(column)


def number_style(frame: pl.DataFrame, columns: Iterable[str]) -> str | None:
    """The style a file's unambiguous numbers show: ``'vi'``, ``'en'``, or None (both or neither)."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return None
    forms = frame.select(pl.concat_list(number_form(c) for c in present).explode().alias("f"))["f"]
    seen = {style for style in NUMBER_STYLES if (forms == style).any()}
    return seen.pop() if len(seen) == 1 else None


def parse_number(column: str, style: str | None = "column") -> pl.Expr:
    """A number column read cell by cell (see ``NUMBER_FORMS``); bad and unresolved cells stay null.

    ``style`` settles ambiguous cells: ``'vi'`` or ``'en'`` (the file's style, from
    :func:`number_style`), None (left null, to be rejected), or ``'column'`` (the style this
    column's own unambiguous cells show, None when they show both or neither).
    Non-finite values (``inf``, ``NaN``, ``1e309``) are not numbers.
    """
    text = _number_text(column)
    form = number_form(column)
    as_vi = text.str.replace_all(r"\.", "").str.replace(",", ".")
    as_en = text.str.replace_all(",", "")
    if style == "column":
        vi_seen, en_seen = (form == "vi").any(), (form == "en").any()
        ambiguous = pl.when(vi_seen & ~en_seen).then(as_vi).when(en_seen & ~vi_seen).then(as_en).otherwise(None)
    else:
        ambiguous = as_vi if style == "vi" else as_en if style == "en" else pl.lit(None, dtype=pl.String)
    value = (
        pl.when(form == "plain").then(text)
        .when(form == "vi").then(as_vi)
        .when(form == "en").then(as_en)
        .when(form == "ambiguous").then(ambiguous)
        .otherwise(None)
        .cast(pl.Float64, strict=False)
    )
    return pl.when(value.is_finite()).then(value).otherwise(None).alias(column)


def shown_in_full(text: pl.Expr) -> pl.Expr:
    """True for a cell a message may quote (:func:`analysis.errors.quote_cell`'s rule)."""
    text = text.cast(pl.String)
    return text.str.contains(SHOWN_CELL.pattern) & (text.str.count_matches(r"\d") < 9) | text.str.contains(DATE_CELL.pattern)


def quoted_cell(column: str | pl.Expr) -> pl.Expr:
    """:func:`analysis.errors.quote_cell` as an expression: ``'abc'``, or ``(nội dung ẩn)`` for free text."""
    text = (pl.col(column) if isinstance(column, str) else column).cast(pl.String)
    return pl.when(shown_in_full(text)).then(pl.format("'{}'", text)).otherwise(pl.lit(HIDDEN))


def parse_bool(column: str, *, empty_is_false: bool = True) -> pl.Expr:
    """true/false, 1/0, có/không, x/empty (an empty cell is false unless ``empty_is_false=False``)."""
    text = pl.col(column).cast(pl.String).str.strip_chars().str.to_lowercase()
    result = (
        pl.when(text.is_in(TRUE_WORDS)).then(True)
        .when(text.is_in(FALSE_WORDS)).then(False)
        .when(text.is_null()).then(pl.lit(False) if empty_is_false else pl.lit(None, dtype=pl.Boolean))
        .otherwise(None)
    )
    return result.cast(pl.Boolean).alias(column)


# --------------------------------------------------------------------------------------------
# tables whose header is not on the first line (title rows above it, as report exports have)


def decode_text_guess(data: bytes, *, source: str) -> str:
    """Like :func:`decode_text`, also recognising UTF-16 written without a byte-order mark; a
    byte-order mark inside the text (files pasted one after another) is dropped too."""
    head = data[:400]
    text = None
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) and len(head) >= 4:
        odd_nul, even_nul = head[1::2].count(0), head[0::2].count(0)
        half = len(head) // 2
        if odd_nul > 0.4 * half and even_nul == 0:
            text = unicodedata.normalize("NFC", data.decode("utf-16-le", errors="strict"))
        elif even_nul > 0.4 * half and odd_nul == 0:
            text = unicodedata.normalize("NFC", data.decode("utf-16-be", errors="strict"))
    return (decode_text(data, source=source) if text is None else text).replace("\ufeff", "")


def read_sheet_rows(path: Path, sheet: str | None, *, source: str) -> pl.DataFrame:
    """Every row of a worksheet as strings, blank rows included, ``_row`` = the sheet's row number.

    Formula cells without a calculated value are refused, each named by row and column letter.
    """
    import fastexcel

    formulas = uncached_formulas(path, sheet)
    if formulas:
        raise InputError([
            Problem(source, "a formula whose value was never calculated (open the workbook in Excel or "
                            "LibreOffice and save it, or paste the values)", row, column)
            for row, column in formulas
        ])

    try:
        reader = fastexcel.read_excel(str(path))
        target: int | str = sheet if sheet is not None else 0
        if isinstance(target, str) and target not in reader.sheet_names:
            raise fail(source, f"no sheet named '{target}' (the workbook has: {', '.join(reader.sheet_names)})")
        raw = reader.load_sheet(target, header_row=None, skip_rows=[], dtypes="string").to_polars()
    except InputError:
        raise
    except Exception as exc:  # fastexcel raises its own types for broken workbooks
        raise fail(source, f"cannot read the workbook: {str(exc).splitlines()[0]}") from None
    raw = raw.rename({c: f"column_{i}" for i, c in enumerate(raw.columns)})
    return raw.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


def _header_score(cells: Iterable[object], known: set[str]) -> int:
    return sum(1 for cell in cells if cell is not None and fold_text(cell) in known)


def read_table_locating_header(
    path: str | os.PathLike[str], *, known: Iterable[str], search_rows: int = 20
) -> tuple[pl.DataFrame, int]:
    """Read a table whose header row may sit below title rows; return it and the header's row number.

    The header is the first of the first ``search_rows`` lines holding the most cells that are
    ``known`` headers (compared without case or tone marks); with no line holding two known
    headers the first line is the header.  Cells stay strings, ``_row`` is the row number a person
    sees, fully empty rows are dropped, columns keep their headers (no renaming).
    """
    folded = {fold_text(k) for k in known}
    file, sheet, source = open_source(path)
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = read_sheet_rows(file, sheet, source=source)
        values = [c for c in raw.columns if c != ROW]
        scores = [_header_score(raw.row(i)[1:], folded) for i in range(min(search_rows, raw.height))]
        best = max(scores, default=0)
        if best >= 2:
            index = scores.index(best)
        else:  # the first non-empty row
            non_empty = raw.with_row_index("_i").filter(~pl.all_horizontal(pl.col(values).is_null()))
            if non_empty.height == 0:
                raise fail(source, "the sheet is empty")
            index = int(non_empty["_i"][0])
        frame = promote_header(raw, source=source, header_index=index)
        header_row = index + 1
    elif suffix in (".csv", ".txt", ".tsv"):
        text = decode_text_guess(file.read_bytes(), source=source)
        if not text or text.isspace():
            raise fail(source, "the file is empty")
        lines = first_lines(text, search_rows)
        scores = []
        for line in lines:
            sep = sniff_delimiter(line)
            scores.append(_header_score((c.strip().strip('"') for c in line.split(sep)), folded))
        best = max(scores, default=0)
        index = scores.index(best) if best >= 2 else 0
        while index < len(lines) - 1 and not lines[index].strip():
            index += 1
        body = text.split("\n", index)[-1] if index else text
        frame = read_csv_tolerant(body, source=source).with_columns(pl.col(ROW) + index)
        header_row = index + 1
    else:
        return read_table(path), 1
    frame = strip_strings(frame)
    values = [c for c in frame.columns if c != ROW]
    if values:
        frame = frame.filter(~pl.all_horizontal(pl.col(values).is_null()))
    return frame, header_row


SHAPE = "_shape"
"""Column that :func:`read_csv_tolerant` adds when some rows have more or fewer cells than the header."""


def read_csv_tolerant(text: str, *, source: str) -> pl.DataFrame:
    """Like :func:`read_csv_text`, but a row with the wrong number of cells does not stop the read.

    Such rows keep the cells that fit and carry a message in the ``_shape`` column (absent when
    every row fits), so the caller can reject them by row.  The parser's own messages, which may
    quote cell contents, are never passed on.
    """
    try:
        return read_csv_text(text, source=source)
    except InputError as exc:
        if not any("not a readable CSV table" in p.message for p in exc.problems):
            raise
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_lines(text, 1)[0]))
    try:
        header = next(reader)
    except StopIteration:  # pragma: no cover - read_csv_text reports empty text first
        raise fail(source, "the file is empty") from None
    width = len(header)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    shapes: list[str | None] = []
    line = 2
    for cells in reader:
        if cells:
            fitted: list[str | None] = list(cells[:width]) + [None] * max(0, width - len(cells))
            extra = [c for c in cells[width:] if c.strip()]
            if len(cells) < width:
                shapes.append(f"the row has {len(cells)} cell(s), the header {width}")
            elif extra:
                shapes.append(f"the row has {len(cells)} cells, the header {width} (a separator inside an unquoted cell?)")
            else:
                shapes.append(None)
            rows.append(fitted)
            numbers.append(line)
        line = reader.line_num + 1
    names = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    frame = pl.DataFrame(rows, schema={n: pl.String for n in names}, orient="row")
    frame = frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64), pl.Series(SHAPE, shapes, dtype=pl.String))
    return frame.select(ROW, *names, SHAPE)
