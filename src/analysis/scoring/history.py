"""The history store (kho số liệu các kỳ): every period's facts with its capture date and source.

The portal's figures for a period keep changing while the period is open and even after it
closes (shared/spec/methodology-766.md, "Time"), so a figure is identified by its period **and**
its capture date (vintage, ``as_of``) and its source.  The store is a Parquet dataset, one file
per vintage::

    <store>/period=2026-08/as_of=2026-09-05/<source-slug>.parquet

Each file holds the facts columns (``as_of`` = the vintage's date) and ``source``.  Nothing is
ever overwritten: the same capture added again changes nothing, byte for byte; a later capture
of a period already held is a new file.  :func:`read` gives the latest vintage of every period
(or the figures as they stood on a date), :func:`vintages` what is held, :func:`diff` what
changed between the two latest vintages of a period.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.contract.periods import is_period, months_in, parse_period
from analysis.errors import InputError, Problem, fail
from analysis.io.load import ROW, fold_text, read_table, write_bytes_atomic
from analysis.paths import DATA
from analysis.scoring.facts import ALIASES, KEY, SCHEMA, check_facts, read_facts
from analysis.scoring.methodology import load_methodology
from analysis.scoring.score import score
from analysis.scoring.units import descendants, units_from_facts

DEFAULT_STORE = DATA / "history"
"""The store the command line and the report use when none is named (git-ignored)."""

FACTS_SCHEMA = pl.Schema(SCHEMA)
STORE_SCHEMA = pl.Schema({**SCHEMA, "source": pl.String})
VINTAGE_SCHEMA = pl.Schema({
    "period": pl.String,
    "as_of": pl.Date,
    "source": pl.String,
    "units": pl.Int64,
    "rows": pl.Int64,
    "provisional": pl.Boolean,
})
DIFF_SCHEMA = pl.Schema({
    "period": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "indicator": pl.String,
    "measure": pl.String,
    "old": pl.Float64,
    "new": pl.Float64,
    "old_as_of": pl.Date,
    "new_as_of": pl.Date,
    "old_source": pl.String,
    "new_source": pl.String,
})
MEASURES = ("numerator", "denominator", "published_score")
_SORT = ["unit_code", "indicator"]


@dataclass(frozen=True)
class Vintage:
    """One capture of one period from one source (một lần lấy số liệu của một kỳ)."""

    period: str
    as_of: datetime.date
    source: str
    units: int
    rows: int
    path: Path


@dataclass(frozen=True)
class AddResult:
    """What :func:`add` did: the vintages it wrote and those the store already held unchanged."""

    added: tuple[Vintage, ...]
    unchanged: tuple[Vintage, ...]

    def summary(self) -> str:
        lines = [f"added {v.period} as of {v.as_of.isoformat()} from {v.source}: {v.units} units, {v.rows} rows"
                 for v in self.added]
        lines += [f"already held, unchanged: {v.period} as of {v.as_of.isoformat()} from {v.source}"
                  for v in self.unchanged]
        return "\n".join(lines)


def source_slug(source: str) -> str:
    """A file name for a source: readable ASCII and a short hash of the exact text (no collisions)."""
    readable = re.sub(r"[^a-z0-9]+", "-", fold_text(source)).strip("-")[:40] or "source"
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


def vintage_path(store: Path, period: str, as_of: datetime.date, source: str) -> Path:
    return Path(store) / f"period={period}" / f"as_of={as_of.isoformat()}" / f"{source_slug(source)}.parquet"


def _typed(facts: pl.DataFrame, *, where: str) -> pl.DataFrame:
    """The facts columns, typed; a missing required column or a bad period is an input error."""
    missing = [c for c in ("period", "unit_code", "unit_name", "level", "parent_code", "indicator",
                           "numerator", "denominator") if c not in facts.columns]
    if missing:
        raise fail(where, f"not a facts table: column(s) {', '.join(missing)} missing")
    for optional in ("published_score", "as_of"):
        if optional not in facts.columns:
            facts = facts.with_columns(pl.lit(None).alias(optional))
    facts = facts.select(list(SCHEMA)).cast(FACTS_SCHEMA)
    bad = sorted({p for p in facts["period"].drop_nulls().unique().to_list() if not is_period(p)})
    if bad or facts["period"].null_count():
        raise fail(where, f"'{bad[0] if bad else ''}' is not a period", column="period")
    codes = {p: parse_period(p).code for p in facts["period"].unique().to_list()}
    return facts.with_columns(pl.col("period").replace_strict(codes, return_dtype=pl.String))


def _with_as_of(facts: pl.DataFrame, as_of: datetime.date | None, *, where: str) -> pl.DataFrame:
    if as_of is not None:
        return facts.with_columns(pl.lit(as_of, dtype=pl.Date).alias("as_of"))
    if facts["as_of"].null_count():
        raise fail(where, "rows without a capture date: give the date the figures were taken (--as-of 2026-09-05)",
                   column="as_of")
    return facts


def _duplicates(facts: pl.DataFrame, *, where: str) -> None:
    doubled = facts.filter(pl.len().over([*KEY, "as_of"]) > 1).unique([*KEY, "as_of"]).sort([*KEY])
    if doubled.height:
        raise InputError([
            Problem(where, f"more than one row for {p} / {u} / {i} captured on {d}", None, "indicator")
            for p, u, i, d in doubled.select(*KEY, "as_of").head(50).iter_rows()
        ])


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def add(store: Path, facts: pl.DataFrame, *, as_of: datetime.date | None, source: str) -> AddResult:
    """Add facts to the store, one vintage per period × capture date (thêm số liệu vào kho).

    ``as_of`` is the capture date of every row; without it each row's own ``as_of`` is used and a
    row without one is an input error.  A vintage already held with the same figures is left as
    it is (nothing is written); one held with different figures is an input error (a capture
    is never rewritten: give the later capture its own date or source).
    """
    where = str(source)
    if not source or not str(source).strip():
        raise fail(str(store), "a capture needs a source name (--source)")
    facts = _with_as_of(_typed(facts, where=where), as_of, where=where)
    if facts.is_empty():
        raise fail(where, "no rows to add")
    _duplicates(facts, where=where)
    facts = facts.with_columns(pl.lit(source, dtype=pl.String).alias("source"))
    added: list[Vintage] = []
    unchanged: list[Vintage] = []
    for (period, day), rows in sorted(facts.group_by(["period", "as_of"]), key=lambda g: (g[0][0], g[0][1])):
        rows = rows.select(list(STORE_SCHEMA)).sort(_SORT)
        target = vintage_path(store, period, day, source)
        vintage = Vintage(period, day, source, rows["unit_code"].n_unique(), rows.height, target)
        if target.is_file():
            held = pl.read_parquet(target)
            if held.equals(rows):
                unchanged.append(vintage)
                continue
            raise fail(target, f"the store already holds a different capture of {period} on {day.isoformat()} "
                               f"from '{source}': a capture is never rewritten (give its own --as-of or --source)")
        write_bytes_atomic(_parquet_bytes(rows), target)
        added.append(vintage)
    return AddResult(tuple(added), tuple(unchanged))


def published_to_facts(table: pl.DataFrame, *, where: str) -> pl.DataFrame:
    """A published scorecard (điểm công bố: one row per unit, a column per group) → facts.

    Each group score becomes a row with the group's code as indicator and the score as
    ``published_score`` (no counts), as the facts contract has the portal's published CLGQ.  The
    groups are the components of the portal's methodology (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH);
    an empty cell is no row (missing, not zero); ``total`` is their sum and is not kept.
    """

    components = load_methodology().components
    table = table.rename({c: c.upper() for c in table.columns if c.upper() in components})
    groups = [g for g in components if g in table.columns]
    if not groups:
        raise fail(where, "neither facts (indicator, numerator, denominator) nor published group scores "
                          f"({', '.join(load_methodology().components)})")
    units = [c for c in ("period", "unit_code", "unit_name", "level", "parent_code", "as_of") if c in table.columns]
    if ROW not in table.columns:
        table = table.with_row_index(ROW, offset=2)
    _refuse_what_cannot_be_facts(table, groups, units, where=where)
    long = table.select(ROW, *units, *[pl.col(g).cast(pl.String) for g in groups]).unpivot(
        index=[ROW, *units], on=groups, variable_name="indicator", value_name="published_score"
    ).filter(pl.col("published_score").is_not_null() & (pl.col("published_score").str.strip_chars() != ""))
    long = long.with_columns(pl.lit(None, dtype=pl.String).alias("numerator"), pl.lit(None, dtype=pl.String).alias("denominator"))
    long = long.with_columns(pl.col(ROW).cast(pl.Int64))
    # one capture date at a time: a file may hold several captures of the same period
    captures = long.partition_by("as_of", maintain_order=True) if "as_of" in long.columns else [long]
    return pl.concat([check_facts(c, source=where, methodology=load_methodology()) for c in captures])


PUBLISHED_EXTRA = ("total", "class", "rank", "change", "delta_total", "xep_loai", "tong_diem")
"""Columns of a published scorecard that are not kept as facts (the total is the sum of the groups)."""


def _refuse_what_cannot_be_facts(table: pl.DataFrame, groups: list[str], units: list[str], *, where: str) -> None:
    """A published column that is no group of the index, or a total without its groups, cannot become
    facts: said with file, row and column rather than dropped."""

    problems = [
        Problem(where, f"'{c}' is not a group of the portal's index ({', '.join(groups)}): such a table "
                       "(e.g. the five-group ONLINE_SERVICE) stays a published table, it cannot enter the store", None, c)
        for c in table.columns if c not in {ROW, *units, *groups, *PUBLISHED_EXTRA}
    ]
    if "total" in table.columns:
        bare = table.filter(pl.col("total").is_not_null() & pl.all_horizontal(pl.col(groups).is_null()))
        problems += [Problem(where, "a total without its group scores cannot enter the store as facts "
                                    "(keep totals-only figures as a published table)", row, "total")
                     for row in bare[ROW].to_list()]
    if problems:
        raise InputError(problems)


def read_capture(path: Path, *, period: str | None = None) -> pl.DataFrame:
    """Facts from a facts file, a published scorecard file, or a folder of saved portal responses."""

    target = Path(path)
    if not target.exists():
        raise fail(target, "no such file or folder")
    if target.is_dir() or target.suffix.lower() == ".json":
        return read_facts(target, period=period)
    raw = read_table(target, aliases=ALIASES)
    if "indicator" not in raw.columns:
        return published_to_facts(raw, where=str(target))
    if "as_of" not in raw.columns:
        return read_facts(target, period=period)
    # a file may hold several captures of a period: each is checked on its own
    return pl.concat([check_facts(part, source=str(target)) for part in raw.partition_by("as_of", maintain_order=True)])


def add_path(store: Path, path: Path, *, as_of: datetime.date | None = None, source: str | None = None,
             period: str | None = None) -> AddResult:
    """Add a facts file (CSV, Parquet, XLSX), a published scorecard or a folder of saved portal responses.

    ``source`` defaults to the file's or folder's name; ``period`` names the period of portal
    responses whose folder name does not say it.
    """
    target = Path(path)
    return add(store, read_capture(target, period=period), as_of=as_of, source=source or target.name)


def is_store(path: Path) -> bool:
    """Whether a folder is a history store (it holds ``period=…`` folders) rather than portal responses."""
    root = Path(path)
    return root.is_dir() and any(child.is_dir() and child.name.startswith("period=") for child in root.iterdir())


def _files(store: Path) -> list[Path]:
    root = Path(store)
    if not root.exists():
        return []
    if not root.is_dir():
        raise fail(root, "a history store is a folder")
    return sorted(root.glob("period=*/as_of=*/*.parquet"))


def _scan(store: Path) -> pl.DataFrame:
    files = _files(store)
    if not files:
        return pl.DataFrame(schema=STORE_SCHEMA)
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed").cast(STORE_SCHEMA)


def vintages(store: Path) -> pl.DataFrame:
    """What the store holds: one row per period × capture date × source, oldest first.

    ``provisional`` is true for a capture taken before its period ended (an open period).
    """
    held = _scan(store)
    if held.is_empty():
        return pl.DataFrame(schema=VINTAGE_SCHEMA)
    table = held.group_by("period", "as_of", "source").agg(
        pl.col("unit_code").n_unique().cast(pl.Int64).alias("units"), pl.len().cast(pl.Int64).alias("rows")
    )
    ends = {p: parse_period(p).end for p in table["period"].unique().to_list()}
    table = table.with_columns(
        (pl.col("as_of") <= pl.col("period").replace_strict(ends, return_dtype=pl.Date)).alias("provisional")
    )
    return table.select(list(VINTAGE_SCHEMA)).sort("period", "as_of", "source")


def _trees(held: pl.DataFrame) -> pl.DataFrame:
    """Every (unit_code, ancestor_code) pair of the units held, by their parent codes (cây đơn vị)."""

    return descendants(units_from_facts(held))


def _province_of(pairs: pl.DataFrame) -> pl.Expr:
    """Each row's top unit (the province whose tree holds it, tỉnh chủ quản)."""
    depth = pairs.group_by("unit_code").len()
    tops = depth.filter(pl.col("len") == 1)["unit_code"].to_list()
    top = pairs.filter(pl.col("ancestor_code").is_in(tops))
    return pl.col("unit_code").replace_strict(top["unit_code"].to_list(), top["ancestor_code"].to_list(),
                                              default=pl.col("unit_code"), return_dtype=pl.String)


