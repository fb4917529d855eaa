"""Per-unit profiles: each unit's dossier volume and the rates its records are drawn with.

Each Phú Thọ unit draws every dossier flag (đúng hạn, nộp trực tuyến, thanh toán trực tuyến, kết
quả điện tử, số hóa, tái sử dụng dữ liệu, kho dữ liệu cá nhân, dữ liệu dân cư, đánh giá) with the
ratio the portal published for it, and in the calibration month receives exactly as many
dossiers as the portal counted. Units of other provinces borrow the profile of a Phú Thọ unit of
the same level, their on-time rate shifted to their province's published progress score (TDGQ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from analysis.paths import NATIONAL_SCORES
from analysis.synthetic.randoms import py_rng
from analysis.synthetic.units import anchor_facts, root_of

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
    root = root_of(units)
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
        roots = root_of(units)
        missing = missing.join(roots, on="unit_code", how="left")
        anchor_root = real.filter(pl.col("level") == "province").row(0, named=True)
        by_code = {r["unit_code"]: r for r in real.iter_rows(named=True)}
        communes = real.filter(pl.col("level") == "commune").sort("unit_code").iter_rows(named=True)
        communes = list(communes)
        depts = {c.split(".", 1)[1]: r for c, r in by_code.items() if r["level"] == "department"}
        targets = province_targets()
        rows = []
        for province, group in missing.group_by("province", maintain_order=True):
            rng = py_rng(seed, "profile", province[0])
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

