"""Dossiers (hồ sơ) received in one month by a set of units, drawn row by row from their profiles.

Receipt times follow the seasons (fewer on weekends and holidays, the Tết slump) and office hours
(online dossiers at any hour); due dates are counted in working days from each procedure's legal
time limit; every flag is drawn with the unit's real ratio.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from analysis.contract.calendar import working_days
from analysis.synthetic.catalogue import draw_table
from analysis.synthetic.personal import with_fake_personal_data
from analysis.synthetic.profiles import FLAG_INDICATORS
from analysis.synthetic.randoms import key_of, uniform
from analysis.synthetic.schema import DOSSIER_SCHEMA
from analysis.synthetic.seasons import ONLINE_HOURS, OPEN_MINUTES, at_working_day, day_weights, month_end

STATUS_TERMINAL = (("finished", 0.70), ("returned", 0.25), ("rejected", 0.02), ("withdrawn", 0.02), ("stopped", 0.01))


def pick(cum_starts: pl.Series, values: pl.Series) -> pl.Series:
    """Index of the last start ≤ value (inverse-CDF draw on laid-end-to-end cells)."""
    return (cum_starts.search_sorted(values, side="right").cast(pl.Int64) - 1).clip(0)


def _triangular_to_uniform(s: pl.Expr) -> pl.Expr:
    """(a + b) / 2 of two uniforms back to a uniform (its CDF), for correlated flags."""
    return pl.when(s <= 0.5).then(2 * s * s).otherwise(1 - 2 * (1 - s) * (1 - s))


def _receipt_times(frame: pl.DataFrame, month: date, key: pl.Expr) -> pl.DataFrame:
    """Receipt day (weekday and holiday weights, per channel) and time of day (office hours; online any hour)."""
    weights = day_weights(month)
    n_days = weights.height
    starts = []
    for col in ("counter", "online"):
        w = weights[col]
        starts.append((w.cum_sum() - w) / w.sum())
    day_starts = pl.concat([starts[0], starts[1] + 1.0])
    hour_w = pl.Series(ONLINE_HOURS, dtype=pl.Float64)
    hour_starts = (hour_w.cum_sum() - hour_w) / hour_w.sum()
    frame = frame.with_columns(
        ((pl.col("channel") == "online").cast(pl.Float64) + uniform(key, 101)).alias("_dv"),
        uniform(key, 102).alias("_hv"),
        uniform(key, 103).alias("_mv"),
    )
    day_idx = pick(day_starts, frame["_dv"]) % n_days
    hour = pick(hour_starts, frame["_hv"])
    frame = frame.with_columns(day_idx.alias("_day"), hour.alias("_hour"))
    first = datetime(month.year, month.month, 1)
    morning = OPEN_MINUTES[1] - OPEN_MINUTES[0]
    afternoon = OPEN_MINUTES[3] - OPEN_MINUTES[2]
    office_min = (pl.col("_mv") * (morning + afternoon))
    counter_minute = pl.when(office_min < morning).then(OPEN_MINUTES[0] + office_min).otherwise(
        OPEN_MINUTES[2] + office_min - morning
    )
    online_minute = pl.col("_hour") * 60 + pl.col("_mv") * 60
    minute = pl.when(pl.col("channel") == "online").then(online_minute).otherwise(counter_minute)
    seconds = (minute * 60).floor().cast(pl.Int64)
    return frame.with_columns(
        (pl.lit(first) + pl.duration(days=pl.col("_day"), seconds=seconds)).alias("received_at"),
    ).drop("_dv", "_hv", "_mv", "_hour")


def _working_day_arithmetic(frame: pl.DataFrame, workdays: pl.Series) -> pl.DataFrame:
    """Due date = the L-th working day after the first working moment (17:00 of that day).

    ``_start_idx``: index in ``workdays`` of the first working day at or after receipt (the next
    one when received after 17:00); ``_due_idx`` = start + time limit.
    """
    received_day = frame["received_at"].dt.date()
    after_hours = frame["received_at"].dt.hour() >= 17
    start_day = (received_day.cast(pl.Int32) + after_hours.cast(pl.Int32)).cast(pl.Date)
    start_idx = workdays.search_sorted(start_day, side="left").cast(pl.Int64)
    return frame.with_columns(start_idx.alias("_start_idx"), (start_idx + pl.col("time_limit_days")).alias("_due_idx"))


def _drawn(units: pl.DataFrame, draw: pl.DataFrame, key0: int) -> pl.DataFrame:
    """One row per dossier: its key, channel, fee, whether it will be on time, and its procedure."""
    frame = units.select(
        "_unit", "unit_code", "p_on_time", "q_unsat", "p_fee", "p_paid", *[f"p_{f}" for f in FLAG_INDICATORS],
        "p_online", "p_direct", pl.int_ranges(0, pl.col("n")).alias("_seq"),
    ).explode("_seq")
    key = (pl.lit(key0, dtype=pl.UInt64) + pl.int_range(pl.len(), dtype=pl.UInt64)).alias("_key")
    frame = frame.with_columns(key)
    k = pl.col("_key")
    frame = frame.with_columns(uniform(k, 1).alias("_ch"))
    frame = frame.with_columns(
        pl.when(pl.col("_ch") < pl.col("p_online")).then(pl.lit("online"))
        .when(pl.col("_ch") < pl.col("p_online") + pl.col("p_direct")).then(pl.lit("direct"))
        .otherwise(pl.lit("postal")).alias("channel"),
        (uniform(k, 2) < pl.col("p_fee")).alias("fee_required"),
        (uniform(k, 3) < pl.col("p_on_time")).alias("_on_time"),
    )
    # procedure: drawn within the unit's procedures of the same fee status (and online-capable if online)
    cell = pl.col("_unit") * 4 + pl.col("fee_required").cast(pl.Int64) * 2 + (pl.col("channel") == "online").cast(pl.Int64)
    frame = frame.with_columns((cell.cast(pl.Float64) + uniform(k, 4)).alias("_pv"))
    unit_index = units.select("unit_code", "_unit")
    table = draw_table(draw, unit_index)
    pos = pick(table["_start"], frame["_pv"])
    return frame.with_columns(
        table["procedure_code"].gather(pos).alias("procedure_code"),
        table["time_limit_days"].gather(pos).alias("time_limit_days"),
        table["fee_amount"].gather(pos).alias("fee_amount"),
    )


def _finish_index(frame: pl.DataFrame, workdays: pl.Series, u: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Per dossier: whether it is issued on the spot (no due date), and the index of its finishing working day.

    Dossiers received on a working day before 16:00 are sometimes issued on the spot; on time: k ≤ L
    working days after the start; overdue: 1 + geometric extra working days after the due date.
    """
    received_day = frame["received_at"].dt.date()
    on_spot = (
        frame["_on_time"] & (u["a"] < 0.01) & (frame["received_at"].dt.hour() < 16)
        & (workdays.gather(frame["_start_idx"].clip(0, workdays.len() - 1)) == received_day)
    )
    k_on = (u["b"] * (frame["time_limit_days"] + 1)).floor().cast(pl.Int64).clip(0, None)
    k_on = pl.select(pl.min_horizontal(k_on, frame["time_limit_days"])).to_series()
    k_on = pl.select(pl.when(on_spot).then(0).otherwise(k_on)).to_series()
    finish_idx_on = frame["_start_idx"] + k_on
    extra = (-(1 - u["b"]).log() * 3.0).floor().cast(pl.Int64)
    finish_idx_late = frame["_due_idx"] + 1 + extra
    finish_idx = pl.select(pl.when(frame["_on_time"]).then(finish_idx_on).otherwise(finish_idx_late)).to_series()
    return on_spot, finish_idx