def read(store: Path, *, periods: list[str] | None = None, as_of: datetime.date | None = None,
         source: str | None = None, scope: str | None = None) -> pl.DataFrame:
    """Facts of the periods held: for each period and province its latest capture (or the latest
    on ``as_of``).

    ``as_of`` gives the figures as they stood on that date (captures taken later are left out),
    so a report of last month rebuilds exactly.  ``source`` keeps one source's captures;
    ``scope`` one province's (the unit and every unit under it).  A store may hold several
    provinces captured on different dates: each province's figures are its own latest capture.
    Where several sources captured a province's period on its latest date, their rows are
    combined (a unit × indicator held by two is taken from the first source by name).
    ``as_of`` in the result is each row's capture date.
    """
    held = _scan(store)
    pairs = _trees(held)
    held = held.with_columns(_province_of(pairs).alias("_province"))
    if scope is not None:
        held = held.filter(pl.col("unit_code").is_in(pairs.filter(pl.col("ancestor_code") == scope)["unit_code"].to_list()))
    if periods is not None:
        wanted = [period_code(text, where=str(store)) for text in periods]
        held = held.filter(pl.col("period").is_in(wanted))
    if as_of is not None:
        held = held.filter(pl.col("as_of") <= as_of)
    if source is not None:
        held = held.filter(pl.col("source") == source)
    latest = held.filter(pl.col("as_of") == pl.col("as_of").max().over("period", "_province"))
    latest = latest.sort("period", "source", *_SORT).unique(list(KEY), keep="first", maintain_order=True)
    return latest.select(list(SCHEMA))


