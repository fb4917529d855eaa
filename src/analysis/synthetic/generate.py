"""Synthetic one-stop-shop records (dữ liệu giả lập): dossiers, procedures, petitions.

Everything written here is SYNTHETIC and labelled so (a ``SYNTHETIC.md`` beside the tables). The
records follow the data contract (section 3) and are calibrated on real figures:

- units: Phú Thọ (H44) is the real structure of the bundled portal facts (the province, 15
  departments, 148 communes); any other province takes its communes from the official 2025 list
  (``data/reference/units_2025_new.csv``) and Phú Thọ's departments by name.
- rates: each Phú Thọ unit draws every dossier flag (đúng hạn, nộp trực tuyến, thanh toán trực
  tuyến, kết quả điện tử, số hóa, tái sử dụng dữ liệu, kho dữ liệu cá nhân, dữ liệu dân cư, đánh
  giá) with the ratio the portal published for it in August 2026, and in that month receives
  exactly as many dossiers as the portal counted, so facts computed from the records match the
  portal unit by unit within sampling error. Units of other provinces borrow the profile of a
  Phú Thọ unit of the same level, their on-time rate shifted to their province's published
  progress score (TDGQ).
- time: fewer dossiers on weekends and public holidays, the Tết slump (late January/February),
  receipt times in office hours (online dossiers at any hour), due dates counted in working
  days from each procedure's legal time limit.

Random numbers come from a counter-based generator (SplitMix64 over row keys) written in polars
expressions: the same seed gives byte-identical files (with the same polars version), and a national year is
generated one province-month at a time without holding it in memory.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from analysis.contract import province_key, schema
from analysis.errors import InputError, fail
from analysis.paths import BUNDLED_FACTS, DATA, NATIONAL_SCORES

SYNTHETIC_DIR = DATA / "synthetic"
REFERENCE = DATA / "reference"
COMMUNES_FILE = REFERENCE / "units_2025_new.csv"
PROVINCES_FILE = REFERENCE / "provinces_2025.csv"
ANCHOR_PROVINCE = "H44"
"""The province whose real unit figures calibrate the generator (Phú Thọ, bundled facts)."""

DOSSIER_SCHEMA = {**schema("dossiers", extensions=False), "fee_amount": pl.Int64()}
"""Dossier columns: the contract's (section 3) plus ``fee_amount`` (lệ phí, VND; null without a fee)."""

PERSONAL_COLUMNS = ["applicant_name", "applicant_id_number", "applicant_phone", "applicant_address"]
"""Optional FAKE personal columns (họ tên, số CCCD, số điện thoại, địa chỉ) for testing that loaders drop them."""

PROCEDURE_SCHEMA = {**schema("procedures"), "time_limit_days": pl.Int64(), "fee_amount": pl.Int64()}
"""Procedure catalogue: the contract's columns plus the legal time limit (working days) and the fee."""

PETITION_SCHEMA = schema("petitions")

UNIT_SCHEMA = schema("units")
"""Units in the contract's schema (section 1); validity dates are left empty (not known here)."""

FLAG_INDICATORS = {
    "synced": "DOSSIER_SYNC",
    "e_result": "ORIGINAL_RESULT_AVAILABLE",
    "digitized": "SO_HOA_GIAY_TO_GIAI_QUYET",
    "reused_data": "REUSED_DIGITIZED_DATA",
    "personal_store": "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
    "citizen_data": "CITIZEN_DATA_CONNECTED_DOSSIER",
}
"""Each boolean dossier flag and the indicator whose real ratio it is drawn with."""

ADDITIVE = [
    "ON_TIME", "DOSSIER_RECEIVING_SATISFACTION", "PAYMENT_DOSSIER", *FLAG_INDICATORS.values(),
    "PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION",
    "PETITION_CLASSIFICATION_TTHC", "PETITION_CLASSIFICATION_STAFF",
]
"""Indicators whose counts add up the hierarchy (a parent's own = its total − its children's)."""

DEFAULT_RATES = {
    "ON_TIME": 0.8, "DOSSIER_RECEIVING_SATISFACTION": 0.78, "PAYMENT_DOSSIER": 0.8,
    "DOSSIER_SYNC": 0.95, "ORIGINAL_RESULT_AVAILABLE": 0.7, "SO_HOA_GIAY_TO_GIAI_QUYET": 0.15,
    "REUSED_DIGITIZED_DATA": 0.02, "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": 0.0,
    "CITIZEN_DATA_CONNECTED_DOSSIER": 0.45, "PETITION_PROCESSING_ON_TIME": 0.8,
    "PETITION_HANDLING_SATISFACTION": 0.7, "PETITION_CLASSIFICATION_TTHC": 0.7,
    "PETITION_CLASSIFICATION_STAFF": 0.2, "ONLINE_DOSSIER": 0.6, "DIRECT_DOSSIER": 0.38,
    "POSTAL_DOSSIER": 0.02, "ONLINE_PROVISION": 0.9, "FEE_INTEGRATED": 0.2,
}
"""Used only where neither a unit nor its province has a figure."""

STATUS_TERMINAL = (("finished", 0.70), ("returned", 0.25), ("rejected", 0.02), ("withdrawn", 0.02), ("stopped", 0.01))
ZIPF = 2.0
"""Popularity of procedures: the k-th most used gets weight 1 / k^ZIPF (a few procedures take most dossiers)."""
OPEN_MINUTES = (7 * 60 + 30, 11 * 60 + 30, 13 * 60 + 30, 17 * 60)
"""Office hours (giờ hành chính): 7:30–11:30 and 13:30–17:00."""
ONLINE_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 8, 10, 14, 15, 13, 10, 8, 8, 9, 8, 5, 3)
"""Relative weight of each hour of the day for online submissions."""

TET = {
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}
"""Lunar New Year's day (mùng 1 Tết)."""
HUNG_KINGS = {
    2023: date(2023, 4, 29), 2024: date(2024, 4, 18), 2025: date(2025, 4, 7), 2026: date(2026, 4, 26),
    2027: date(2027, 4, 16), 2028: date(2028, 4, 4),
}
"""Giỗ Tổ Hùng Vương (10/3 âm lịch); other years fall back to 15 April."""


@dataclass(frozen=True)
class Records:
    """Synthetic records of one run, in the data contract's record schemas."""

    dossiers: pl.DataFrame
    procedures: pl.DataFrame
    petitions: pl.DataFrame
    units: pl.DataFrame


# --------------------------------------------------------------------------------------------
# counter-based random numbers (stable across machines and library versions)

_MASK = (1 << 64) - 1


