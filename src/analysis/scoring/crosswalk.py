"""The 1 July 2025 reorganisation (sắp xếp đơn vị hành chính): old units under the new ones.

The National Statistics Office's conversion table, tidied into ``data/reference/crosswalk_ward_2025.csv``
(old commune → new commune, with the old district and province), lets a report show each new commune
with the former district it came from, and carry series of old units into the new ones.

Portal units are matched to the statistics office's by normalised name within the province (codes
differ: ``H44.100`` on the portal, ``25xxx`` at the statistics office), never on raw names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.contract import normalise_name, province_key
from analysis.paths import DATA

WARD_CROSSWALK = DATA / "reference" / "crosswalk_ward_2025.csv"

def read_ward_crosswalk(path: str | Path = WARD_CROSSWALK) -> pl.DataFrame:
    """The tidy old → new commune table, all columns as text."""
    return pl.read_csv(path, infer_schema=False)


def province_code_of(name: str, crosswalk: pl.DataFrame) -> str | None:
    """Statistics office code of a new province from its name (``UBND tỉnh Phú Thọ`` → ``25``)."""
    wanted = province_key(name)
    provinces = crosswalk.select("new_province_code", "new_province_name").unique()
    for code, full in provinces.iter_rows():
        if province_key(full) == wanted:
            return code
    return None


def former_districts(units: pl.DataFrame, crosswalk: pl.DataFrame, *, province_name: str) -> pl.DataFrame:
    """Each new commune of ``units`` with the former district most of its old communes came from.

    Returns ``unit_code, former_district, former_province, old_communes`` (how many old communes
    merged into it); communes whose name is not in the crosswalk are left out (``matched`` says how
    many were found).
    """
    code = province_code_of(province_name, crosswalk)
    if code is None:
        return pl.DataFrame(schema={"unit_code": pl.String, "former_district": pl.String, "former_province": pl.String, "old_communes": pl.UInt32})
    rows = crosswalk.filter(pl.col("new_province_code") == code).with_columns(
        pl.col("new_ward_name").map_elements(normalise_name, return_dtype=pl.String).alias("_name")
    )
    majority = (
        rows.group_by("_name", "old_district_name", "old_province_name").len()
        .sort("len", descending=True)
        .group_by("_name", maintain_order=True)
        .agg(
            pl.col("old_district_name").first().alias("former_district"),
            pl.col("old_province_name").first().alias("former_province"),
            pl.col("len").sum().alias("old_communes"),
        )
    )
    communes = units.filter(pl.col("level") == "commune").select(
        "unit_code", pl.col("unit_name").map_elements(normalise_name, return_dtype=pl.String).alias("_name")
    )
    return communes.join(majority, on="_name", how="inner").drop("_name")


PROVINCE_CROSSWALK = DATA / "reference" / "crosswalk_province_2025.csv"
PROVINCES_2025 = DATA / "reference" / "provinces_2025.csv"


def carry_to_new_provinces(
    facts: pl.DataFrame,
    *,
    crosswalk: str | Path = PROVINCE_CROSSWALK,
    provinces: str | Path = PROVINCES_2025,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Province facts of the 63 old provinces carried to the 34 new ones (số liệu quy đổi theo tỉnh mới).

    Old provinces are matched by normalised name (their old portal codes mean nothing after the
    reform; seven statistics codes even changed meaning). A new province's counts are the sums of
    its old provinces' (a ratio of sums), so a series can run across 1 July 2025 — with the break
    marked on the chart, since the units are not the same. Rows that cannot be summed — means
    (``AVG_PROCESSING_DAYS``) and published group scores without counts — are left out and
    returned as the second frame, with the reason, so nothing disappears silently.
    """
    table = pl.read_csv(crosswalk, infer_schema=False)
    new = pl.read_csv(provinces, infer_schema=False)
    old_names = table.select(
        pl.col("old_province_name").map_elements(province_key, return_dtype=pl.String).alias("_key"),
        pl.col("new_province_code").alias("gso_code"),
    ).unique("_key")
    targets = new.select("gso_code", pl.col("portal_code").alias("new_code"), pl.col("portal_name").alias("new_name"))
    rows = facts.filter(pl.col("level") == "province").with_columns(
        pl.col("unit_name").map_elements(province_key, return_dtype=pl.String).alias("_key")
    ).join(old_names, on="_key", how="left").join(targets, on="gso_code", how="left")
    unmatched = rows.filter(pl.col("new_code").is_null())
    summable = pl.col("numerator").is_not_null() | pl.col("denominator").is_not_null()
    mean = pl.col("indicator") == "AVG_PROCESSING_DAYS"
    left_out = pl.concat(
        [
            unmatched.with_columns(pl.lit("no new province for this name").alias("reason")),
            rows.filter(pl.col("new_code").is_not_null() & mean).with_columns(pl.lit("a mean cannot be summed").alias("reason")),
            rows.filter(pl.col("new_code").is_not_null() & ~mean & ~summable).with_columns(
                pl.lit("a published score without counts cannot be summed").alias("reason")
            ),
        ]
    ).select("period", "unit_code", "unit_name", "indicator", "reason")
    carried = (
        rows.filter(pl.col("new_code").is_not_null() & ~mean & summable)
        .group_by("period", "new_code", "new_name", "indicator")
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum(), pl.col("as_of").max(), pl.col("unit_name").n_unique().alias("_old"))
        .select(
            "period", pl.col("new_code").alias("unit_code"), pl.col("new_name").alias("unit_name"),
            pl.lit("province").alias("level"), pl.lit(None, dtype=pl.String).alias("parent_code"), "indicator",
            "numerator", "denominator", pl.lit(None, dtype=pl.Float64).alias("published_score"), "as_of",
        )
        .sort("period", "unit_code", "indicator")
    )
    return carried, left_out