CATALOGUE_INDICATORS = (
    "ONLINE_PROVISION", "ONLINE_USAGE", "PAYMENT_FORMALITY", "FEE_INTEGRATED", "CITIZEN_DATA_CONNECTED_FORMALITY",
    "PUBLIC_CONTENT_FULL",
)
"""Indicators counting procedures of the catalogue: a state at a month's end, not a flow, so a longer
period takes its last month's figures.  Unverified against the portal's own quarter figures: a
setting (``derive_period(..., last_month=…)``)."""


def derive_period(facts: pl.DataFrame, period: str, methodology: object, *,
                  last_month: tuple[str, ...] = CATALOGUE_INDICATORS) -> pl.DataFrame:
    """Facts of a quarter, a year or a year to date from its months (cộng dồn các tháng).

    Counts are summed (numerators with numerators, denominators with denominators) and scored
    again; scores are never averaged.  Catalogue indicators (``last_month``) take the last
    month's figures.  What cannot be summed is left out, so it shows as missing, not as zero:
    published group scores without counts (the portal's CLGQ of departments and communes) and
    means (AVG_PROCESSING_DAYS).  Every month of the period must be held; a missing month is an
    input error naming it.  A unit takes its name, level and parent from its last month.
    """

    target = parse_period(period_code(period, where="period"))
    try:
        months = [m.code for m in months_in(target)]
    except ValueError as exc:
        raise fail("period", str(exc)) from None
    held = set(facts["period"].unique().to_list())
    missing = [m for m in months if m not in held]
    if missing:
        raise fail("period", f"{target.code} needs every month it covers; not held: {', '.join(missing)}")
    means = [i.id for i in methodology.indicators if i.measure != "ratio"]  # type: ignore[attr-defined]
    monthly = facts.filter(pl.col("period").is_in(months) & ~pl.col("indicator").is_in(
        [*methodology.components, *means]))  # type: ignore[attr-defined]
    units = monthly.sort("period").group_by("unit_code", maintain_order=True).agg(
        pl.col("unit_name", "level", "parent_code").last())

    def summed(column: str) -> pl.Expr:
        return pl.when(pl.col(column).is_null().all()).then(None).otherwise(pl.col(column).sum()).alias(column)

    flows = monthly.filter(~pl.col("indicator").is_in(last_month)).group_by("unit_code", "indicator").agg(
        summed("numerator"), summed("denominator"), pl.col("as_of").max())
    stocks = (monthly.filter(pl.col("indicator").is_in(last_month)).sort("period")
              .group_by("unit_code", "indicator").agg(pl.col("numerator", "denominator", "as_of").last()))
    derived = pl.concat([flows, stocks]).join(units, on="unit_code", how="left").with_columns(
        pl.lit(target.code).alias("period"), pl.lit(None, dtype=pl.Float64).alias("published_score"))
    return derived.select(list(SCHEMA)).cast(FACTS_SCHEMA).sort("unit_code", "indicator")


