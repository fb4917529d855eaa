"""The procedure catalogue (danh mục thủ tục hành chính) under each unit, and how dossiers draw from it."""

from __future__ import annotations

import random

import polars as pl

from analysis.synthetic.randoms import key_of
from analysis.synthetic.schema import PROCEDURE_SCHEMA

ZIPF = 2.0
"""Popularity of procedures: the k-th most used gets weight 1 / k^ZIPF (a few procedures take most dossiers)."""


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


def draw_table(catalogue: pl.DataFrame, unit_index: pl.DataFrame) -> pl.DataFrame:
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

