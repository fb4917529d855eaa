"""The generator's pure API: synthetic records for units and months, in memory or a province-month at a time.

Random numbers are counter-based (:mod:`analysis.synthetic.randoms`): the same seed gives
byte-identical records (with the same polars version), and a national year is generated one
province-month at a time without holding it in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

import polars as pl

from analysis.synthetic.catalogue import procedure_catalogue
from analysis.synthetic.dossiers import dossier_chunk
from analysis.synthetic.petitions import petition_chunk
from analysis.synthetic.profiles import unit_profiles
from analysis.synthetic.schema import (
    DOSSIER_SCHEMA,
    PERSONAL_COLUMNS,
    PETITION_SCHEMA,
    PROCEDURE_SCHEMA,
    Records,
    as_units,
)
from analysis.synthetic.seasons import as_months, monthly_counts, parse_months, snapshot_of
from analysis.synthetic.units import anchor_facts

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
    snapshot = snapshot_of(months)
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
    months = as_months(months)
    units = as_units(units)
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