def _supplements(frame: pl.DataFrame, d: pl.Series, due_in_month: pl.Series) -> pl.Series:
    """Supplement requests (yêu cầu bổ sung): on time ≤ 1; overdue whose due date is after the month: ≥ 2."""
    supp_on = (d < 0.12).cast(pl.Int64)
    supp_late_in = pl.select(pl.when(d < 0.55).then(0).when(d < 0.85).then(1).otherwise(2 + (d > 0.95).cast(pl.Int64))).to_series()
    supp_late_out = 2 + (d > 0.7).cast(pl.Int64) + (d > 0.93).cast(pl.Int64)
    return pl.select(
        pl.when(frame["_on_time"]).then(supp_on).when(due_in_month).then(supp_late_in).otherwise(supp_late_out)
    ).to_series()


def _scheduled(frame: pl.DataFrame, month: date, k: pl.Expr) -> pl.DataFrame:
    """Due date, finishing moment (office hours, not before receipt), supplement requests, on-the-spot issue."""
    last_day = month_end(month)
    workdays = working_days(month - timedelta(days=1), last_day + timedelta(days=400))
    frame = _working_day_arithmetic(frame, workdays)
    month_end_idx = workdays.search_sorted(pl.Series([last_day + timedelta(days=1)], dtype=pl.Date), side="left")[0] - 1
    u = frame.with_columns(uniform(k, 5).alias("a"), uniform(k, 6).alias("b"), uniform(k, 7).alias("c"), uniform(k, 8).alias("d"))
    on_spot, finish_idx = _finish_index(frame, workdays, u)
    finish_day = workdays.gather(finish_idx.clip(0, workdays.len() - 1))
    received_minute = (frame["received_at"].dt.hour().cast(pl.Float64) * 60 + frame["received_at"].dt.minute().cast(pl.Float64)
                       + frame["received_at"].dt.second().cast(pl.Float64) / 60 + 1)
    same_day = finish_day == frame["received_at"].dt.date()
    lower = pl.select(pl.when(same_day).then(pl.max_horizontal(received_minute, pl.lit(float(OPEN_MINUTES[0])))).otherwise(float(OPEN_MINUTES[0]))).to_series()
    lower = pl.select(pl.min_horizontal(lower, pl.lit(float(OPEN_MINUTES[3])))).to_series()
    finish_minute = lower + u["c"] * (float(OPEN_MINUTES[3]) - lower)
    finished = at_working_day(workdays, finish_idx, finish_minute)
    due = at_working_day(workdays, frame["_due_idx"], pl.Series([float(OPEN_MINUTES[3])] * frame.height))
    supplements = _supplements(frame, u["d"], frame["_due_idx"] <= month_end_idx)
    return frame.with_columns(
        due.alias("due_at"), finished.alias("_finish"), supplements.alias("supplement_requests"), on_spot.alias("_on_spot"),
    )


