"""Units (đơn vị): the province, its departments (sở, ban, ngành) and communes (xã, phường).

The units table (data contract, section 1) tells every unit's name, level and parent, and so
how counts roll up: a parent's figures are the sums over itself and all its descendants
(:func:`descendants`).
"""

from __future__ import annotations

import os

import polars as pl

from analysis.contract import LEVEL_ALIASES, LEVELS, fold_expr, fold_text, header_lookup, required, schema
from analysis.errors import InputError, Problem
from analysis.io.dates import parse_date
from analysis.io.load import ROW, quoted_cell, read_table, rename_columns, require_columns
from analysis.paths import BUNDLED_FACTS
from analysis.scoring.facts import read_facts

SCHEMA = schema("units")
REQUIRED = required("units")


def read_units(path: str | os.PathLike[str]) -> pl.DataFrame:
    """Read and check a units table (CSV, Parquet, XLSX); every problem raised with file, row, column.

    Levels may be written in Vietnamese (``tỉnh``, ``sở``, ``huyện``, ``xã``); a parent code must
    name a unit of the table; the hierarchy must not loop.
    """
    source = os.fspath(path)
    raw = read_table(path)
    lookup = header_lookup("units")  # Vietnamese headers (mã đơn vị cha → parent_code), with or without marks
    raw = rename_columns(raw, {c: lookup[fold_text(c)] for c in raw.columns if fold_text(c) in lookup}, source=source)
    if raw.height == 0:
        raise InputError(Problem(source, "the table has no rows", 2))
    require_columns(raw, REQUIRED, source=source)
    for column in SCHEMA:
        if column not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    typed = raw.with_columns(
        fold_expr("level").replace_strict(dict(LEVEL_ALIASES), default=None, return_dtype=pl.String).alias("level"),
        parse_date("valid_from"),
        parse_date("valid_to"),
    )
    problems: list[Problem] = []

    def report(mask: pl.Expr, column: str, message: pl.Expr) -> None:
        rows = typed.with_columns(raw[column].alias("_raw")).filter(mask).select(ROW, message)
        problems.extend(Problem(source, msg, row, column) for row, msg in rows.iter_rows())

    for column in ("unit_code", "unit_name", "level"):
        report(pl.col("_raw").is_null(), column, pl.lit("empty cell"))
    report(pl.col("_raw").is_not_null() & pl.col("level").is_null(), "level",
           pl.format("unknown level {} (use {})", quoted_cell("_raw"), pl.lit(", ".join(LEVELS))))
    for column in ("valid_from", "valid_to"):
        report(pl.col("_raw").is_not_null() & pl.col(column).is_null(), column,
               pl.format("{} is not a date", quoted_cell("_raw")))
    dup = typed.filter(pl.col("unit_code").is_not_null()).with_columns(
        pl.col(ROW).min().over("unit_code").alias("_first")
    ).filter(pl.col(ROW) != pl.col("_first"))
    problems.extend(
        Problem(source, f"duplicate unit code {code} (first at row {first})", row, "unit_code")
        for row, code, first in dup.select(ROW, "unit_code", "_first").iter_rows()
    )
    codes = set(typed["unit_code"].drop_nulls().to_list())
    orphans = typed.filter(pl.col("parent_code").is_not_null() & ~pl.col("parent_code").is_in(list(codes)))
    problems.extend(
        Problem(source, f"parent unit {parent} is not in the table", row, "parent_code")
        for row, parent in orphans.select(ROW, "parent_code").iter_rows()
    )
    if not problems:
        loops = _loops(typed)
        problems.extend(Problem(source, f"unit {code} is its own ancestor", row, "parent_code") for code, row in loops)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputError(problems)
    return typed.select(list(SCHEMA)).cast(SCHEMA)


def _loops(units: pl.DataFrame) -> list[tuple[str, int]]:
    parent = dict(zip(units["unit_code"].to_list(), units["parent_code"].to_list(), strict=True))
    rows = dict(zip(units["unit_code"].to_list(), units[ROW].to_list(), strict=True)) if ROW in units.columns else {}
    found = []
    for code in parent:
        seen = {code}
        current = parent.get(code)
        while current is not None:
            if current in seen:
                found.append((code, rows.get(code, 0)))
                break
            seen.add(current)
            current = parent.get(current)
    return found


def units_from_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """The units named in a facts table (first name, level and parent seen for each code)."""
    base = facts.select("unit_code", "unit_name", "level", "parent_code").unique("unit_code", keep="first", maintain_order=True)
    return base.with_columns(
        pl.lit(None, dtype=pl.String).alias("gso_code"),
        pl.lit(None, dtype=pl.Date).alias("valid_from"),
        pl.lit(None, dtype=pl.Date).alias("valid_to"),
    ).select(list(SCHEMA)).cast(SCHEMA)


def descendants(units: pl.DataFrame) -> pl.DataFrame:
    """Every (unit_code, ancestor_code) pair, each unit paired with itself and with every ancestor.

    A parent's counts are then a join on ``unit_code`` and a group-by on ``ancestor_code``.  A
    parent code outside the table ends the chain; a loop is an error.
    """
    edges = units.select("unit_code", "parent_code").unique("unit_code", keep="first")
    codes = set(edges["unit_code"].to_list())
    pairs = edges.select("unit_code", pl.col("unit_code").alias("ancestor_code"))
    frontier = edges.filter(pl.col("parent_code").is_in(list(codes))).select(
        "unit_code", pl.col("parent_code").alias("ancestor_code")
    )
    for _ in range(len(codes) + 1):
        if frontier.height == 0:
            break
        pairs = pl.concat([pairs, frontier])
        frontier = (
            frontier.join(edges, left_on="ancestor_code", right_on="unit_code", how="inner")
            .filter(pl.col("parent_code").is_not_null() & pl.col("parent_code").is_in(list(codes)))
            .select("unit_code", pl.col("parent_code").alias("ancestor_code"))
        )
    else:  # pragma: no cover - read_units rejects loops before this
        raise InputError(Problem("<units>", "the unit hierarchy has a loop"))
    return pairs.unique().sort("ancestor_code", "unit_code")


def bundled_units() -> pl.DataFrame:
    """Phú Thọ's 164 units (the province, its departments and communes) from the bundled real facts."""
    return units_from_facts(read_facts(BUNDLED_FACTS))


def with_schema(units: pl.DataFrame) -> pl.DataFrame:
    """A units frame from anywhere (a Parquet file, another module) with every contract column:
    absent optional ones (gso_code, valid_from, valid_to) as nulls, dates typed."""
    missing = [pl.lit(None, dtype=dtype).alias(c) for c, dtype in SCHEMA.items() if c not in units.columns]
    units = units.with_columns(missing) if missing else units
    return units.with_columns(
        pl.col(c).cast(pl.Date, strict=False) if units.schema[c] != pl.String else parse_date(c)
        for c in ("valid_from", "valid_to")
    )


def active_in(units: pl.DataFrame, start: object, end: object) -> pl.DataFrame:
    """Units that existed at some time between ``start`` and ``end`` (dates; open bounds kept)."""
    units = with_schema(units)
    return units.filter(
        (pl.col("valid_from").is_null() | (pl.col("valid_from") <= pl.lit(end)))
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.lit(start)))
    )