def district_peers(districts: pl.DataFrame, unit_code: str) -> list[str] | None:
    """The communes that came from the same former district as ``unit_code`` (itself included), or None."""
    row = districts.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        return None
    return districts.filter(pl.col("former_district") == row["former_district"].item())["unit_code"].to_list()


@dataclass(frozen=True)
class RollUp:
    """Old units' facts carried under the new communes (quy đổi về xã, phường mới).

    ``facts``: one row per period × new commune × indicator; ``weights``: every old unit → new
    commune with the share of the old unit's counts it received (the stated weighting);
    ``unmatched``: old units found nowhere in the crosswalk and rows that cannot be summed, each
    with its reason (nothing is guessed, nothing disappears silently).
    """

    facts: pl.DataFrame
    weights: pl.DataFrame
    unmatched: pl.DataFrame


WEIGHTING = (
    "An old commune merged whole goes whole (weight 1); an old commune split between k new communes "
    "gives each 1/k of its counts (the crosswalk gives no areas or populations, so an equal split is "
    "the stated rule); an old district gives each new commune the share of its old communes "
    "(so weighted) that went there."
)
"""The weighting of :func:`roll_up_to_new_communes`, as said on the page."""


def _old_communes(crosswalk: pl.DataFrame, old_province: str) -> pl.DataFrame:
    rows = crosswalk.with_columns(
        pl.col("old_province_name").map_elements(province_key, return_dtype=pl.String).alias("_province"),
        pl.col("old_district_name").map_elements(normalise_name, return_dtype=pl.String).alias("_district"),
        pl.col("old_ward_name").map_elements(normalise_name, return_dtype=pl.String).alias("_commune"),
    )
    rows = rows.filter(pl.col("_province") == province_key(old_province))
    # an old commune listed under k new communes is split: 1/k each
    return rows.with_columns((1 / pl.len().over("old_ward_code")).alias("_share"))