def with_period(facts: pl.DataFrame, period: str, methodology: object) -> pl.DataFrame:
    """``facts`` with ``period`` added, derived from its months when it is not held itself."""
    code = period_code(period, where="period")
    if code in set(facts["period"].unique().to_list()) or parse_period(code).kind == "month":
        return facts
    return pl.concat([facts, derive_period(facts, code, methodology)], how="vertical_relaxed")


def derived_against_held(facts: pl.DataFrame, period: str, methodology: object) -> pl.DataFrame:
    """A quarter or year scored from its months beside the portal's own figures for it, when both
    are at hand (số liệu tính từ các tháng và số liệu Cổng công bố cho cả kỳ).

    One row per unit held in both: ``derived`` (counts of the months summed, scored again),
    ``held`` (the period's own figures, scored) and ``difference``.  Empty when the period itself
    or one of its months is not held.
    """

    code = period_code(period, where="period")
    held = facts.filter(pl.col("period") == code)
    if held.is_empty() or parse_period(code).kind == "month":
        return pl.DataFrame()
    try:
        derived = derive_period(facts.filter(pl.col("period") != code), code, methodology)
    except InputError:
        return pl.DataFrame()
    own = score(held, methodology).scorecard.select("unit_code", "unit_name", "level", pl.col("total").alias("held"))  # type: ignore[arg-type]
    summed = score(derived, methodology).scorecard.select("unit_code", pl.col("total").alias("derived"))  # type: ignore[arg-type]
    return own.join(summed, on="unit_code", how="inner").with_columns(
        (pl.col("derived") - pl.col("held")).round(2).alias("difference")
    ).select("unit_code", "unit_name", "level", "derived", "held", "difference")


