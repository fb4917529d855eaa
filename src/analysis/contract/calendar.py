"""Working days (ngày làm việc) of Vietnam's public offices, for any year.

A working day is Monday to Friday, except a public holiday (ngày nghỉ lễ, Tết) or a day off in
lieu of one that fell on a weekend (nghỉ bù) — both from the ``holidays`` package's Vietnam
calendar, Tết by the lunar calendar — or a weekday given off by a government decision to bridge a
holiday to a weekend (ngày nghỉ hoán đổi). The Saturday worked in its place (ngày làm bù) is a
working day. The decided swaps are data (``bridge_days.yaml``, each with the document that
decided it); a year without one simply has none.

Two forms: plain functions on dates (:func:`is_working_day`, :func:`add_working_days`,
:func:`working_days_between`, :func:`working_days`) and polars expressions for frames
(:func:`is_working_day_expr`, :func:`working_days_between_expr`), vectorised through a table of
working-day ordinals for the years a column spans (built once per span and kept).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from analysis.contract import package_yaml
from analysis.errors import fail

if TYPE_CHECKING:
    import holidays

BRIDGE_DAYS_FILE = Path(__file__).with_name("bridge_days.yaml")
"""The government's swaps of working days, each named by its decision."""
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Swap:
    """A weekday given off (``off``) and the weekend day worked instead (``worked``; None if none was set)."""

    off: date
    worked: date | None
    occasion: str
    decided_by: str


def _read_swap(entry: object, number: int) -> Swap:
    """One entry of the swaps file, checked: a weekday off, a weekend day worked, the decision named."""
    if not isinstance(entry, dict):
        raise fail(BRIDGE_DAYS_FILE, "each swap is a mapping with day_off, worked_instead, occasion, decided_by", row=number)
    off, worked = entry.get("day_off"), entry.get("worked_instead")
    decided_by, occasion = entry.get("decided_by"), entry.get("occasion", "")
    if not isinstance(off, date) or off.weekday() >= 5:
        raise fail(BRIDGE_DAYS_FILE, f"'day_off' must be a weekday date (YYYY-MM-DD), not {off!r}", row=number, column="day_off")
    if worked is not None and (not isinstance(worked, date) or worked.weekday() < 5):
        raise fail(BRIDGE_DAYS_FILE, f"'worked_instead' must be a Saturday or Sunday, not {worked!r}", row=number, column="worked_instead")
    if not isinstance(decided_by, str) or not decided_by.strip():
        raise fail(BRIDGE_DAYS_FILE, "every swap names the decision that made it (decided_by)", row=number, column="decided_by")
    return Swap(off=off, worked=worked, occasion=str(occasion), decided_by=decided_by)


@functools.cache
def swaps() -> tuple[Swap, ...]:
    """The decided swaps of working days (``bridge_days.yaml``), in file order."""
    data = package_yaml(BRIDGE_DAYS_FILE.read_text(encoding="utf-8")) or {}
    entries = data.get("swaps") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise fail(BRIDGE_DAYS_FILE, "expected a list under 'swaps'")
    return tuple(_read_swap(entry, number) for number, entry in enumerate(entries, start=1))


def _vietnam(year: int) -> holidays.HolidayBase:
    """Vietnam's public holidays of ``year`` (the package loads only when a date is counted: the
    ``facts`` command on exports without time limits never needs it)."""
    import holidays

    return holidays.country_holidays("VN", years=year, language="vi")


@functools.lru_cache(maxsize=256)
def days_off(year: int) -> dict[date, str]:
    """Weekdays and weekend days that are not worked in ``year`` for a holiday, with their names (Vietnamese).

    Public holidays and days off in lieu from the ``holidays`` package, plus the days given off by
    a decided swap. Weekends are not listed (they are off unless worked, see :func:`worked_weekend_days`).
    """
    named: dict[date, str] = {day: str(name) for day, name in _vietnam(year).items()}
    for swap in swaps():
        if swap.off.year == year:
            named.setdefault(swap.off, f"Ngày nghỉ hoán đổi ({swap.occasion})")
    return dict(sorted(named.items()))


@functools.lru_cache(maxsize=256)
def worked_weekend_days(year: int) -> frozenset[date]:
    """Saturdays (or Sundays) worked in place of a swapped weekday (ngày làm bù) in ``year``."""
    return frozenset(s.worked for s in swaps() if s.worked is not None and s.worked.year == year)


