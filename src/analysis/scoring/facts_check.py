"""The checks of the facts table (kiểm tra bảng số liệu), whatever source it came from.

A facts file, facts computed from records and facts made from the portal's figures all pass
:func:`check_facts`: every problem is named with its file, row and column, and the table comes
back in the contract's schema (:func:`analysis.contract.schema`).
"""

from __future__ import annotations

import polars as pl

from analysis.contract import HEADER_ALIASES, LEVELS, required, schema
from analysis.contract.periods import is_period, parse_period
from analysis.errors import InputError, Problem
from analysis.io.dates import parse_date
from analysis.io.load import ROW, number_form, number_style, parse_number, quoted_cell, require_columns
from analysis.scoring.methodology import Methodology

SCHEMA = schema("facts")
REQUIRED = required("facts")
KEY = ("period", "unit_code", "indicator")
NUMBERS = ("numerator", "denominator", "published_score")
MAX_COUNT = 1e12
"""No count of dossiers, procedures or petitions comes near this: a larger one is a misread cell."""
MAX_SCORE = 100.0
ALIASES: dict[str, str] = {alias: column for column, names in HEADER_ALIASES["facts"].items() for alias in names}
"""Vietnamese header → facts column (``tử số`` → ``numerator``)."""


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


Check = tuple[pl.Expr, str, str | pl.Expr]
"""(mask of the rows with the problem, column named, message) for one check."""


def _prepared(raw: pl.DataFrame, source: str) -> tuple[pl.DataFrame, list[str]]:
    """Every contract column present (as text, unless a number already typed), with row numbers;
    and the number columns already typed (facts just computed, not written out and read back)."""
    require_columns(raw, REQUIRED, source=source)
    if ROW not in raw.columns:
        raw = raw.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in ("published_score", "as_of") if c not in raw.columns)
    typed_numbers = [c for c in NUMBERS if raw[c].dtype.is_numeric()]
    raw = raw.with_columns(pl.col(c).cast(pl.String) for c in SCHEMA if c in raw.columns and c not in typed_numbers)
    if raw.height == 0:
        raise InputError(Problem(source, "no data rows (only a header)", 2))
    return raw, typed_numbers


def _typed(raw: pl.DataFrame, texts: list[str], typed_numbers: list[str]) -> pl.DataFrame:
    style = number_style(raw, texts)  # one style for the file settles its ambiguous cells
    finite = [pl.when(pl.col(c).cast(pl.Float64).is_finite()).then(pl.col(c).cast(pl.Float64)).alias(c) for c in typed_numbers]
    return raw.with_columns(*[parse_number(c, style) for c in texts], *finite, parse_date("as_of"))


def _cell_checks(typed: pl.DataFrame, texts: list[str], typed_numbers: list[str]) -> list[Check]:
    """Empty keys, periods, levels, numbers and dates, cell by cell."""
    checks: list[Check] = [(pl.col(c).is_null(), c, "empty cell") for c in ("period", "unit_code", "unit_name", "level", "indicator")]
    bad_periods = [p for p in typed["period"].drop_nulls().unique() if not is_period(p)]
    if bad_periods:
        checks.append((pl.col("period").is_in(bad_periods), "period",
                       pl.format("{} is not a period (2026-08, 2026-Q3, 2026 or 2026-08-01..2026-08-15)", quoted_cell("period"))))
    checks.append((pl.col("level").is_not_null() & ~pl.col("level").is_in(LEVELS), "level",
                   pl.format("unknown level {} (use {})", quoted_cell("level"), pl.lit(", ".join(LEVELS)))))
    checks += [(mask, c, message) for c in texts for mask, message in number_cell_checks(c)]
    checks += [(pl.col("_raw").is_not_null() & pl.col(c).is_null(), c, pl.format("{} is not a finite number", quoted_cell("_raw")))
               for c in typed_numbers]
    checks += [(pl.col(c).abs() > MAX_COUNT, c, pl.format("{} is not a plausible count", quoted_cell("_raw")))
               for c in ("numerator", "denominator")]
    checks.append(((pl.col("published_score") > MAX_SCORE) | (pl.col("published_score") < 0), "published_score",
                   pl.format("{} is not a score (0 to 100)", quoted_cell("_raw"))))
    checks += [(pl.col(c) < 0, c, pl.format("negative count {}", pl.col(c))) for c in ("numerator", "denominator")]
    checks.append((pl.col("_raw").is_not_null() & pl.col("as_of").is_null(), "as_of", pl.format("{} is not a date", quoted_cell("_raw"))))
    checks.append((pl.col("as_of").is_not_null() & ~pl.col("as_of").dt.year().is_between(1990, 2100), "as_of",
                   pl.format("{} is not a plausible capture date (write the year in full: dd/mm/yyyy)", quoted_cell("_raw"))))
    return checks


