"""The facts table (bảng số liệu chỉ số): one row per period × unit × indicator.

Every source (the portal's figures, one-stop-shop records, a hand-made spreadsheet) becomes
this table, and scoring reads only it.  :func:`read_facts` reads and checks a file and gives
back typed facts; every problem is reported with its file, row and column.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from analysis.contract.periods import is_period, parse_period
from analysis.errors import InputError, Problem
from analysis.io.load import (
    ROW,
    number_form,
    number_style,
    parse_date,
    parse_number,
    quoted_cell,
    read_table,
    require_columns,
)
from analysis.scoring.methodology import LEVELS, Methodology

SCHEMA: dict[str, pl.DataType] = {
    "period": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "level": pl.String,
    "parent_code": pl.String,
    "indicator": pl.String,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "published_score": pl.Float64,
    "as_of": pl.Date,
}
REQUIRED = ("period", "unit_code", "unit_name", "level", "parent_code", "indicator", "numerator", "denominator")
KEY = ("period", "unit_code", "indicator")
NUMBERS = ("numerator", "denominator", "published_score")
MAX_COUNT = 1e12
"""No count of dossiers, procedures or petitions comes near this: a larger one is a misread cell."""
MAX_SCORE = 100.0

ALIASES = {
    "kỳ": "period",
    "kỳ báo cáo": "period",
    "mã đơn vị": "unit_code",
    "tên đơn vị": "unit_name",
    "đơn vị": "unit_name",
    "cấp": "level",
    "mã đơn vị cha": "parent_code",
    "chỉ số": "indicator",
    "mã chỉ số": "indicator",
    "tử số": "numerator",
    "mẫu số": "denominator",
    "điểm công bố": "published_score",
    "ngày lấy số liệu": "as_of",
}


def empty_facts() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def read_facts(path: str | os.PathLike[str], methodology: Methodology | None = None, *, period: str | None = None) -> pl.DataFrame:
    """Read a facts file (CSV, Parquet, XLSX) or saved portal responses, checked and typed.

    A folder or ``.json`` file is read as the national portal's responses
    (:func:`analysis.io.portal.read_portal`); ``period`` names their period when the folder name
    does not.
    """
    target = Path(str(path).split("#")[0])
    if target.is_dir() or target.suffix.lower() == ".json":
        from analysis.io.portal import read_portal

        return read_portal(target, period=period, methodology=methodology).facts
    raw = read_table(path, aliases=ALIASES)
    return check_facts(raw, source=str(path), methodology=methodology)


def number_cell_checks(column: str) -> list[tuple[pl.Expr, pl.Expr]]:
    """(mask, message) for a number cell that did not read: ambiguous, not finite, or no number.

    ``_raw`` is the cell as written, ``column`` its parsed value.
    """
    cell = pl.col("_raw").is_not_null() & pl.col(column).is_null()
    form = number_form("_raw")
    non_finite = (form.is_not_null() & (form != "ambiguous")) | pl.col("_raw").str.contains(r"(?i)^[+-]?(inf|infinity|nan)$")
    return [
        (cell & (form == "ambiguous"),
         pl.format("{} could be read in Vietnamese style (thousands) or English style (decimals), and the "
                   "file's other numbers do not say which: write it without the dot or comma, or with a "
                   "decimal part (184503, 184.503,0 or 184503.0)", quoted_cell("_raw"))),
        (cell & non_finite, pl.format("{} is not a finite number", quoted_cell("_raw"))),
        (cell & form.is_null() & ~non_finite, pl.format("{} is not a number", quoted_cell("_raw"))),
    ]


def check_facts(raw: pl.DataFrame, *, source: str, methodology: Methodology | None = None) -> pl.DataFrame:
    """Type and check a frame of strings with a ``_row`` column; raise every problem found."""
    require_columns(raw, REQUIRED, source=source)
    if ROW not in raw.columns:
        raw = raw.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    for optional in ("published_score", "as_of"):
        if optional not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    # numbers already typed (facts just computed) are checked as numbers, not written out and read back
    typed_numbers = [c for c in NUMBERS if c in raw.columns and raw[c].dtype.is_numeric()]
    texts = [c for c in NUMBERS if c not in typed_numbers]
    raw = raw.with_columns(pl.col(c).cast(pl.String) for c in SCHEMA if c in raw.columns and c not in typed_numbers)
    if raw.height == 0:
        raise InputError(Problem(source, "no data rows (only a header)", 2))
    style = number_style(raw, texts)  # one style for the file settles its ambiguous cells
    typed = raw.with_columns(
        *[parse_number(c, style) for c in texts],
        *[pl.when(pl.col(c).cast(pl.Float64).is_finite()).then(pl.col(c).cast(pl.Float64)).alias(c) for c in typed_numbers],
        parse_date("as_of"),
    )
    problems: list[Problem] = []

    def report(mask: pl.Expr, column: str, message: str | pl.Expr) -> None:
        text = message if isinstance(message, pl.Expr) else pl.lit(message)
        rows = (typed.with_columns(raw[column].alias("_raw")).filter(mask)
                .with_columns(pl.col("_raw").cast(pl.String)).select(ROW, text.alias("_msg")))
        problems.extend(Problem(source, msg, row, column) for row, msg in rows.iter_rows())

    for column in ("period", "unit_code", "unit_name", "level", "indicator"):
        report(pl.col(column).is_null(), column, "empty cell")
    periods = typed["period"].drop_nulls().unique()
    bad_periods = {p for p in periods if not is_period(p)}
    if bad_periods:
        report(pl.col("period").is_in(list(bad_periods)), "period",
               pl.format("{} is not a period (2026-08, 2026-Q3, 2026 or 2026-08-01..2026-08-15)", quoted_cell("period")))
    report(pl.col("level").is_not_null() & ~pl.col("level").is_in(LEVELS), "level",
           pl.format("unknown level {} (use {})", quoted_cell("level"), pl.lit(", ".join(LEVELS))))
    for column in texts:
        for mask, message in number_cell_checks(column):
            report(mask, column, message)
    for column in typed_numbers:
        report(pl.col("_raw").is_not_null() & pl.col(column).is_null(), column,
               pl.format("{} is not a finite number", quoted_cell("_raw")))
    for column in ("numerator", "denominator"):
        report(pl.col(column).abs() > MAX_COUNT, column, pl.format("{} is not a plausible count", quoted_cell("_raw")))
    report((pl.col("published_score") > MAX_SCORE) | (pl.col("published_score") < 0), "published_score",
           pl.format("{} is not a score (0 to 100)", quoted_cell("_raw")))
    for column in ("numerator", "denominator"):
        report(pl.col(column) < 0, column, pl.format("negative count {}", pl.col(column)))
    report(pl.col("_raw").is_not_null() & pl.col("as_of").is_null(), "as_of", pl.format("{} is not a date", quoted_cell("_raw")))
    report(pl.col("as_of").is_not_null() & ~pl.col("as_of").dt.year().is_between(1990, 2100), "as_of",
           pl.format("{} is not a plausible capture date (write the year in full: dd/mm/yyyy)", quoted_cell("_raw")))

    if methodology is not None:
        known = [i.id for i in methodology.indicators] + methodology.components
        report(pl.col("indicator").is_not_null() & ~pl.col("indicator").is_in(known), "indicator",
               pl.format("unknown indicator id {} for methodology {}", quoted_cell("indicator"), pl.lit(methodology.id)))
        ratio_ids = [i.id for i in methodology.indicators if i.measure == "ratio" and i.fixed_ratio is None]
        report(pl.col("indicator").is_in(ratio_ids) & (pl.col("numerator") > pl.col("denominator")), "numerator",
               pl.format("numerator {} is above its denominator {}", pl.col("numerator"), pl.col("denominator")))
        report(pl.col("indicator").is_in(ratio_ids) & (pl.col("numerator").is_null() != pl.col("denominator").is_null()),
               "denominator", "a numerator without its denominator or a denominator without its numerator "
               "(a cut-off row?): give both, or leave both empty for no data")
        report(pl.col("indicator").is_in(methodology.components) & pl.col("published_score").is_null(), "published_score",
               pl.format("a group row ({}) needs its published score", pl.col("indicator")))

    duplicated = typed.filter(pl.col("period").is_not_null() & pl.col("unit_code").is_not_null() & pl.col("indicator").is_not_null())
    duplicated = duplicated.with_columns(pl.col(ROW).min().over(list(KEY)).alias("_first")).filter(pl.col(ROW) != pl.col("_first"))
    problems.extend(
        Problem(source, f"duplicate row for {period} / {unit} / {indicator} (first at row {first})", row, "indicator")
        for row, period, unit, indicator, first in duplicated.select(ROW, *KEY, "_first").iter_rows()
    )
    # one unit, one name, level and parent within a period
    units = typed.select("period", "unit_code", "level", "parent_code", ROW).unique(["period", "unit_code", "level", "parent_code"], keep="first")
    clash = units.filter(pl.len().over(["period", "unit_code"]) > 1)
    if clash.height:
        first = clash.sort(ROW).unique(["period", "unit_code"], keep="last")
        problems.extend(
            Problem(source, f"unit {unit} has more than one level or parent in {period}", row, "level")
            for period, unit, *_ , row in first.iter_rows()
        )

    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputError(problems)
    facts = typed.select(list(SCHEMA))
    # canonical period codes (2026-q3 → 2026-Q3)
    codes = {p: parse_period(p).code for p in facts["period"].unique().to_list()}
    return facts.with_columns(pl.col("period").replace_strict(codes, return_dtype=pl.String)).cast(SCHEMA)
