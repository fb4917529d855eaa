"""The units records are generated for (đơn vị): Phú Thọ's real ones, any province, the whole country.

Phú Thọ (H44) is the real structure of the bundled portal facts (the province, its departments
and communes); any other province takes its communes from the official 2025 list
(``data/reference/units_2025_new.csv``) and Phú Thọ's departments by name.
"""

from __future__ import annotations

import polars as pl

from analysis.contract import province_key
from analysis.errors import fail
from analysis.paths import BUNDLED_FACTS, DATA
from analysis.scoring.facts import read_facts
from analysis.scoring.score import units_of
from analysis.synthetic.schema import UNIT_SCHEMA, as_units

REFERENCE = DATA / "reference"
COMMUNES_FILE = REFERENCE / "units_2025_new.csv"
PROVINCES_FILE = REFERENCE / "provinces_2025.csv"
ANCHOR_PROVINCE = "H44"
"""The province whose real unit figures calibrate the generator (Phú Thọ, bundled facts)."""


def anchor_facts() -> pl.DataFrame:
    """The bundled real facts (Phú Thọ, August 2026) that calibrate the generator."""
    return read_facts(BUNDLED_FACTS)


def anchor_units(facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Phú Thọ's real units (the province, its departments and communes) from the bundled facts."""
    units = units_of(anchor_facts() if facts is None else facts).drop("period")
    return as_units(units)


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
    province = as_units(pl.DataFrame(
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
    return pl.concat([province, as_units(depts), as_units(communes)])


def national_units(anchor: pl.DataFrame | None = None) -> pl.DataFrame:
    """All 34 provinces with their departments and communes (Phú Thọ's are the real ones)."""
    anchor = anchor_units() if anchor is None else anchor
    return pl.concat([province_units(c, anchor) for c in provinces()["portal_code"].sort().to_list()])


def root_of(units: pl.DataFrame) -> pl.DataFrame:
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

