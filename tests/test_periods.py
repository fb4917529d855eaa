from datetime import date

import pytest

from analysis.contract.periods import parse_period


@pytest.mark.parametrize(
    "code,start,end,previous",
    [
        ("2026-08", date(2026, 8, 1), date(2026, 8, 31), "2026-07"),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "2025-12"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4"),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "2023"),
        ("2026-08-01..2026-08-15", date(2026, 8, 1), date(2026, 8, 15), "2026-07-17..2026-07-31"),
    ],
)
def test_periods(code, start, end, previous):
    p = parse_period(code)
    assert (p.start, p.end, p.code, p.previous().code) == (start, end, code, previous)


def test_vietnamese_labels():
    assert parse_period("2026-08").label() == "tháng 8/2026"
    assert parse_period("2026-Q3").label() == "quý III/2026"


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "26-08", "2026-08-15..2026-08-01", "tháng 8"])
def test_bad_periods(bad):
    with pytest.raises(ValueError, match="is not a period"):
        parse_period(bad)


def test_months_in_a_period():
    from analysis.contract.periods import months_in

    assert [m.code for m in months_in(parse_period("2026-Q3"))] == ["2026-07", "2026-08", "2026-09"]
    assert len(months_in(parse_period("2025"))) == 12
    assert [m.code for m in months_in(parse_period("2026-01-01..2026-02-28"))] == ["2026-01", "2026-02"]
    with pytest.raises(ValueError, match="whole months"):
        months_in(parse_period("2026-01-01..2026-02-27"))
