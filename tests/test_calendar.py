"""The working-day calendar (analysis.contract.calendar) against known dates of 2024–2026 and beyond."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import polars as pl
import pytest

from analysis.contract import calendar as cal
from analysis.contract.periods import parse_period
from analysis.errors import InputError
from analysis.io.indicators import Window, on_time_expr


def _off(*days: date) -> list[date]:
    return [d for d in days if cal.is_working_day(d)]


def test_tet_2025_and_2026_are_off_and_the_weekdays_around_them_are_worked() -> None:
    assert cal.lunar_new_year(2025) == date(2025, 1, 29)
    assert cal.lunar_new_year(2026) == date(2026, 2, 17)
    # Tết Ất Tỵ: Monday 27/1 (28 tháng Chạp) to Friday 31/1/2025
    assert _off(*(date(2025, 1, d) for d in range(27, 32))) == []
    assert cal.is_working_day(date(2025, 1, 24)) and cal.is_working_day(date(2025, 2, 3))
    # Tết Bính Ngọ: Monday 16/2 (giao thừa) to Friday 20/2/2026, nine days with the weekends
    assert _off(*(date(2026, 2, d) for d in range(14, 23))) == []
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_reunification_and_labour_day_with_the_swapped_friday_of_2025() -> None:
    assert _off(date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2026, 4, 30), date(2026, 5, 1)) == []
    assert cal.is_working_day(date(2025, 4, 26))  # Saturday worked for Friday 2/5/2025
    assert cal.is_working_day(date(2024, 5, 4))  # Saturday worked for Monday 29/4/2024
    assert not cal.is_working_day(date(2024, 4, 29))


def test_national_day_with_its_added_day() -> None:
    assert _off(date(2024, 9, 2), date(2024, 9, 3), date(2025, 9, 1), date(2025, 9, 2), date(2026, 9, 1), date(2026, 9, 2)) == []
    assert cal.is_working_day(date(2024, 9, 4)) and cal.is_working_day(date(2025, 9, 3))
    # 2026: Monday 31/8 given off, Saturday 22/8 worked instead
    assert not cal.is_working_day(date(2026, 8, 31))
    assert cal.is_working_day(date(2026, 8, 22))
    assert cal.working_days(date(2026, 8, 1), date(2026, 8, 31)).len() == 21


def test_hung_kings_day_by_the_lunar_calendar_and_in_lieu_when_on_a_sunday() -> None:
    assert not cal.is_working_day(date(2024, 4, 18))
    assert not cal.is_working_day(date(2025, 4, 7))
    assert not cal.is_working_day(date(2026, 4, 27))  # 26/4/2026 is a Sunday: off on Monday 27/4


def test_new_year_2026_bridge_day_from_the_data_file() -> None:
    swap = next(s for s in cal.swaps() if s.off == date(2026, 1, 2))
    assert swap.worked == date(2026, 1, 10)
    assert "12729/VPCP-KGVX" in swap.decided_by
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))  # a Saturday
    assert not cal.is_working_day(date(2026, 1, 17))  # an ordinary Saturday
    assert cal.days_off(2026)[date(2026, 1, 2)].startswith("Ngày nghỉ hoán đổi")


def test_every_swap_gives_a_weekday_off_for_a_weekend_day_and_names_its_decision() -> None:
    assert {s.off.year for s in cal.swaps()} >= {2024, 2025, 2026}
    for swap in cal.swaps():
        assert swap.off.weekday() < 5 and not cal.is_working_day(swap.off)
        assert swap.worked is None or (swap.worked.weekday() >= 5 and cal.is_working_day(swap.worked))
        assert swap.decided_by.strip()


def test_years_without_a_table_still_have_tet_by_the_lunar_calendar() -> None:
    assert cal.lunar_new_year(2031) == date(2031, 1, 23)
    assert cal.lunar_new_year(2040) == date(2040, 2, 12)
    assert not cal.is_working_day(date(2040, 2, 13))
    # no swap is known for 2031: its working days are weekdays minus statutory holidays only
    weekdays = sum(1 for k in range(365) if (date(2031, 1, 1) + timedelta(days=k)).weekday() < 5)
    off_weekdays = sum(1 for d in cal.days_off(2031) if d.weekday() < 5)
    assert cal.working_days(date(2031, 1, 1), date(2031, 12, 31)).len() == weekdays - off_weekdays


def test_add_working_days_counts_from_the_first_working_day() -> None:
    assert cal.add_working_days(date(2026, 8, 1), 0) == date(2026, 8, 3)  # Saturday → Monday
    assert cal.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)  # the worked Saturday
    assert cal.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)  # over 29/8 – 2/9
    assert cal.add_working_days(date(2026, 9, 3), -1) == date(2026, 8, 28)


def test_working_days_between_counts_start_not_end_like_business_day_count() -> None:
    assert cal.working_days_between(date(2026, 8, 3), date(2026, 8, 10)) == 5
    assert cal.working_days_between(date(2026, 8, 10), date(2026, 8, 3)) == -5
    assert cal.working_days_between(date(2026, 8, 24), date(2026, 9, 7)) == 7  # 31/8, 1/9, 2/9 off
    # across the year: 29–31/12, then 1–2/1 off, 5–9/1 and Saturday 10/1 worked
    assert cal.working_days_between(date(2025, 12, 29), date(2026, 1, 12)) == 9


def _brute_count(start: date, end: date) -> int:
    lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
    return sign * sum(cal.is_working_day(lo + timedelta(days=k)) for k in range((hi - lo).days))


def test_the_expression_agrees_with_day_by_day_counting_on_datetimes_and_nulls() -> None:
    rng = random.Random(7)
    starts = [datetime(2023, 12, 1) + timedelta(hours=rng.randrange(0, 3 * 365 * 24)) for _ in range(300)]
    ends = [s + timedelta(hours=rng.randrange(-400, 2000)) for s in starts]
    frame = pl.DataFrame({"a": [*starts, None, starts[0]], "b": [*ends, ends[0], None]})
    counted = frame.with_columns(cal.working_days_between_expr(pl.col("a"), pl.col("b")).alias("n"))["n"].to_list()
    expected = [_brute_count(a.date(), b.date()) for a, b in zip(starts, ends, strict=True)]
    assert counted == [*expected, None, None]


def test_the_expressions_work_lazily_and_inside_an_aggregation() -> None:
    days = pl.date_range(date(2026, 8, 17), date(2026, 9, 6), "1d", eager=True)
    frame = pl.LazyFrame({"day": days, "group": ["a"] * 14 + ["b"] * 7})
    out = frame.group_by("group").agg(cal.is_working_day_expr(pl.col("day")).sum().alias("worked")).sort("group").collect()
    assert out["worked"].to_list() == [11, 2]  # 17–30/8 with Saturday 22/8; 31/8–6/9: only 3 and 4/9
    assert pl.DataFrame({"d": [None]}, schema={"d": pl.Date}).select(cal.is_working_day_expr(pl.col("d")))["d"].to_list() == [None]


def test_a_bad_swap_file_names_the_file_row_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bridge_days.yaml"
    bad.write_text("swaps:\n  - day_off: 2026-08-29\n    worked_instead: 2026-08-22\n    decided_by: x\n", encoding="utf-8")
    monkeypatch.setattr(cal, "BRIDGE_DAYS_FILE", bad)
    cal.swaps.cache_clear()
    try:
        with pytest.raises(InputError) as raised:
            cal.swaps()
        assert "bridge_days.yaml" in str(raised.value) and "day_off" in str(raised.value) and "row 1" in str(raised.value)
    finally:
        monkeypatch.undo()
        cal.swaps.cache_clear()


def test_the_on_time_rule_without_a_due_date_counts_the_calendars_working_days() -> None:
    """Named behaviour change: the rule counted Monday to Friday; it now skips holidays and bridge days
    and counts the Saturdays worked for them."""
    dossiers = pl.DataFrame(
        {
            # Friday 28/8 → Thursday 3/9/2026: only 28/8 is worked before the finish (31/8 off, 1–2/9 Quốc khánh);
            # Monday to Friday would count 4, over the limit of 2
            "received_at": [datetime(2026, 8, 28, 9), datetime(2026, 8, 21, 9)],
            # Friday 21/8 → Monday 24/8: 21/8 and the worked Saturday 22/8 make 2, over the limit of 1
            "finished_at": [datetime(2026, 9, 3, 10), datetime(2026, 8, 24, 10)],
            "time_limit_days": [2, 1],
        }
    ).with_columns(
        pl.lit(None, dtype=pl.Datetime("us")).alias("due_at"),
        pl.lit(0, dtype=pl.Int64).alias("supplement_requests"),
        pl.lit(None, dtype=pl.Datetime("us")).alias("supplement_requested_at"),
        pl.lit(None, dtype=pl.Datetime("us")).alias("supplement_received_at"),
        pl.lit(False).alias("supplement_pending"),
    )
    window = Window.of(parse_period("2026-08-01..2026-09-30"))
    assert dossiers.select(on_time_expr(window).alias("on_time"))["on_time"].to_list() == [True, False]


def test_every_swap_the_holidays_package_knows_for_2024_to_2026_is_in_the_data_file() -> None:
    """The package lists some decided days off, naming the Saturday worked for each only in the
    holiday's name: each must be a swap of the data file with that same worked Saturday."""
    worked = {s.off: s.worked for s in cal.swaps()}
    found = 0
    for year in (2024, 2025, 2026):
        for day, name in holidays.country_holidays("VN", years=year, language="vi").items():
            if str(name).startswith("Ngày nghỉ (thay cho ngày "):
                found += 1
                assert worked.get(day) == datetime.strptime(str(name)[-11:-1], "%d/%m/%Y").date(), (day, name)
    assert found >= 3