def check_against(facts: pl.DataFrame, methodology: object, *, where: str) -> pl.DataFrame:
    """Run the facts checks of a methodology (known indicators, numerators within denominators…)
    on facts read from a store, as a facts file gets them; every problem is an input error."""

    as_text = facts.with_columns(pl.all().cast(pl.String))
    return check_facts(as_text, source=where, methodology=methodology)  # type: ignore[arg-type]


def diff(store: Path, period: str) -> pl.DataFrame:
    """Every unit × indicator figure that changed between the two latest captures of ``period``.

    One row per changed measure (numerator, denominator, published score) with its old and new
    value; a unit or indicator present in one capture only shows the other side empty.  A store
    holding several provinces compares each province's own two latest captures (never one
    province's capture with another's).  Fewer than two captures: an empty table.
    """
    code = period_code(period, where=str(store))
    rows = _scan(store).filter(pl.col("period") == code)
    if rows.is_empty():
        raise fail(str(store), f"the store holds no capture of {code}")
    rows = rows.with_columns(_province_of(_trees(rows)).alias("_province"))
    parts = [_changed(capture, code) for _, capture in sorted(rows.group_by("_province"), key=lambda g: str(g[0][0]))]
    result = pl.concat([pl.DataFrame(schema=DIFF_SCHEMA), *parts]).cast(DIFF_SCHEMA)
    order = {m: i for i, m in enumerate(MEASURES)}
    return result.sort("unit_code", "indicator", pl.col("measure").replace_strict(order, return_dtype=pl.Int32))


