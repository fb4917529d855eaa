"""Time in the records: office hours, the seasons of the year, and dossier volumes per month.

Fewer dossiers on weekends and public holidays, the Tết slump (late January/February); working
days themselves come from :mod:`analysis.contract.calendar`.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import polars as pl

from analysis.contract.calendar import days_off, is_working_day, lunar_new_year
from analysis.contract.periods import parse_period
from analysis.errors import InputError, fail
from analysis.synthetic.randoms import py_rng

OPEN_MINUTES = (7 * 60 + 30, 11 * 60 + 30, 13 * 60 + 30, 17 * 60)
"""Office hours (giờ hành chính): 7:30–11:30 and 13:30–17:00."""
ONLINE_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 8, 10, 14, 15, 13, 10, 8, 8, 9, 8, 5, 3)
"""Relative weight of each hour of the day for online submissions."""


def _tet_factor(day: date) -> float:
    """The Tết slump: fewer dossiers in the weeks around Lunar New Year."""
    for year in (day.year, day.year + 1):
        tet = lunar_new_year(year)
        offset = (day - tet).days
        if -2 <= offset <= 5:
            return 0.15
        if -12 <= offset <= -3:
            return 0.8
        if 6 <= offset <= 14:
            return 0.75
    return 1.0


def day_weights(month: date) -> pl.DataFrame:
    """One row per day of a month: whether it is a working day and its relative volume per channel."""
    first = month.replace(day=1)
    days = [first + timedelta(days=k) for k in range(calendar.monthrange(first.year, first.month)[1])]
    off = days_off(first.year)
    rows = []
    for d in days:
        work = is_working_day(d)
        if work:
            counter, online = 1.0, 1.0
        elif d in off:
            counter, online = 0.01, 0.15
        elif d.weekday() == 5:
            counter, online = 0.12, 0.35
        else:
            counter, online = 0.02, 0.25
        factor = _tet_factor(d)
        rows.append((d, work, counter * factor, online * factor))
    return pl.DataFrame(rows, schema={"day": pl.Date, "workday": pl.Boolean, "counter": pl.Float64, "online": pl.Float64}, orient="row")


def month_weight(month: date) -> float:
    """Relative dossier volume of a month (sum of its daily weights; the seasonality of the series)."""
    w = day_weights(month)
    return float((0.7 * w["online"] + 0.3 * w["counter"]).sum())


def parse_months(text: str) -> list[date]:
    """``2026-08`` or ``2026-01..2026-12`` → the first day of every month in the range."""
    parts = [p.strip() for p in str(text).split("..")]
    if len(parts) > 2 or not all(parts):
        raise fail("--months", f"'{text}' is not a month or a range of months (use 2026-08 or 2026-01..2026-12)")
    try:
        periods = [parse_period(p) for p in parts]
    except (InputError, ValueError) as exc:
        raise fail("--months", f"'{text}' is not a month or a range of months ({exc})") from None
    if any(p.kind != "month" for p in periods):
        raise fail("--months", f"'{text}': give months (YYYY-MM), e.g. 2026-01..2026-12")
    start, end = periods[0].start, periods[-1].start
    if end < start:
        raise fail("--months", f"'{text}': the range ends before it starts")
    months, d = [], start
    while d <= end:
        months.append(d)
        d = date(d.year + (d.month == 12), 1 if d.month == 12 else d.month + 1, 1)
    return months


def month_end(month: date) -> date:
    """The last day of ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def snapshot_of(months: Sequence[date]) -> datetime:
    """The moment records are taken: the last second of the last month."""
    last = month_end(max(months))
    return datetime(last.year, last.month, last.day, 23, 59, 59)


def as_months(months: Sequence[date | str] | str) -> list[date]:
    """Months given as text (``2026-08``, ``2026-01..2026-12``) or dates → their first days, sorted, once each."""
    if isinstance(months, str):
        return parse_months(months)
    out = []
    for m in months:
        out.extend(parse_months(m) if isinstance(m, str) else [m.replace(day=1)])
    return sorted(set(out))


def at_working_day(workdays: pl.Series, idx: pl.Series, minutes: pl.Series) -> pl.Series:
    """Datetime of working day ``idx`` at ``minutes`` after midnight."""
    idx = idx.clip(0, workdays.len() - 1)
    days = workdays.gather(idx)
    offset = ((minutes * 60).floor().cast(pl.Int64) * 1_000_000).cast(pl.Duration("us"))
    return (days.cast(pl.Datetime("us")) + offset).rename("t")


# --------------------------------------------------------------------------------------------
# volumes


def _largest_remainder(expected: list[float], total: int) -> list[int]:
    floors = [math.floor(x) for x in expected]
    short = total - sum(floors)
    order = sorted(range(len(expected)), key=lambda i: (-(expected[i] - floors[i]), i))
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return floors


def monthly_counts(
    profiles: pl.DataFrame, months: Sequence[date], *, seed: int, dossiers: int | None = None, anchor: date = date(2026, 8, 1)
) -> pl.DataFrame:
    """Dossiers and petitions per unit × month.

    A unit's volume follows the seasonality of the calendar (month weights) around its anchor-month
    volume; in the anchor month itself it is exactly the real count. Other months get a little
    noise (±5 %). With ``dossiers`` the expected volumes are scaled so the total is exactly that.
    """
    base_w = month_weight(anchor)
    weights = {m: month_weight(m) / base_w for m in months}
    rows = []
    for unit, volume, petitions in profiles.select("unit_code", "volume", "petitions").iter_rows():
        for m in months:
            rng = py_rng(seed, "volume", unit, m.isoformat())
            noise = 1.0 if m == anchor else math.exp(rng.gauss(0.0, 0.05))
            rows.append((unit, m, (volume or 0.0) * weights[m] * noise, (petitions or 0.0) * weights[m] * noise, rng.random()))
    frame = pl.DataFrame(rows, schema={"unit_code": pl.String, "month": pl.Date, "e_d": pl.Float64, "e_p": pl.Float64, "_u": pl.Float64}, orient="row")
    if dossiers is not None:
        total = float(frame["e_d"].sum())
        scale = dossiers / total if total > 0 else 0.0
        counts = _largest_remainder([x * scale for x in frame["e_d"].to_list()], dossiers)
        pet = [x * scale for x in frame["e_p"].to_list()]
    else:
        counts = [round(x) for x in frame["e_d"].to_list()]
        pet = frame["e_p"].to_list()
    # petitions are few: round stochastically so small expected counts still appear sometimes
    pet_counts = [math.floor(x) + (u < x - math.floor(x)) for x, u in zip(pet, frame["_u"].to_list(), strict=True)]
    return frame.select("unit_code", "month").with_columns(
        pl.Series("dossiers", counts, dtype=pl.Int64), pl.Series("petitions", pet_counts, dtype=pl.Int64)
    )