def roll_up_to_new_communes(facts: pl.DataFrame, *, old_province: str,
                            crosswalk: pl.DataFrame | None = None) -> RollUp:
    """Districts and communes before 1 July 2025 carried under the new communes by summing counts.

    District rows are matched by normalised name within ``old_province`` (the province before the
    reform: district names repeat across provinces); commune
    rows by their own name and their parent district's.  A new commune's numerator and
    denominator are the weighted sums of its old units' (see :data:`WEIGHTING`), so its ratio is a
    ratio of sums, never a mean of ratios.  Means (``AVG_PROCESSING_DAYS``) and published
    scores without counts cannot be summed and are listed in ``unmatched`` with the reason.
    New communes carry the statistics office's code and name; the series crosses the reform,
    so a chart must mark the break.
    """
    table = _old_communes(crosswalk if crosswalk is not None else read_ward_crosswalk(), old_province)
    units = facts.select("period", "unit_code", "unit_name", "level", "parent_code").unique(["period", "unit_code"])
    names = units.select("unit_code", pl.col("unit_name").map_elements(normalise_name, return_dtype=pl.String).alias("_name")).unique("unit_code")
    once = units.unique("unit_code", keep="last")
    districts = once.filter(pl.col("level") == "district").join(names, on="unit_code").select("unit_code", pl.col("_name").alias("_district"))
    communes = (once.filter(pl.col("level") == "commune").join(names, on="unit_code")
                .join(names.rename({"unit_code": "parent_code", "_name": "_district"}), on="parent_code", how="left")
                .select("unit_code", pl.col("_name").alias("_commune"), "_district"))
    new = ["new_ward_code", "new_ward_name", "new_province_code"]
    per_district = table.group_by("_district").agg(pl.col("_share").sum().alias("_communes"))
    district_weights = (districts.join(table, on="_district", how="inner")
                        .group_by("unit_code", *new).agg(pl.col("_share").sum().alias("_part"), pl.col("_district").first())
                        .join(per_district, on="_district").with_columns((pl.col("_part") / pl.col("_communes")).alias("weight")))
    commune_weights = communes.join(table, on=["_district", "_commune"], how="inner").select(
        "unit_code", *new, pl.col("_share").alias("weight"))
    weights = pl.concat([district_weights.select("unit_code", *new, "weight"), commune_weights]).unique(
        ["unit_code", "new_ward_code"]).sort("unit_code", "new_ward_code")
    matched = set(weights["unit_code"].to_list())
    not_found = (units.filter(pl.col("level").is_in(["district", "commune"]) & ~pl.col("unit_code").is_in(list(matched)))
                 .unique("unit_code").select("unit_code", "unit_name", pl.lit(None, dtype=pl.String).alias("indicator"),
                                             pl.lit("not in the crosswalk (name and district)").alias("reason")))
    rows = facts.join(weights, on="unit_code", how="inner")
    summable = (pl.col("numerator").is_not_null() | pl.col("denominator").is_not_null()) & (pl.col("indicator") != "AVG_PROCESSING_DAYS")
    left_out = rows.filter(~summable).unique(["unit_code", "indicator"]).select(
        "unit_code", "unit_name", "indicator",
        pl.when(pl.col("indicator") == "AVG_PROCESSING_DAYS").then(pl.lit("a mean cannot be summed"))
        .otherwise(pl.lit("a published score without counts cannot be summed")).alias("reason"))
    carried = (rows.filter(summable)
               .group_by("period", "new_ward_code", "new_ward_name", "new_province_code", "indicator")
               .agg((pl.col("numerator") * pl.col("weight")).sum(), (pl.col("denominator") * pl.col("weight")).sum(),
                    pl.col("as_of").max())
               .select("period", pl.col("new_ward_code").alias("unit_code"), pl.col("new_ward_name").alias("unit_name"),
                       pl.lit("commune").alias("level"), pl.col("new_province_code").alias("parent_code"), "indicator",
                       "numerator", "denominator", pl.lit(None, dtype=pl.Float64).alias("published_score"), "as_of")
               .sort("period", "unit_code", "indicator"))
    return RollUp(carried, weights.rename({"unit_code": "old_unit_code"}), pl.concat([not_found, left_out]).sort("unit_code"))