def _mix_int(value: int) -> int:
    """SplitMix64 finaliser on a Python int (for stream constants)."""
    z = (value + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _u64(value: int) -> pl.Expr:
    return pl.lit(value & _MASK, dtype=pl.UInt64)


def _mix_frame(z: pl.DataFrame) -> pl.DataFrame:
    """SplitMix64 finaliser on column ``z`` (wrapping UInt64 arithmetic), one pass per step."""
    z = z.select((pl.col("z") + _u64(0x9E3779B97F4A7C15)).alias("z"))
    z = z.select((pl.col("z").xor(pl.col("z") // _u64(1 << 30)) * _u64(0xBF58476D1CE4E5B9)).alias("z"))
    z = z.select((pl.col("z").xor(pl.col("z") // _u64(1 << 27)) * _u64(0x94D049BB133111EB)).alias("z"))
    return z.select(pl.col("z").xor(pl.col("z") // _u64(1 << 31)).alias("z"))


def key_of(*parts: object) -> int:
    """A stable 64-bit key for a tuple of labels (seed, province, month, …)."""
    return _mix_int(zlib.crc32("|".join(map(str, parts)).encode()) | (zlib.adler32(repr(parts).encode()) << 32))


def uniform_series(keys: pl.Series, stream: int) -> pl.Series:
    """Uniform [0, 1) for each UInt64 key in one stream (two SplitMix64 rounds, 53-bit mantissa)."""
    z = _mix_frame(keys.cast(pl.UInt64).to_frame("z"))
    z = _mix_frame(z.select(pl.col("z").xor(_u64(_mix_int(stream)))))
    return z.select((pl.col("z") // _u64(1 << 11)).cast(pl.Float64) * (1.0 / (1 << 53)))["z"]


def uniform(key: pl.Expr, stream: int) -> pl.Expr:
    """Uniform [0, 1) per row from a UInt64 row key and a stream constant (one stream per variable).

    Counter-based: the value depends only on (key, stream), never on batch boundaries or threads.
    """
    return key.map_batches(lambda keys: uniform_series(keys, stream), return_dtype=pl.Float64, is_elementwise=True)


def _py_rng(*parts: object) -> random.Random:
    return random.Random(key_of(*parts))


# --------------------------------------------------------------------------------------------
# calendar: working days, holidays, Tết, seasonality


def days_off(year: int) -> set[date]:
    """Public holidays (ngày nghỉ lễ): New Year, Tết (mùng 1 − 2 … + 5), Hùng Kings, 30/4, 1/5, 1–2/9."""
    tet = TET.get(year, date(year, 2, 5))
    off = {date(year, 1, 1), HUNG_KINGS.get(year, date(year, 4, 15)), date(year, 4, 30), date(year, 5, 1),
           date(year, 9, 1), date(year, 9, 2)}
    off |= {tet + timedelta(days=k) for k in range(-2, 6)}
    return off


def _tet_factor(day: date) -> float:
    """The Tết slump: fewer dossiers in the weeks around Lunar New Year."""
    for year in (day.year, day.year + 1):
        tet = TET.get(year, date(year, 2, 5))
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
        work = d.weekday() < 5 and d not in off
        if d in off:
            counter, online = 0.01, 0.15
        elif d.weekday() == 5:
            counter, online = 0.12, 0.35
        elif d.weekday() == 6:
            counter, online = 0.02, 0.25
        else:
            counter, online = 1.0, 1.0
        factor = _tet_factor(d)
        rows.append((d, work, counter * factor, online * factor))
    return pl.DataFrame(rows, schema={"day": pl.Date, "workday": pl.Boolean, "counter": pl.Float64, "online": pl.Float64}, orient="row")


def month_weight(month: date) -> float:
    """Relative dossier volume of a month (sum of its daily weights; the seasonality of the series)."""
    w = day_weights(month)
    return float((0.7 * w["online"] + 0.3 * w["counter"]).sum())


def working_days(start: date, end: date) -> pl.Series:
    """Working days (ngày làm việc) from start to end inclusive, as a sorted Date series."""
    off: set[date] = set()
    for year in range(start.year, end.year + 1):
        off |= days_off(year)
    out, d = [], start
    while d <= end:
        if d.weekday() < 5 and d not in off:
            out.append(d)
        d += timedelta(days=1)
    return pl.Series("workday", out, dtype=pl.Date)


def parse_months(text: str) -> list[date]:
    """``2026-08`` or ``2026-01..2026-12`` → the first day of every month in the range."""
    from analysis.contract.periods import parse_period

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


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --------------------------------------------------------------------------------------------
# units


def anchor_facts() -> pl.DataFrame:
    """The bundled real facts (Phú Thọ, August 2026) that calibrate the generator."""
    from analysis.scoring.facts import read_facts

    return read_facts(BUNDLED_FACTS)


def anchor_units(facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Phú Thọ's real units (the province, its departments and communes) from the bundled facts."""
    from analysis.scoring.score import units_of

    units = units_of(anchor_facts() if facts is None else facts).drop("period")
    return _as_units(units)


def _as_units(frame: pl.DataFrame) -> pl.DataFrame:
    """Any frame with unit_code, unit_name, level, parent_code → the units schema (absent columns empty)."""
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in UNIT_SCHEMA.items() if c not in frame.columns]
    return frame.with_columns(missing).select(list(UNIT_SCHEMA)).cast(UNIT_SCHEMA)


def provinces() -> pl.DataFrame:
    """The 34 provinces from 1 July 2025: portal code (H44), statistics code (25), names, communes."""
    return pl.read_csv(PROVINCES_FILE, schema_overrides={"gso_code": pl.String, "portal_code": pl.String})


def province_code(text: str) -> str:
    """A province's portal code from its portal code (``H44``), statistics code (``25``) or name."""
    table = provinces()
    wanted = str(text).strip()
    for row in table.iter_rows(named=True):
        if wanted.upper() == row["portal_code"] or wanted == row["gso_code"] or wanted.zfill(2) == row["gso_code"]:
            return row["portal_code"]
        if province_key(wanted) in (province_key(row["province_name"]), province_key(row["portal_name"])):
            return row["portal_code"]
    raise fail("--province", f"unknown province '{text}' (use a portal code such as H44, a statistics code such as 25, or a name)")


def province_units(code: str, anchor: pl.DataFrame | None = None) -> pl.DataFrame:
    """One province's units: Phú Thọ's real ones; for another, its province, Phú Thọ's departments
    by name and its communes from the 2025 list (codes ``H26.100``, ``H26.101``… in list order)."""
    anchor = anchor_units() if anchor is None else anchor
    if code == ANCHOR_PROVINCE:
        return anchor
    row = provinces().filter(pl.col("portal_code") == code)
    if row.height == 0:
        raise fail("--province", f"unknown province '{code}'")
    info = row.row(0, named=True)
    place = info["province_name"]
    province = _as_units(pl.DataFrame(
        {"unit_code": [code], "unit_name": [info["portal_name"]], "level": ["province"], "parent_code": [None],
         "gso_code": [info["gso_code"]]}, schema={c: UNIT_SCHEMA[c] for c in ("unit_code", "unit_name", "level", "parent_code", "gso_code")},
    ))
    depts = anchor.filter(pl.col("level") == "department").sort("unit_code").select(
        (pl.lit(code + ".") + pl.col("unit_code").str.split(".").list.get(1)).alias("unit_code"),
        pl.col("unit_name").str.replace(r" - (Tỉnh|Thành phố) .*$", f" - {place}"),
        pl.lit("department").alias("level"),
        pl.lit(code).alias("parent_code"),
        pl.lit(None, dtype=pl.String).alias("gso_code"),
    )
    communes = (
        pl.read_csv(COMMUNES_FILE, schema_overrides={"province_code": pl.String, "ward_code": pl.String})
        .filter(pl.col("province_code") == info["gso_code"])
        .sort("ward_code")
        .select(
            (pl.lit(code + ".") + (pl.int_range(pl.len()) + 100).cast(pl.String)).alias("unit_code"),
            ("UBND " + pl.col("ward_name")).alias("unit_name"),
            pl.lit("commune").alias("level"),
            pl.lit(code).alias("parent_code"),
            pl.col("ward_code").alias("gso_code"),
        )
    )
    return pl.concat([province, _as_units(depts), _as_units(communes)])


def national_units(anchor: pl.DataFrame | None = None) -> pl.DataFrame:
    """All 34 provinces with their departments and communes (Phú Thọ's are the real ones)."""
    anchor = anchor_units() if anchor is None else anchor
    return pl.concat([province_units(c, anchor) for c in provinces()["portal_code"].sort().to_list()])


def _root_of(units: pl.DataFrame) -> pl.DataFrame:
    """unit_code → the code of its top ancestor (its province)."""
    parent = dict(zip(units["unit_code"].to_list(), units["parent_code"].to_list(), strict=True))
    roots = []
    for code in parent:
        seen, current = {code}, code
        while parent.get(current) is not None and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        roots.append(current)
    return pl.DataFrame({"unit_code": list(parent), "province": roots})


# --------------------------------------------------------------------------------------------
# profiles: per-unit volumes and rates


def _wide(facts: pl.DataFrame, indicators: Sequence[str]) -> pl.DataFrame:
    """unit_code + ``<IND>_n``, ``<IND>_d`` for each indicator (null where the unit has none)."""
    base = facts.select("unit_code").unique()
    for ind in indicators:
        part = facts.filter(pl.col("indicator") == ind).select(
            "unit_code", pl.col("numerator").alias(f"{ind}_n"), pl.col("denominator").alias(f"{ind}_d")
        ).unique("unit_code", keep="first")
        base = base.join(part, on="unit_code", how="left")
    return base


def real_profiles(facts: pl.DataFrame) -> pl.DataFrame:
    """Per unit of a real facts table: its own dossier volume and the rates to draw its records with.

    A parent's own counts are its totals minus its children's (the portal's totals roll up); a
    rate a unit cannot give (no dossiers of its own) falls back to its province's, then to a
    default. Channel shares and online provision exist for the province only and apply to all.
    """
    units = facts.select("unit_code", "level", "parent_code").unique("unit_code", keep="first")
    catalogue = ["ONLINE_DOSSIER", "DIRECT_DOSSIER", "POSTAL_DOSSIER", "ONLINE_PROVISION",
                 "FEE_INTEGRATED", "CITIZEN_DATA_CONNECTED_FORMALITY"]
    wide = units.join(_wide(facts, [*ADDITIVE, *catalogue]), on="unit_code", how="left")
    kids = wide.filter(pl.col("parent_code").is_not_null()).group_by("parent_code").agg(
        [pl.col(f"{i}_{s}").fill_null(0).sum().alias(f"_k_{i}_{s}") for i in ADDITIVE for s in "nd"]
    )
    wide = wide.join(kids, left_on="unit_code", right_on="parent_code", how="left")
    own = []
    for ind in ADDITIVE:
        for s in "nd":
            own.append((pl.col(f"{ind}_{s}").fill_null(0) - pl.col(f"_k_{ind}_{s}").fill_null(0)).clip(0).alias(f"own_{ind}_{s}"))
    wide = wide.with_columns(own)
    root = _root_of(units)
    wide = wide.join(root, on="unit_code", how="left")

    def total_ratio(ind: str) -> pl.Expr:
        return pl.when(pl.col(f"{ind}_d") > 0).then(pl.col(f"{ind}_n") / pl.col(f"{ind}_d"))

    def own_ratio(ind: str) -> pl.Expr:
        return pl.when(pl.col(f"own_{ind}_d") > 0).then(pl.col(f"own_{ind}_n") / pl.col(f"own_{ind}_d"))

    def with_fallback(expr: pl.Expr, ind: str, name: str) -> pl.Expr:
        province_value = total_ratio(ind).filter(pl.col("unit_code") == pl.col("province")).first()
        return expr.fill_null(province_value.over("province")).fill_null(DEFAULT_RATES.get(ind, 0.5)).clip(0.0, 1.0).alias(name)

    volume = pl.col("own_ON_TIME_d")
    fee_share = pl.when(volume > 0).then(pl.col("own_PAYMENT_DOSSIER_d") / volume)
    rates = wide.with_columns(
        volume.alias("volume"),
        pl.col("own_PETITION_PROCESSING_ON_TIME_d").alias("petitions"),
        with_fallback(own_ratio("ON_TIME"), "ON_TIME", "p_on_time"),
        with_fallback(own_ratio("DOSSIER_RECEIVING_SATISFACTION"), "DOSSIER_RECEIVING_SATISFACTION", "_r_drs"),
        with_fallback(fee_share, "PAYMENT_DOSSIER", "p_fee"),
        with_fallback(own_ratio("PAYMENT_DOSSIER"), "PAYMENT_DOSSIER", "p_paid"),
        *[with_fallback(own_ratio(ind), ind, f"p_{flag}") for flag, ind in FLAG_INDICATORS.items()],
        with_fallback(own_ratio("PETITION_PROCESSING_ON_TIME"), "PETITION_PROCESSING_ON_TIME", "p_pet_on_time"),
        with_fallback(own_ratio("PETITION_HANDLING_SATISFACTION"), "PETITION_HANDLING_SATISFACTION", "_r_phs"),
        with_fallback(own_ratio("PETITION_CLASSIFICATION_TTHC"), "PETITION_CLASSIFICATION_TTHC", "p_pet_tthc"),
        with_fallback(own_ratio("PETITION_CLASSIFICATION_STAFF"), "PETITION_CLASSIFICATION_STAFF", "p_pet_staff"),
        with_fallback(total_ratio("ONLINE_DOSSIER"), "ONLINE_DOSSIER", "p_online"),
        with_fallback(total_ratio("DIRECT_DOSSIER"), "DIRECT_DOSSIER", "p_direct"),
        with_fallback(total_ratio("ONLINE_PROVISION"), "ONLINE_PROVISION", "p_online_provision"),
        with_fallback(total_ratio("FEE_INTEGRATED"), "FEE_INTEGRATED", "p_fee_integrated"),
        pl.col("CITIZEN_DATA_CONNECTED_FORMALITY_d").alias("n_citizen"),
        pl.col("FEE_INTEGRATED_d").alias("n_fee"),
        pl.col("ONLINE_PROVISION_d").alias("n_authority"),
    )
    return rates.select(
        "unit_code", "level", "province", pl.col("volume").cast(pl.Float64), pl.col("petitions").cast(pl.Float64),
        "p_on_time",
        # DOSSIER_RECEIVING_SATISFACTION = on time and not rated unsatisfied: q = 1 − r / p
        pl.when(pl.col("p_on_time") > 0).then(1 - pl.col("_r_drs") / pl.col("p_on_time")).otherwise(0.0).clip(0.0, 1.0).alias("q_unsat"),
        "p_fee", "p_paid", *[f"p_{flag}" for flag in FLAG_INDICATORS],
        "p_online", pl.min_horizontal(pl.col("p_direct"), 1 - pl.col("p_online")).alias("p_direct"),
        "p_pet_on_time",
        pl.when(pl.col("p_pet_on_time") > 0).then(1 - pl.col("_r_phs") / pl.col("p_pet_on_time")).otherwise(0.0).clip(0.0, 1.0).alias("q_pet_unsat"),
        "p_pet_tthc", pl.min_horizontal(pl.col("p_pet_staff"), 1 - pl.col("p_pet_tthc")).alias("p_pet_staff"),
        "p_online_provision", "p_fee_integrated",
        pl.when(pl.col("level") == "province").then(pl.col("n_authority")).otherwise(pl.col("n_citizen")).fill_null(0).alias("n_citizen"),
        pl.when(pl.col("level") == "province").then(None).otherwise(pl.col("n_fee")).alias("n_fee"),
    ).with_columns(
        pl.col("n_fee").fill_null((pl.col("n_citizen") * 0.25).round()).cast(pl.Int64),
        pl.col("n_citizen").cast(pl.Int64),
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _shift_to_mean(probs: list[float], weights: list[float], target: float) -> list[float]:
    """Shift probabilities on the logit scale so that their weighted mean equals ``target``."""
    total = sum(weights)
    if total <= 0:
        return probs
    logits = [_logit(p) for p in probs]

    def mean(delta: float) -> float:
        return sum(w / (1 + math.exp(-(x + delta))) for x, w in zip(logits, weights, strict=True)) / total

    lo, hi = -10.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mean(mid) < target else (lo, mid)
    delta = (lo + hi) / 2
    return [1 / (1 + math.exp(-(x + delta))) for x in logits]


def province_targets() -> dict[str, float]:
    """Each province's published on-time ratio (its TDGQ score ÷ 20, latest national capture)."""
    if not NATIONAL_SCORES.exists():
        return {}
    scores = pl.read_csv(NATIONAL_SCORES, columns=["date", "unit_code", "TDGQ"], schema_overrides={"date": pl.String})
    latest = scores.filter(pl.col("date") == pl.col("date").max())
    return {code: float(v) / 20 for code, v in latest.select("unit_code", "TDGQ").iter_rows() if v is not None}


def unit_profiles(units: pl.DataFrame, facts: pl.DataFrame | None = None, *, seed: int = 766) -> pl.DataFrame:
    """Per unit: volume in the anchor month (dossiers, petitions) and every rate it draws with.

    Units present in the real facts use their own figures; others borrow the profile of a real
    unit of the same level (departments the same department by number, communes a commune drawn
    at random with a jittered volume), with the on-time rate moved to the province's published
    progress score.
    """
    facts = anchor_facts() if facts is None else facts
    real = real_profiles(facts)
    known = set(real["unit_code"].to_list())
    codes = units["unit_code"].to_list()
    missing = units.filter(~pl.col("unit_code").is_in(list(known)))
    columns = [c for c in real.columns if c not in ("unit_code", "level", "province")]
    parts = [real.filter(pl.col("unit_code").is_in(codes))]
    if missing.height:
        roots = _root_of(units)
        missing = missing.join(roots, on="unit_code", how="left")
        anchor_root = real.filter(pl.col("level") == "province").row(0, named=True)
        by_code = {r["unit_code"]: r for r in real.iter_rows(named=True)}
        communes = real.filter(pl.col("level") == "commune").sort("unit_code").iter_rows(named=True)
        communes = list(communes)
        depts = {c.split(".", 1)[1]: r for c, r in by_code.items() if r["level"] == "department"}
        targets = province_targets()
        rows = []
        for province, group in missing.group_by("province", maintain_order=True):
            rng = _py_rng(seed, "profile", province[0])
            chosen = []
            for unit in group.iter_rows(named=True):
                if unit["level"] == "province":
                    template, scale = anchor_root, 1.0
                elif unit["level"] == "department":
                    suffix = unit["unit_code"].split(".", 1)[-1]
                    template = depts.get(suffix) or depts[rng.choice(sorted(depts))]
                    scale = math.exp(rng.gauss(0.0, 0.3))
                else:
                    template, scale = rng.choice(communes), math.exp(rng.gauss(0.0, 0.35))
                row = {c: template[c] for c in columns}
                row["volume"] = round(template["volume"] * scale)
                row["petitions"] = template["petitions"] * scale
                chosen.append({"unit_code": unit["unit_code"], "level": unit["level"], "province": province[0], **row})
            target = targets.get(province[0])
            if target is not None and chosen:
                shifted = _shift_to_mean([r["p_on_time"] for r in chosen], [r["volume"] for r in chosen], target)
                for r, p in zip(chosen, shifted, strict=True):
                    r["p_on_time"] = p
            rows.extend(chosen)
        parts.append(pl.DataFrame(rows, schema=real.schema))
    out = pl.concat(parts).with_columns(pl.col("volume").fill_null(0.0), pl.col("petitions").fill_null(0.0))
    order = pl.DataFrame({"unit_code": codes}).with_row_index("_order")
    return order.join(out, on="unit_code", how="left").sort("_order").drop("_order")


# --------------------------------------------------------------------------------------------
# procedure catalogue


def _procedure_pool(prefix: str, size: int, level: str, key: int) -> pl.DataFrame:
    """A family of procedures (codes ``prefix.NNNNNN``) with fixed attributes per code.

    Ranks order them by popularity; ``fee_rank`` orders which procedures carry a fee first.
    """
    rng = random.Random(key)
    limits = [0, 1, 2, 3, 5, 7, 10, 15, 20] if level == "commune" else [1, 3, 5, 7, 10, 15, 20, 30, 45]
    limit_w = [4, 12, 10, 18, 20, 12, 12, 7, 5] if level == "commune" else [3, 8, 14, 16, 20, 16, 12, 7, 4]
    fees = [10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]
    rows = []
    base = rng.randrange(100, 900) * 1000
    for j in range(size):
        rows.append({
            "procedure_code": f"{prefix}.{base + j:06d}",
            "rank": j,
            "time_limit_days": rng.choices(limits, limit_w)[0],
            "fee_amount": rng.choice(fees),
            "fee_rank": rng.random(),
            "online_draw": rng.random(),
            "full_draw": rng.random(),
        })
    pool = pl.DataFrame(rows)
    # the first four codes cover every combination of fee and online, so any unit can draw any dossier
    first = pl.DataFrame({"rank": [0, 1, 2, 3], "_fee": [-1.0, 2.0, -1.0, 2.0], "_online": [0.0, 0.0, 2.0, 2.0]})
    return pool.join(first, on="rank", how="left").with_columns(
        pl.when(pl.col("_fee").is_not_null()).then(pl.col("_fee")).otherwise(pl.col("fee_rank")).alias("fee_rank"),
        pl.when(pl.col("_online").is_not_null()).then(pl.col("_online")).otherwise(pl.col("online_draw")).alias("online_draw"),
    ).drop("_fee", "_online")


def procedure_catalogue(profiles: pl.DataFrame, *, seed: int) -> pl.DataFrame:
    """The catalogue under each unit (contract columns + time limit and fee).

    Communes of every province share one family of codes (``2.xxxxxx``), each department number its
    own (``1.xxxxxx``), each province's own authority one more (``3.xxxxxx``); a unit lists as many
    citizen procedures as the portal counted for it (CITIZEN_DATA_CONNECTED_FORMALITY's
    denominator; for the province, the procedures under its own authority), as many fee
    procedures as FEE_INTEGRATED's denominator with its real integrated share, and offers online
    the province's share (ONLINE_PROVISION).
    """
    units = profiles.select(
        "unit_code", "level",
        pl.when(pl.col("level") == "commune").then(pl.lit("commune"))
        .when(pl.col("level") == "department").then(pl.lit("department-") + pl.col("unit_code").str.split(".").list.last())
        .otherwise(pl.lit("province")).alias("family"),
        pl.when(pl.col("level") == "commune").then(pl.lit("2"))
        .when(pl.col("level") == "department").then(pl.lit("1")).otherwise(pl.lit("3")).alias("prefix"),
        pl.col("n_citizen").fill_null(0).clip(4).alias("n_citizen"),
        "n_fee", "p_fee_integrated", "p_online_provision",
    ).with_columns(
        (pl.col("n_citizen") + (pl.col("n_citizen") * 0.12).round().cast(pl.Int64).clip(2)).alias("size"),
    ).with_columns(
        pl.min_horizontal(pl.col("n_fee").fill_null(0).clip(2), pl.col("size")).alias("n_fee"),
    ).with_columns(
        (pl.col("n_fee") * pl.col("p_fee_integrated")).round().cast(pl.Int64).alias("n_integrated"),
    )
    sizes = units.group_by("family", "prefix", "level").agg(pl.col("size").max()).sort("family")
    pools = [
        _procedure_pool(prefix, size, level, key_of(seed, "catalogue", family)).with_columns(pl.lit(family).alias("family"))
        for family, prefix, level, size in sizes.iter_rows()
    ]
    if not pools:
        return pl.DataFrame(schema={**PROCEDURE_SCHEMA, "rank": pl.Int64})
    pool = pl.concat(pools)
    fee_order = pl.col("fee_rank").rank("ordinal", descending=True).over("unit_code")
    catalogue = (
        units.join(pool, on="family", how="inner")
        .filter(pl.col("rank") < pl.col("size"))
        .sort("unit_code", "rank")
        .with_columns(
            (pl.col("rank") < pl.col("n_citizen")).alias("citizen_subject"),
            fee_order.alias("_fee_order"),
        )
        .with_columns(
            (pl.col("_fee_order") <= pl.col("n_fee")).alias("has_fee"),
            (pl.col("_fee_order") <= pl.min_horizontal("n_fee", "n_integrated")).alias("fee_integrated"),
            pl.when(pl.col("online_draw") >= 1.0 - pl.col("p_online_provision"))
            .then(pl.when(pl.col("full_draw") < 0.45).then(pl.lit("full")).otherwise(pl.lit("partial")))
            .otherwise(pl.lit("none")).alias("online_level"),
        )
    )
    order = profiles.select("unit_code").with_row_index("_order")
    return (
        catalogue.join(order, on="unit_code", how="left")
        .sort("_order", "rank")
        .with_columns(pl.when(pl.col("has_fee")).then(pl.col("fee_amount")).alias("fee_amount"))
        .select(*PROCEDURE_SCHEMA, "rank")
        .cast({**PROCEDURE_SCHEMA, "rank": pl.Int64})
    )


def _draw_table(catalogue: pl.DataFrame, unit_index: pl.DataFrame) -> pl.DataFrame:
    """Cumulative popularity (Zipf) per unit × (fee, online) cell, laid end to end for one search.

    Cell g = 4·unit + 2·fee + online occupies [g, g + 1); a dossier with uniform u draws the last
    procedure of its cell whose start ≤ g + u.
    """
    cells = []
    for fee in (False, True):
        for online in (False, True):
            cand = catalogue.filter(pl.col("has_fee") == fee)
            if online:
                cand = cand.filter(pl.col("online_level") != "none")
            cells.append(cand.with_columns(pl.lit(int(fee) * 2 + int(online)).alias("_cell")))
    table = pl.concat(cells).join(unit_index, on="unit_code", how="inner").with_columns(
        (1.0 / (pl.col("rank") + 1).cast(pl.Float64) ** ZIPF).alias("_w"),
        (pl.col("_unit") * 4 + pl.col("_cell")).alias("_g"),
    ).sort("_g", "rank")
    return table.with_columns(
        (pl.col("_g").cast(pl.Float64) + (pl.col("_w").cum_sum() - pl.col("_w")).over("_g") / pl.col("_w").sum().over("_g")).alias("_start")
    ).select("_g", "_start", "procedure_code", "time_limit_days", "fee_amount")


# --------------------------------------------------------------------------------------------
# dossiers


def _pick(cum_starts: pl.Series, values: pl.Series) -> pl.Series:
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
    day_idx = _pick(day_starts, frame["_dv"]) % n_days
    hour = _pick(hour_starts, frame["_hv"])
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


def _at(workdays: pl.Series, idx: pl.Series, minutes: pl.Series) -> pl.Series:
    """Datetime of working day ``idx`` at ``minutes`` after midnight."""
    idx = idx.clip(0, workdays.len() - 1)
    days = workdays.gather(idx)
    offset = ((minutes * 60).floor().cast(pl.Int64) * 1_000_000).cast(pl.Duration("us"))
    return (days.cast(pl.Datetime("us")) + offset).rename("t")


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
    table = _draw_table(draw, unit_index)
    pos = _pick(table["_start"], frame["_pv"])
    frame = frame.with_columns(
        table["procedure_code"].gather(pos).alias("procedure_code"),
        table["time_limit_days"].gather(pos).alias("time_limit_days"),
        table["fee_amount"].gather(pos).alias("fee_amount"),
    )
    frame = _receipt_times(frame, month, k)
    last_day = _month_end(month)
    workdays = working_days(month - timedelta(days=1), last_day + timedelta(days=400))
    frame = _working_day_arithmetic(frame, workdays)
    month_end_idx = workdays.search_sorted(pl.Series([last_day + timedelta(days=1)], dtype=pl.Date), side="left")[0] - 1
    # dossiers received on a working day before 16:00 with a short limit are sometimes issued on the spot without a due date
    u = frame.with_columns(uniform(k, 5).alias("a"), uniform(k, 6).alias("b"), uniform(k, 7).alias("c"), uniform(k, 8).alias("d"))
    received_day = frame["received_at"].dt.date()
    on_spot = (
        frame["_on_time"] & (u["a"] < 0.01) & (frame["received_at"].dt.hour() < 16)
        & (workdays.gather(frame["_start_idx"].clip(0, workdays.len() - 1)) == received_day)
    )
    # on time: k ≤ L working days after the start, office hours (not before receipt)
    k_on = (u["b"] * (frame["time_limit_days"] + 1)).floor().cast(pl.Int64).clip(0, None)
    k_on = pl.select(pl.min_horizontal(k_on, frame["time_limit_days"])).to_series()
    k_on = pl.select(pl.when(on_spot).then(0).otherwise(k_on)).to_series()
    finish_idx_on = frame["_start_idx"] + k_on
    # overdue: 1 + geometric extra working days after the due date
    extra = (-(1 - u["b"]).log() * 3.0).floor().cast(pl.Int64)
    finish_idx_late = frame["_due_idx"] + 1 + extra
    on_time = frame["_on_time"]
    finish_idx = pl.select(pl.when(on_time).then(finish_idx_on).otherwise(finish_idx_late)).to_series()
    finish_day = workdays.gather(finish_idx.clip(0, workdays.len() - 1))
    received_minute = (frame["received_at"].dt.hour().cast(pl.Float64) * 60 + frame["received_at"].dt.minute().cast(pl.Float64)
                       + frame["received_at"].dt.second().cast(pl.Float64) / 60 + 1)
    same_day = finish_day == received_day
    lower = pl.select(pl.when(same_day).then(pl.max_horizontal(received_minute, pl.lit(float(OPEN_MINUTES[0])))).otherwise(float(OPEN_MINUTES[0]))).to_series()
    lower = pl.select(pl.min_horizontal(lower, pl.lit(float(OPEN_MINUTES[3])))).to_series()
    finish_minute = lower + u["c"] * (float(OPEN_MINUTES[3]) - lower)
    finished = _at(workdays, finish_idx, finish_minute)
    due = _at(workdays, frame["_due_idx"], pl.Series([float(OPEN_MINUTES[3])] * frame.height))
    due_in_month = frame["_due_idx"] <= month_end_idx
    # supplement requests (yêu cầu bổ sung): on time ≤ 1; overdue whose due date is after the month: ≥ 2
    supp_on = (u["d"] < 0.12).cast(pl.Int64)
    supp_late_in = pl.select(pl.when(u["d"] < 0.55).then(0).when(u["d"] < 0.85).then(1).otherwise(2 + (u["d"] > 0.95).cast(pl.Int64))).to_series()
    supp_late_out = 2 + (u["d"] > 0.7).cast(pl.Int64) + (u["d"] > 0.93).cast(pl.Int64)
    supplements = pl.select(
        pl.when(on_time).then(supp_on).when(due_in_month).then(supp_late_in).otherwise(supp_late_out)
    ).to_series()
    frame = frame.with_columns(
        due.alias("due_at"), finished.alias("_finish"), supplements.alias("supplement_requests"), on_spot.alias("_on_spot"),
        uniform(k, 9).alias("_s"), uniform(k, 10).alias("_r"), uniform(k, 11).alias("_r2"), uniform(k, 12).alias("_pay"),
        uniform(k, 13).alias("_shared"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("_on_spot")).then(None).otherwise(pl.col("due_at")).alias("due_at"),
        pl.when(pl.col("_finish") <= pl.lit(snapshot)).then(pl.col("_finish")).alias("finished_at"),
    )
    status = pl.when(pl.col("finished_at").is_null()).then(pl.lit("processing"))
    acc = 0.0
    for name, share in STATUS_TERMINAL:
        acc += share
        status = status.when(pl.col("_s") < acc).then(pl.lit(name))
    status = status.otherwise(pl.lit(STATUS_TERMINAL[0][0]))
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
        status.alias("status"),
        (pl.col("fee_required") & (pl.col("_pay") < pl.col("p_paid"))).alias("paid_online"),
        *flags,
        rating.alias("rating"),
        pl.when(pl.col("fee_required")).then(pl.col("fee_amount")).alias("fee_amount"),
        pl.format("{}-{}-{}", pl.col("unit_code"), pl.lit(yymm),
                  (pl.int_range(pl.len()).over("_unit") + 1).cast(pl.String).str.zfill(6)).alias("dossier_id"),
    )
    out = frame.select(list(DOSSIER_SCHEMA)).cast(DOSSIER_SCHEMA)
    if personal:
        out = with_fake_personal_data(out, names, key0)
    return out


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Minh", "Nam", "Thảo", "Trang", "Tuấn"]


def with_fake_personal_data(dossiers: pl.DataFrame, names: pl.DataFrame | None, key0: int) -> pl.DataFrame:
    """Add FAKE applicant columns (name, CCCD, phone, address), all visibly synthetic.

    Names carry the word ``Giả Lập``; ID numbers start ``000`` (no province has that code);
    phone numbers start ``0000`` (no Vietnamese network prefix); addresses are on ``Đường Giả Lập``.
    They exist only to test that loaders drop personal data.
    """
    k = pl.lit(key0 ^ 0x5EED, dtype=pl.UInt64) + pl.int_range(pl.len(), dtype=pl.UInt64)
    family = pl.Series(FAMILY)
    given = pl.Series(GIVEN)
    out = dossiers.with_columns(
        (uniform(k, 201) * len(FAMILY)).floor().cast(pl.Int64).alias("_f"),
        (uniform(k, 202) * len(GIVEN)).floor().cast(pl.Int64).alias("_g"),
        (uniform(k, 203) * 1e9).floor().cast(pl.Int64).alias("_id"),
        (uniform(k, 204) * 1e6).floor().cast(pl.Int64).alias("_ph"),
        (uniform(k, 205) * 200 + 1).floor().cast(pl.Int64).alias("_no"),
    )
    where = pl.col("unit_code")
    if names is not None:
        out = out.join(names.select("unit_code", pl.col("unit_name").alias("_place")), on="unit_code", how="left")
        where = pl.col("_place").fill_null(pl.col("unit_code"))
    return out.with_columns(
        pl.format("{} Giả Lập {}", family.gather(out["_f"]).alias("x"), given.gather(out["_g"]).alias("y")).alias("applicant_name"),
        ("000" + pl.col("_id").cast(pl.String).str.zfill(9)).alias("applicant_id_number"),
        ("0000" + pl.col("_ph").cast(pl.String).str.zfill(6)).alias("applicant_phone"),
        pl.format("Số {}, Đường Giả Lập, {}", pl.col("_no"), where).alias("applicant_address"),
    ).select(*DOSSIER_SCHEMA, *PERSONAL_COLUMNS)


# --------------------------------------------------------------------------------------------
# petitions


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
    last_day = _month_end(month)
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
    recv = _at(workdays, frame["_ridx"], OPEN_MINUTES[0] + frame["_t"] * (OPEN_MINUTES[3] - OPEN_MINUTES[0]))
    due_idx = frame["_ridx"] + limit
    due = _at(workdays, due_idx, pl.Series([float(OPEN_MINUTES[3])] * frame.height))
    on_idx = frame["_ridx"] + (frame["_f"] * (limit + 1)).floor().cast(pl.Int64).clip(0, limit)
    late_idx = due_idx + 1 + (frame["_f"] * 8).floor().cast(pl.Int64)
    res_idx = pl.select(pl.when(frame["_on_time"]).then(on_idx).otherwise(late_idx)).to_series()
    res_minute = OPEN_MINUTES[0] + frame["_x"] * (OPEN_MINUTES[3] - OPEN_MINUTES[0])
    same = res_idx == frame["_ridx"]
    recv_minute = recv.dt.hour().cast(pl.Float64) * 60 + recv.dt.minute().cast(pl.Float64) + 1
    res_minute = pl.select(pl.when(same).then(recv_minute + frame["_x"] * (OPEN_MINUTES[3] - recv_minute).clip(0)).otherwise(res_minute)).to_series()
    resolved = _at(workdays, res_idx, res_minute)
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
            rng = _py_rng(seed, "volume", unit, m.isoformat())
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


# --------------------------------------------------------------------------------------------
# the pure API


def _snapshot(months: Sequence[date]) -> datetime:
    last = _month_end(max(months))
    return datetime(last.year, last.month, last.day, 23, 59, 59)


def _as_months(months: Sequence[date | str] | str) -> list[date]:
    if isinstance(months, str):
        return parse_months(months)
    out = []
    for m in months:
        out.extend(parse_months(m) if isinstance(m, str) else [m.replace(day=1)])
    return sorted(set(out))


CHUNK_ROWS = 1_000_000
"""A province-month with more dossiers than this is generated in parts (whole units per part)."""


def iter_chunks(
    units: pl.DataFrame,
    months: Sequence[date],
    *,
    seed: int,
    dossiers: int | None = None,
    facts: pl.DataFrame | None = None,
    personal: bool = False,
    prepared: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None = None,
) -> Iterator[tuple[date, str, int, pl.DataFrame, pl.DataFrame]]:
    """Yield (month, province, part, dossiers, petitions) a province-month at a time (bounded memory).

    A province-month larger than :data:`CHUNK_ROWS` dossiers comes in several parts, each holding
    whole units. ``prepared``: the (profiles, catalogue, counts) of :func:`prepare`, if already made.
    """
    profiles, catalogue, counts = prepared or prepare(units, months, seed=seed, dossiers=dossiers, facts=facts)
    snapshot = _snapshot(months)
    names = units.select("unit_code", "unit_name") if personal else None
    for month in months:
        month_counts = profiles.select("unit_code", "province").join(
            counts.filter(pl.col("month") == month), on="unit_code", how="left"
        ).with_columns(pl.col("dossiers", "petitions").fill_null(0))
        month_counts = month_counts.with_columns(
            ((pl.col("dossiers").cum_sum() - pl.col("dossiers")).over("province") // CHUNK_ROWS).alias("_part")
        )
        for (code, part), group_counts in month_counts.group_by("province", "_part", maintain_order=True):
            ids = group_counts["unit_code"].implode()
            group = profiles.filter(pl.col("unit_code").is_in(ids))
            chunk = str(code) if part == 0 else f"{code}#{part}"
            d_counts = group_counts.select("unit_code", pl.col("dossiers").alias("n"))
            p_counts = group_counts.select("unit_code", pl.col("petitions").alias("n"))
            draw = catalogue.filter(pl.col("unit_code").is_in(ids))
            d = dossier_chunk(group, d_counts, draw, month, snapshot, seed=seed, chunk=chunk, personal=personal, names=names)
            p = petition_chunk(group, p_counts, month, snapshot, seed=seed, chunk=chunk)
            yield month, str(code), int(part), d, p


def prepare(
    units: pl.DataFrame, months: Sequence[date], *, seed: int, dossiers: int | None = None, facts: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Per-unit profiles, the procedure catalogue and the dossier/petition counts per unit × month."""
    facts = anchor_facts() if facts is None else facts
    profiles = unit_profiles(units, facts, seed=seed)
    catalogue = procedure_catalogue(profiles, seed=seed)
    anchor = parse_months(str(facts["period"][0]))[0] if facts.height else date(2026, 8, 1)
    counts = monthly_counts(profiles, months, seed=seed, dossiers=dossiers, anchor=anchor)
    return profiles, catalogue, counts


def generate_records(
    units: pl.DataFrame,
    months: Sequence[date | str] | str,
    *,
    seed: int,
    dossiers: int | None = None,
    facts: pl.DataFrame | None = None,
    personal: bool = False,
) -> Records:
    """Synthetic records for ``units`` over ``months`` (in memory; use :func:`write_records` for national runs).

    ``units``: the contract's units table (``anchor_units()``, ``province_units(code)``,
    ``national_units()``); ``months``: ``"2026-08"``, ``"2026-01..2026-12"`` or dates;
    ``dossiers``: total dossiers (default: the real volumes, seasonally adjusted); ``facts``: the
    real figures that calibrate the rates (default: the bundled Phú Thọ, August 2026);
    ``personal``: add FAKE applicant columns. Deterministic for a seed.
    """
    months = _as_months(months)
    units = _as_units(units)
    prepared = prepare(units, months, seed=seed, dossiers=dossiers, facts=facts)
    catalogue = prepared[1]
    d_parts, p_parts = [], []
    for _, _, _, d, p in iter_chunks(units, months, seed=seed, facts=facts, personal=personal, prepared=prepared):
        d_parts.append(d)
        p_parts.append(p)
    schema = {**DOSSIER_SCHEMA, **({c: pl.String() for c in PERSONAL_COLUMNS} if personal else {})}
    return Records(
        dossiers=pl.concat(d_parts) if d_parts else pl.DataFrame(schema=schema),
        procedures=catalogue.select(list(PROCEDURE_SCHEMA)),
        petitions=pl.concat(p_parts) if p_parts else pl.DataFrame(schema=PETITION_SCHEMA),
        units=units,
    )


# --------------------------------------------------------------------------------------------
# writing

SYNTHETIC_NOTE = """# DỮ LIỆU GIẢ LẬP — SYNTHETIC DATA

Các bảng trong thư mục này là dữ liệu **giả lập** do `python -m analysis generate` sinh ra, không
phải hồ sơ thật của bất kỳ người dân, doanh nghiệp hay cơ quan nào. Không dùng để báo cáo.

Every table in this folder is **synthetic**: generated by `python -m analysis generate`, not the
records of any real person, business or office. Do not report it as real.

- generator: `analysis.synthetic.generate` (seed {seed}; the same seed gives byte-identical files)
- units: {units_note}
- months: {months}
- dossiers: {dossiers} · petitions: {petitions} · procedures: {procedures} catalogue rows
- calibration: per-unit ratios of the real portal figures for Phú Thọ (H44), {anchor}
  (`data/portal/phu-tho-2026-08/facts.csv`); in that month each Phú Thọ unit receives exactly the
  number of dossiers the portal counted.
- personal columns: {personal}
- layout: {layout}

Columns follow the data contract, section 3 (`dossiers`, `procedures`, `petitions`), plus
`fee_amount` (VND) on dossiers and `time_limit_days`, `fee_amount` on procedures.
"""


def _vi(n: int) -> str:
    """Vietnamese thousands separator: 184.513."""
    return f"{n:,}".replace(",", ".")


def _text_datetimes(frame: pl.DataFrame) -> pl.DataFrame:
    """Datetimes as ``YYYY-MM-DD HH:MM:SS`` text for CSV and XLSX (as one-stop-shop exports show them)."""
    return frame.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S") for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
    )


XLSX_MAX_ROWS = 1_048_575


def write_frame(frame: pl.DataFrame, path: Path) -> Path:
    """Write one table atomically; XLSX with fixed document properties so the bytes depend only on the data."""
    from analysis.io.load import publish, write_table

    if path.suffix == ".parquet":
        return write_table(frame, path)
    frame = _text_datetimes(frame)
    if path.suffix == ".csv":
        return write_table(frame, path)
    if frame.height > XLSX_MAX_ROWS:
        raise fail(path, f"{frame.height:,} rows do not fit in one worksheet (at most {XLSX_MAX_ROWS:,}); use --format parquet or csv, or fewer --dossiers")
    import os
    import tempfile

    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(temporary)
        workbook.set_properties({"title": "Dữ liệu giả lập (synthetic)", "created": datetime(2026, 1, 1)})
        frame.write_excel(workbook=workbook, worksheet="data", autofit=False)
        workbook.close()
        publish(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _clear_previous(out: Path) -> None:
    """Remove the tables of an earlier synthetic run in ``out`` (only if it is labelled synthetic)."""
    import shutil

    if not out.exists():
        return
    if not out.is_dir():
        raise fail(out, "is a file, not a folder")
    entries = [p for p in out.iterdir() if not p.name.startswith(".")]
    if entries and not (out / "SYNTHETIC.md").exists():
        raise fail(out, "the folder is not empty and holds no SYNTHETIC.md: choose an empty folder for synthetic data")
    for name in ("dossiers", "petitions"):
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    for p in out.glob("*"):
        if p.is_file() and p.suffix in (".parquet", ".csv", ".xlsx") and p.stem in ("dossiers", "petitions", "procedures", "units"):
            p.unlink()


def write_records(
    out: str | Path,
    units: pl.DataFrame,
    months: Sequence[date | str] | str,
    *,
    seed: int,
    dossiers: int | None = None,
    fmt: str = "parquet",
    partitioned: bool = False,
    personal: bool = False,
    facts: pl.DataFrame | None = None,
    units_note: str = "",
) -> dict[str, object]:
    """Generate and write records to ``out``; return a summary (counts, files).

    ``partitioned``: dossiers and petitions as hive-partitioned Parquet,
    ``dossiers/year=YYYY/month=MM/province=H44/part-0.parquet``, written one province-month at a
    time (memory stays bounded for a national year); otherwise one file per table.
    """
    out = Path(out)
    months = _as_months(months)
    units = _as_units(units)
    if fmt not in ("parquet", "csv", "xlsx"):
        raise fail("--format", f"unknown format '{fmt}' (use parquet, csv or xlsx)")
    if partitioned and fmt != "parquet":
        raise fail("--format", "partitioned (national) output is Parquet only: use --format parquet")
    facts = anchor_facts() if facts is None else facts
    _clear_previous(out)
    out.mkdir(parents=True, exist_ok=True)
    n_dossiers = n_petitions = 0
    d_parts: list[pl.DataFrame] = []
    p_parts: list[pl.DataFrame] = []
    prepared = prepare(units, months, seed=seed, dossiers=dossiers, facts=facts)
    for month, province, number, d, p in iter_chunks(units, months, seed=seed, facts=facts, personal=personal, prepared=prepared):
        n_dossiers += d.height
        n_petitions += p.height
        if partitioned:
            part = f"year={month.year}/month={month.month:02d}/province={province}/part-{number}.parquet"
            if d.height:
                write_frame(d, out / "dossiers" / part)
            if p.height:
                write_frame(p, out / "petitions" / part)
        else:
            d_parts.append(d)
            p_parts.append(p)
    catalogue = prepared[1].select(list(PROCEDURE_SCHEMA))
    files = []
    if not partitioned:
        schema = {**DOSSIER_SCHEMA, **({c: pl.String() for c in PERSONAL_COLUMNS} if personal else {})}
        files.append(write_frame(pl.concat(d_parts) if d_parts else pl.DataFrame(schema=schema), out / f"dossiers.{fmt}"))
        files.append(write_frame(pl.concat(p_parts) if p_parts else pl.DataFrame(schema=PETITION_SCHEMA), out / f"petitions.{fmt}"))
    files.append(write_frame(catalogue, out / f"procedures.{fmt}"))
    files.append(write_frame(units, out / f"units.{fmt}"))
    summary: dict[str, object] = {
        "synthetic": True,
        "generator": "analysis.synthetic.generate",
        "seed": seed,
        "months": [m.strftime("%Y-%m") for m in months],
        "units": units.height,
        "dossiers": n_dossiers,
        "petitions": n_petitions,
        "procedures": catalogue.height,
        "format": fmt,
        "partitioned": partitioned,
        "personal_columns": PERSONAL_COLUMNS if personal else [],
        "calibration": {"facts": "data/portal/phu-tho-2026-08/facts.csv", "period": str(facts["period"][0]) if facts.height else None},
    }
    from analysis.io.load import write_bytes_atomic

    write_bytes_atomic((json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode(), out / "metadata.json")
    layout = (
        "`dossiers/` and `petitions/` hive-partitioned Parquet (`year=YYYY/month=MM/province=XX/part-N.parquet`); "
        f"`procedures.{fmt}`, `units.{fmt}` beside them"
        if partitioned else f"`dossiers.{fmt}`, `petitions.{fmt}`, `procedures.{fmt}`, `units.{fmt}`"
    )
    note = SYNTHETIC_NOTE.format(
        seed=seed, units_note=units_note or f"{units.height} units", months=", ".join(summary["months"]),  # type: ignore[arg-type]
        dossiers=_vi(n_dossiers), petitions=_vi(n_petitions), procedures=_vi(catalogue.height), anchor=summary["calibration"]["period"],  # type: ignore[index]
        personal="FAKE applicant columns " + ", ".join(PERSONAL_COLUMNS) + " (visibly fake: `Giả Lập` names, ID numbers starting 000, phones starting 0000)" if personal else "none",
        layout=layout,
    )
    write_bytes_atomic(note.encode(), out / "SYNTHETIC.md")
    summary["files"] = [str(f) for f in files]
    return summary


def main(args: argparse.Namespace) -> int:
    """``python -m analysis generate``: write synthetic records (see the module docstring)."""
    seed = int(getattr(args, "seed", 766))
    dossiers = getattr(args, "dossiers", None)
    if dossiers is not None and dossiers < 0:
        raise fail("--dossiers", f"{dossiers} is negative")
    months = parse_months(getattr(args, "months", None) or "2026-08")
    national = bool(getattr(args, "national", False))
    fmt = getattr(args, "format", None) or "parquet"
    out = Path(getattr(args, "out", None) or SYNTHETIC_DIR)
    anchor = anchor_units()
    if national:
        units = national_units(anchor)
        note = f"34 provinces, {_vi(units.height)} units (Phú Thọ real; others: official 2025 commune list)"
    else:
        code = province_code(getattr(args, "province", None) or ANCHOR_PROVINCE)
        units = province_units(code, anchor)
        note = f"{code}: {units.height} units" + (" (real structure, bundled portal facts)" if code == ANCHOR_PROVINCE else " (official 2025 commune list)")
    summary = write_records(
        out, units, months, seed=seed, dossiers=dossiers, fmt=fmt, partitioned=national or bool(getattr(args, "partitioned", False)),
        personal=bool(getattr(args, "personal", False)), units_note=note,
    )
    print(f"dữ liệu giả lập (synthetic): {_vi(summary['dossiers'])} hồ sơ, {_vi(summary['petitions'])} PAKN, "  # type: ignore[arg-type]
          f"{_vi(summary['procedures'])} dòng danh mục TTHC; {note}; tháng {', '.join(summary['months'])} → {out}")  # type: ignore[arg-type]
    return 0