def is_working_day(day: date) -> bool:
    """Whether public offices work on ``day``."""
    if day in worked_weekend_days(day.year):
        return True
    return day.weekday() < 5 and day not in days_off(day.year)


def lunar_new_year(year: int) -> date:
    """Mùng 1 Tết Nguyên đán of ``year`` (by the Vietnamese lunar calendar)."""
    named = _vietnam(year)
    found = [day for day in named.get_named("Tết Nguyên Đán", lookup="exact") if day.year == year]
    if not found:
        raise ValueError(f"no Lunar New Year found for {year}")
    return min(found)


def add_working_days(day: date, n: int) -> date:
    """The working day ``n`` working days after ``day`` (before it when ``n`` < 0).

    Counting starts from ``day`` when it is a working day, otherwise from the next working day
    (so ``n = 0`` gives the first working day on or after ``day``).
    """
    current = day
    while not is_working_day(current):
        current += timedelta(days=1)
    step = timedelta(days=1 if n >= 0 else -1)
    for _ in range(abs(n)):
        current += step
        while not is_working_day(current):
            current += step
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days from ``start`` (counted) to ``end`` (not counted); negative when ``end`` is before ``start``.

    The same convention as :func:`polars.business_day_count`.
    """
    ordinals = _lookup(pl.Series([start, end], dtype=pl.Date), "ordinal", pl.Int64)
    return int(ordinals[1] - ordinals[0])


def working_days(start: date, end: date) -> pl.Series:
    """Working days from ``start`` to ``end`` inclusive, as a sorted Date series named ``workday``."""
    table = _year_table(start.year, end.year)
    return table.filter(pl.col("working") & pl.col("day").is_between(start, end))["day"].rename("workday")


@functools.lru_cache(maxsize=32)
def _year_table(first_year: int, last_year: int) -> pl.DataFrame:
    """Every day of the years ``first_year``..``last_year``: whether it is worked, and the working days before it."""
    off: list[date] = []
    worked: list[date] = []
    for year in range(first_year, last_year + 1):
        off.extend(days_off(year))
        worked.extend(worked_weekend_days(year))
    days = pl.date_range(date(first_year, 1, 1), date(last_year, 12, 31), "1d", eager=True).alias("day")
    working = ((days.dt.weekday() <= 5) & ~days.is_in(off)) | days.is_in(worked)
    table = pl.DataFrame({"day": days, "working": working})
    return table.with_columns((pl.col("working").cast(pl.Int64).cum_sum() - pl.col("working").cast(pl.Int64)).alias("ordinal"))


def _lookup(days: pl.Series, column: str, dtype: type[pl.DataType], span: pl.Series | None = None) -> pl.Series:
    """Per date: ``column`` (``ordinal`` or ``working``) of the table of the years ``span`` covers.

    ``ordinal`` is the working days before the date since the table's start. ``span``: the dates
    whose years the table must cover (default ``days``); null dates stay null.
    """
    span = days if span is None else span
    lo, hi = span.min(), span.max()
    if not isinstance(lo, date) or not isinstance(hi, date):
        return pl.Series(days.name, [None] * days.len(), dtype=dtype)
    table = _year_table(lo.year, hi.year)
    index = days.cast(pl.Int64) - (date(lo.year, 1, 1) - _EPOCH).days
    return table[column].gather(index).rename(days.name)


def _between_batch(pair: pl.Series) -> pl.Series:
    start, end = pair.struct.field("start"), pair.struct.field("end")
    span = pl.concat([start, end])
    return (_lookup(end, "ordinal", pl.Int64, span) - _lookup(start, "ordinal", pl.Int64, span)).rename("working_days")


def working_days_between_expr(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Expression: working days from ``start`` (counted) to ``end`` (not counted), per row.

    Dates or datetimes (the date part counts); null where either is null. Vectorised: one
    ordinal table for the years the column spans, looked up by position.
    """
    pair = pl.struct(start.cast(pl.Date).alias("start"), end.cast(pl.Date).alias("end"))
    return pair.map_batches(_between_batch, return_dtype=pl.Int64, is_elementwise=True)


def _working_batch(days: pl.Series) -> pl.Series:
    return _lookup(days, "working", pl.Boolean)


def is_working_day_expr(day: pl.Expr) -> pl.Expr:
    """Expression: whether each date (or the date part of a datetime) is a working day; null stays null."""
    return day.cast(pl.Date).map_batches(_working_batch, return_dtype=pl.Boolean, is_elementwise=True)
