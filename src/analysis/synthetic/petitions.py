"""Petitions (phản ánh, kiến nghị) received in one month by a set of units."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from analysis.contract.calendar import working_days
from analysis.synthetic.randoms import key_of, uniform
from analysis.synthetic.schema import PETITION_SCHEMA
from analysis.synthetic.seasons import OPEN_MINUTES, at_working_day, month_end


def petition_chunk(profiles: pl.DataFrame, counts: pl.DataFrame, month: date, snapshot: datetime, *, seed: int, chunk: str) -> pl.DataFrame:
    """Petitions (phản ánh, kiến nghị) received in one month: due 10 working days after receipt.

    Late ones are received early enough that their due date falls inside the month (so they are
    late for the month whether or not they are resolved yet); unsatisfied on-time ones make the
    handling-satisfaction rate the unit's real one.
    """
    key0 = key_of(seed, "petitions", chunk, month.isoformat())
    units = profiles.join(counts, on="unit_code", how="inner").filter(pl.col("n") > 0).with_row_index("_unit")
    if units.height == 0:
        return pl.DataFrame(schema=PETITION_SCHEMA)
    frame = units.select(
        "_unit", "unit_code", "p_pet_on_time", "q_pet_unsat", "p_pet_tthc", "p_pet_staff", pl.int_ranges(0, pl.col("n")).alias("_seq")
    ).explode("_seq")
    k = pl.lit(key0, dtype=pl.UInt64) + pl.int_range(pl.len(), dtype=pl.UInt64)
    frame = frame.with_columns(k.alias("_key"))
    k = pl.col("_key")
    last_day = month_end(month)
    workdays = working_days(month - timedelta(days=1), last_day + timedelta(days=200))
    month_days = workdays.filter((workdays >= month) & (workdays <= last_day))
    limit = 10
    first_idx = workdays.search_sorted(pl.Series([month], dtype=pl.Date), side="left")[0]
    early = max(month_days.len() - limit, 1)  # working days whose due date stays inside the month
    frame = frame.with_columns(
        (uniform(k, 1) < pl.col("p_pet_on_time")).alias("_on_time"),
        uniform(k, 2).alias("_d"), uniform(k, 3).alias("_t"), uniform(k, 4).alias("_f"), uniform(k, 5).alias("_c"),
        uniform(k, 6).alias("_u"), uniform(k, 7).alias("_x"),
    )
    span = pl.when(pl.col("_on_time")).then(month_days.len()).otherwise(early)
    frame = frame.with_columns((pl.lit(first_idx) + (pl.col("_d") * span).floor().cast(pl.Int64)).alias("_ridx"))
    recv = at_working_day(workdays, frame["_ridx"], OPEN_MINUTES[0] + frame["_t"] * (OPEN_MINUTES[3] - OPEN_MINUTES[0]))
    due_idx = frame["_ridx"] + limit
    due = at_working_day(workdays, due_idx, pl.Series([float(OPEN_MINUTES[3])] * frame.height))
    on_idx = frame["_ridx"] + (frame["_f"] * (limit + 1)).floor().cast(pl.Int64).clip(0, limit)
    late_idx = due_idx + 1 + (frame["_f"] * 8).floor().cast(pl.Int64)
    res_idx = pl.select(pl.when(frame["_on_time"]).then(on_idx).otherwise(late_idx)).to_series()
    res_minute = OPEN_MINUTES[0] + frame["_x"] * (OPEN_MINUTES[3] - OPEN_MINUTES[0])
    same = res_idx == frame["_ridx"]
    recv_minute = recv.dt.hour().cast(pl.Float64) * 60 + recv.dt.minute().cast(pl.Float64) + 1
    res_minute = pl.select(pl.when(same).then(recv_minute + frame["_x"] * (OPEN_MINUTES[3] - recv_minute).clip(0)).otherwise(res_minute)).to_series()
    resolved = at_working_day(workdays, res_idx, res_minute)
    frame = frame.with_columns(recv.alias("received_at"), due.alias("due_at"), resolved.alias("_res"))
    return frame.sort("_unit", "received_at", maintain_order=True).with_columns(
        pl.when(pl.col("_res") <= pl.lit(snapshot)).then(pl.col("_res")).alias("resolved_at"),
        pl.when(pl.col("_c") < pl.col("p_pet_tthc")).then(pl.lit("tthc"))
        .when(pl.col("_c") < pl.col("p_pet_tthc") + pl.col("p_pet_staff")).then(pl.lit("staff"))
        .otherwise(pl.lit("other")).alias("category"),
        # a late petition still open at the end of its month is followed by a repeat complaint
        pl.when(pl.col("_on_time")).then(pl.col("_u") < pl.col("q_pet_unsat"))
        .when(pl.col("_res") > pl.lit(datetime.combine(last_day, datetime.max.time()))).then(True)
        .otherwise(pl.col("_u") < 0.5).alias("unsatisfied"),
        pl.format("PAKN-{}-{}-{}", pl.col("unit_code"), pl.lit(f"{month.year % 100:02d}{month.month:02d}"),
                  (pl.int_range(pl.len()).over("_unit") + 1).cast(pl.String).str.zfill(4)).alias("petition_id"),
    ).select(list(PETITION_SCHEMA)).cast(PETITION_SCHEMA)