def _status() -> pl.Expr:
    """Processing while unfinished at the snapshot, else a terminal status drawn with its share."""
    status = pl.when(pl.col("finished_at").is_null()).then(pl.lit("processing"))
    acc = 0.0
    for name, share in STATUS_TERMINAL:
        acc += share
        status = status.when(pl.col("_s") < acc).then(pl.lit(name))
    return status.otherwise(pl.lit(STATUS_TERMINAL[0][0]))


def _outcomes(frame: pl.DataFrame, month: date, snapshot: datetime, k: pl.Expr) -> pl.DataFrame:
    """Status, payment, digital flags, rating and the dossier's id, in the contract's columns."""
    frame = frame.with_columns(
        uniform(k, 9).alias("_s"), uniform(k, 10).alias("_r"), uniform(k, 11).alias("_r2"), uniform(k, 12).alias("_pay"),
        uniform(k, 13).alias("_shared"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("_on_spot")).then(None).otherwise(pl.col("due_at")).alias("due_at"),
        pl.when(pl.col("_finish") <= pl.lit(snapshot)).then(pl.col("_finish")).alias("finished_at"),
    )
    # digital flags are positively correlated (a unit's digital dossiers tend to be the same ones)
    frame = frame.with_columns([((pl.col("_shared") + uniform(k, 20 + i)) / 2).alias(f"_m{i}") for i in range(len(FLAG_INDICATORS))])
    flags = [
        (_triangular_to_uniform(pl.col(f"_m{i}")) < pl.col(f"p_{flag}")).alias(flag)
        for i, flag in enumerate(FLAG_INDICATORS)
    ]
    rating = (
        pl.when(pl.col("_on_time") & (pl.col("_r") < pl.col("q_unsat"))).then(pl.lit("unsatisfied"))
        .when(~pl.col("_on_time") & (pl.col("_r") < 0.15)).then(pl.lit("unsatisfied"))
        .when(pl.col("_r2") < 0.3).then(pl.lit("satisfied"))
        .otherwise(None)
    )
    yymm = f"{month.year % 100:02d}{month.month:02d}"
    frame = frame.sort("_unit", "received_at", maintain_order=True).with_columns(
        _status().alias("status"),
        (pl.col("fee_required") & (pl.col("_pay") < pl.col("p_paid"))).alias("paid_online"),
        *flags,
        rating.alias("rating"),
        pl.when(pl.col("fee_required")).then(pl.col("fee_amount")).alias("fee_amount"),
        pl.format("{}-{}-{}", pl.col("unit_code"), pl.lit(yymm),
                  (pl.int_range(pl.len()).over("_unit") + 1).cast(pl.String).str.zfill(6)).alias("dossier_id"),
    )
    return frame.select(list(DOSSIER_SCHEMA)).cast(DOSSIER_SCHEMA)


def dossier_chunk(
    profiles: pl.DataFrame,
    counts: pl.DataFrame,
    draw: pl.DataFrame,
    month: date,
    snapshot: datetime,
    *,
    seed: int,
    chunk: str,
    personal: bool = False,
    names: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Dossiers received in one month by a set of units.

    ``counts``: unit_code, n. On-time dossiers finish by their due date (or are still open and
    not yet due); overdue ones finish after a due date inside their month, or carry two or more
    supplement requests (the rule that makes a dossier overdue whatever its dates).
    """
    key0 = key_of(seed, "dossiers", chunk, month.isoformat())
    units = profiles.join(counts, on="unit_code", how="inner").filter(pl.col("n") > 0).with_row_index("_unit")
    if units.height == 0:
        return pl.DataFrame(schema=DOSSIER_SCHEMA)
    frame = _drawn(units, draw, key0)
    k = pl.col("_key")
    frame = _receipt_times(frame, month, k)
    frame = _scheduled(frame, month, k)
    out = _outcomes(frame, month, snapshot, k)
    if personal:
        out = with_fake_personal_data(out, names, key0)
    return out
