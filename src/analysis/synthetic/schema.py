"""The tables the generator writes: the data contract's record schemas (section 3) and a run's records."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

DOSSIER_SCHEMA = pl.Schema({
    "dossier_id": pl.String(),
    "unit_code": pl.String(),
    "procedure_code": pl.String(),
    "received_at": pl.Datetime("us"),
    "due_at": pl.Datetime("us"),
    "finished_at": pl.Datetime("us"),
    "status": pl.String(),
    "supplement_requests": pl.Int64(),
    "channel": pl.String(),
    "synced": pl.Boolean(),
    "fee_required": pl.Boolean(),
    "paid_online": pl.Boolean(),
    "e_result": pl.Boolean(),
    "digitized": pl.Boolean(),
    "reused_data": pl.Boolean(),
    "personal_store": pl.Boolean(),
    "citizen_data": pl.Boolean(),
    "rating": pl.String(),
    "fee_amount": pl.Int64(),
})
"""Dossier columns: the contract's (section 3) plus ``fee_amount`` (lệ phí, VND; null without a fee)."""

PERSONAL_COLUMNS = ["applicant_name", "applicant_id_number", "applicant_phone", "applicant_address"]
"""Optional FAKE personal columns (họ tên, số CCCD, số điện thoại, địa chỉ) for testing that loaders drop them."""

PROCEDURE_SCHEMA = pl.Schema({
    "unit_code": pl.String(),
    "procedure_code": pl.String(),
    "online_level": pl.String(),
    "has_fee": pl.Boolean(),
    "fee_integrated": pl.Boolean(),
    "citizen_subject": pl.Boolean(),
    "time_limit_days": pl.Int64(),
    "fee_amount": pl.Int64(),
})
"""Procedure catalogue: the contract's columns plus the legal time limit (working days) and the fee."""

PETITION_SCHEMA = pl.Schema({
    "petition_id": pl.String(),
    "unit_code": pl.String(),
    "received_at": pl.Datetime("us"),
    "due_at": pl.Datetime("us"),
    "resolved_at": pl.Datetime("us"),
    "category": pl.String(),
    "unsatisfied": pl.Boolean(),
})

UNIT_SCHEMA = pl.Schema({
    "unit_code": pl.String(),
    "unit_name": pl.String(),
    "level": pl.String(),
    "parent_code": pl.String(),
    "gso_code": pl.String(),
    "valid_from": pl.Date(),
    "valid_to": pl.Date(),
})
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
