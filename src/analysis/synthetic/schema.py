"""The tables the generator writes: the data contract's record schemas (section 3) and a run's records."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.contract import schema

DOSSIER_SCHEMA = pl.Schema({**schema("dossiers", extensions=False), "fee_amount": pl.Int64()})
"""Dossier columns: the contract's (section 3) plus ``fee_amount`` (lệ phí, VND; null without a fee)."""

PERSONAL_COLUMNS = ["applicant_name", "applicant_id_number", "applicant_phone", "applicant_address"]
"""Optional FAKE personal columns (họ tên, số CCCD, số điện thoại, địa chỉ) for testing that loaders drop them."""

PROCEDURE_SCHEMA = pl.Schema({**schema("procedures"), "time_limit_days": pl.Int64(), "fee_amount": pl.Int64()})
"""Procedure catalogue: the contract's columns plus the legal time limit (whole working days, so Int64
here) and the fee."""

PETITION_SCHEMA = schema("petitions")

UNIT_SCHEMA = schema("units")
"""Units in the contract's schema (section 1); validity dates are left empty (not known here)."""


@dataclass(frozen=True)
class Records:
    """Synthetic records of one run, in the data contract's record schemas."""

    dossiers: pl.DataFrame
    procedures: pl.DataFrame
    petitions: pl.DataFrame
    units: pl.DataFrame


def as_units(frame: pl.DataFrame) -> pl.DataFrame:
    """Any frame with unit_code, unit_name, level, parent_code → the units schema (absent columns empty)."""
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in UNIT_SCHEMA.items() if c not in frame.columns]
    return frame.with_columns(missing).select(list(UNIT_SCHEMA)).cast(UNIT_SCHEMA)
