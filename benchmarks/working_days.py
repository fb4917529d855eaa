"""Time the working-day count of the on-time rule on many rows: the calendar's expression against
polars' own Monday-to-Friday ``business_day_count`` (which knows no holidays).

    python benchmarks/working_days.py [ROWS]     (default 5.000.000)

Rows are receipt/finish pairs spread over 2024–2026, 0 to 40 days apart. Prints seconds per
method (best of three) and how many rows the two counts differ on (the holidays and bridge days).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

import polars as pl

from analysis.contract.calendar import working_days_between_expr


def pairs(rows: int) -> pl.DataFrame:
    start = pl.datetime_range(datetime(2024, 1, 1), datetime(2026, 12, 31), "15s", eager=True).head(rows)
    spread = (pl.int_range(0, start.len(), eager=True) * 7919) % (40 * 24 * 60)
    frame = pl.DataFrame({"received_at": start, "minutes": spread})
    return frame.select("received_at", (pl.col("received_at") + pl.duration(minutes=pl.col("minutes"))).alias("end"))


def best_of_three(frame: pl.DataFrame, expr: pl.Expr) -> tuple[float, pl.Series]:
    best, out = float("inf"), pl.Series()
    for _ in range(3):
        began = time.perf_counter()
        out = frame.select(expr.alias("n"))["n"]
        best = min(best, time.perf_counter() - began)
    return best, out


def main(argv: list[str]) -> None:
    rows = int(argv[0]) if argv else 5_000_000
    frame = pairs(rows)
    ours, counted = best_of_three(frame, working_days_between_expr(pl.col("received_at"), pl.col("end")))
    plain, weekdays = best_of_three(frame, pl.business_day_count(pl.col("received_at").dt.date(), pl.col("end").dt.date()))
    differ = int((counted != weekdays).sum())
    print(f"rows                                   {frame.height:,}".replace(",", "."))
    print(f"calendar (holidays, bridge days)  s    {ours:.3f}")
    print(f"business_day_count (Mon–Fri)      s    {plain:.3f}")
    print(f"rows whose count differs               {differ:,}".replace(",", "."))


if __name__ == "__main__":
    main(sys.argv[1:])