def _methodology_checks(methodology: Methodology) -> list[Check]:
    """Indicator ids the methodology knows; ratios within their denominator; group rows' scores."""
    known = [i.id for i in methodology.indicators] + methodology.components
    ratio_ids = [i.id for i in methodology.indicators if i.measure == "ratio" and i.fixed_ratio is None]
    is_ratio = pl.col("indicator").is_in(ratio_ids)
    return [
        (pl.col("indicator").is_not_null() & ~pl.col("indicator").is_in(known), "indicator",
         pl.format("unknown indicator id {} for methodology {}", quoted_cell("indicator"), pl.lit(methodology.id))),
        (is_ratio & (pl.col("numerator") > pl.col("denominator")), "numerator",
         pl.format("numerator {} is above its denominator {}", pl.col("numerator"), pl.col("denominator"))),
        (is_ratio & (pl.col("numerator").is_null() != pl.col("denominator").is_null()), "denominator",
         "a numerator without its denominator or a denominator without its numerator "
         "(a cut-off row?): give both, or leave both empty for no data"),
        (pl.col("indicator").is_in(methodology.components) & pl.col("published_score").is_null(), "published_score",
         pl.format("a group row ({}) needs its published score", pl.col("indicator"))),
    ]


def _reported(raw: pl.DataFrame, typed: pl.DataFrame, checks: list[Check], source: str) -> list[Problem]:
    """The rows each check finds, as problems; ``_raw`` is the checked column's cell as written."""
    problems: list[Problem] = []
    for mask, column, message in checks:
        text = message if isinstance(message, pl.Expr) else pl.lit(message)
        rows = (typed.with_columns(raw[column].alias("_raw")).filter(mask)
                .with_columns(pl.col("_raw").cast(pl.String)).select(ROW, text.alias("_msg")))
        problems.extend(Problem(source, msg, row, column) for row, msg in rows.iter_rows())
    return problems


def _table_problems(typed: pl.DataFrame, source: str) -> list[Problem]:
    """Duplicate rows; a unit with more than one level or parent within a period."""
    keyed = typed.filter(pl.col("period").is_not_null() & pl.col("unit_code").is_not_null() & pl.col("indicator").is_not_null())
    duplicated = keyed.with_columns(pl.col(ROW).min().over(list(KEY)).alias("_first")).filter(pl.col(ROW) != pl.col("_first"))
    problems = [
        Problem(source, f"duplicate row for {period} / {unit} / {indicator} (first at row {first})", row, "indicator")
        for row, period, unit, indicator, first in duplicated.select(ROW, *KEY, "_first").iter_rows()
    ]
    units = typed.select("period", "unit_code", "level", "parent_code", ROW).unique(["period", "unit_code", "level", "parent_code"], keep="first")
    clash = units.filter(pl.len().over(["period", "unit_code"]) > 1)
    if clash.height:
        first = clash.sort(ROW).unique(["period", "unit_code"], keep="last")
        problems.extend(
            Problem(source, f"unit {unit} has more than one level or parent in {period}", row, "level")
            for period, unit, *_, row in first.iter_rows()
        )
    return problems


def check_facts(raw: pl.DataFrame, *, source: str, methodology: Methodology | None = None) -> pl.DataFrame:
    """Type and check a frame of strings with a ``_row`` column; raise every problem found."""
    raw, typed_numbers = _prepared(raw, source)
    texts = [c for c in NUMBERS if c not in typed_numbers]
    typed = _typed(raw, texts, typed_numbers)
    checks = _cell_checks(typed, texts, typed_numbers)
    if methodology is not None:
        checks += _methodology_checks(methodology)
    problems = _reported(raw, typed, checks, source) + _table_problems(typed, source)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputError(problems)
    facts = typed.select(list(SCHEMA))
    # canonical period codes (2026-q3 → 2026-Q3)
    codes = {p: parse_period(p).code for p in facts["period"].unique().to_list()}
    return facts.with_columns(pl.col("period").replace_strict(codes, return_dtype=pl.String)).cast(SCHEMA)
