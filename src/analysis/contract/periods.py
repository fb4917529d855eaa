"""Reporting periods (kỳ báo cáo): a month, a quarter, a year or a date range.

``2026-08`` (tháng), ``2026-Q3`` (quý), ``2026`` (năm), ``2026-08-01..2026-08-15`` (khoảng ngày).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A closed interval of days with the kind of period it is."""

    start: date
    end: date
    kind: str  # "month" | "quarter" | "year" | "range"

    @property
    def code(self) -> str:
        """The canonical text form used in tables (``2026-08``, ``2026-Q3``, ``2026``, ``a..b``)."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self, language: str = "vi") -> str:
        """A reader's label: ``tháng 8/2026``, ``quý III/2026``, ``năm 2026`` (or English)."""
        y = self.start.year
        if self.kind == "month":
            return f"tháng {self.start.month}/{y}" if language == "vi" else self.start.strftime("%B %Y")
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return f"quý {ROMAN[q]}/{y}" if language == "vi" else f"Q{q} {y}"
        if self.kind == "year":
            return f"năm {y}" if language == "vi" else f"{y}"
        if language == "vi":
            return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"

    def previous(self) -> Period:
        """The period of the same kind just before this one (same length for a range)."""
        if self.kind == "month":
            return month(self.start.year - (self.start.month == 1), 12 if self.start.month == 1 else self.start.month - 1)
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return quarter(self.start.year - (q == 1), 4 if q == 1 else q - 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end, "range")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def months_in(period: Period) -> list[Period]:
    """The whole months a period covers (a range must start and end on month boundaries)."""
    found: list[Period] = []
    current = month(period.start.year, period.start.month)
    while current.start <= period.end:
        found.append(current)
        nxt = current.end + timedelta(days=1)
        current = month(nxt.year, nxt.month)
    if found[0].start != period.start or found[-1].end != period.end:
        raise ValueError(f"{period.code} does not cover whole months")
    return found


def year_to_date(last_month: Period) -> Period:
    """From 1 January to the end of ``last_month`` (lũy kế từ đầu năm): a year when it is December."""
    if last_month.kind != "month":
        raise ValueError(f"year to date ends with a month, not {last_month.code}")
    if last_month.start.month == 12:
        return year(last_month.start.year)
    return Period(date(last_month.start.year, 1, 1), last_month.end, "range")


def month(y: int, m: int) -> Period:
    start = date(y, m, 1)
    end = date(y + (m == 12), 1 if m == 12 else m + 1, 1) - timedelta(days=1)
    return Period(start, end, "month")


def quarter(y: int, q: int) -> Period:
    start = date(y, 3 * (q - 1) + 1, 1)
    end = month(y, 3 * q).end
    return Period(start, end, "quarter")


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year")


def parse_period(text: object) -> Period:
    """Parse a period code; raises ``ValueError`` with a reader's message when it is not one."""
    value = str(text).strip()
    try:
        if m := _MONTH.match(value):
            if not 1 <= int(m[2]) <= 12:
                raise ValueError
            return month(int(m[1]), int(m[2]))
        if m := _QUARTER.match(value):
            return quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(value):
            return year(int(m[1]))
        if m := _RANGE.match(value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start:
                raise ValueError
            return Period(start, end, "range")
    except ValueError:
        pass
    raise ValueError(
        f"'{value}' is not a period: use 2026-08 (month), 2026-Q3 (quarter), 2026 (year) "
        "or 2026-08-01..2026-08-15 (date range)"
    )


def is_period(text: object) -> bool:
    try:
        parse_period(text)
    except ValueError:
        return False
    return True