def _changed(rows: pl.DataFrame, code: str) -> pl.DataFrame:
    """What changed between the two latest captures (date × source) among ``rows`` (one province)."""
    held = rows.select("as_of", "source").unique().sort("as_of", "source")
    if held.height < 2:
        return pl.DataFrame(schema=DIFF_SCHEMA)
    (old_day, old_source), (new_day, new_source) = held.tail(2).iter_rows()
    old = rows.filter((pl.col("as_of") == old_day) & (pl.col("source") == old_source))
    new = rows.filter((pl.col("as_of") == new_day) & (pl.col("source") == new_source))
    joined = old.join(new, on=["unit_code", "indicator"], how="full", coalesce=True, suffix="_new")
    parts = []
    for measure in MEASURES:
        before, after = pl.col(measure), pl.col(f"{measure}_new")
        changed = joined.filter(before.ne_missing(after))
        parts.append(changed.select(
            pl.lit(code).alias("period"), "unit_code",
            pl.coalesce("unit_name_new", "unit_name").alias("unit_name"), "indicator",
            pl.lit(measure).alias("measure"), before.alias("old"), after.alias("new"),
            pl.lit(old_day, dtype=pl.Date).alias("old_as_of"), pl.lit(new_day, dtype=pl.Date).alias("new_as_of"),
            pl.lit(old_source).alias("old_source"), pl.lit(new_source).alias("new_source"),
        ))
    return pl.concat(parts).cast(DIFF_SCHEMA)


def period_code(text: str, *, where: str) -> str:
    """The canonical code of a period written by a user (2026-q3 → 2026-Q3); an input error otherwise."""
    if not is_period(text):
        raise fail(where, f"'{text}' is not a period (2026-08, 2026-Q3, 2026)")
    return parse_period(text).code


def parse_as_of(text: str | None, *, where: str = "--as-of") -> datetime.date | None:
    """A capture date written ISO (2026-09-05) or Vietnamese style (05/09/2026)."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise fail(where, f"'{value}' is not a date (2026-09-05 or 05/09/2026)")


__all__ = ["AddResult", "DEFAULT_STORE", "Vintage", "add", "add_path", "derive_period", "derived_against_held", "diff",
           "with_period", "is_store", "parse_as_of", "period_code", "read",
           "vintages"]
