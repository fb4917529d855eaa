"""The national portal's figures (số liệu Cổng DVCQG) → facts.

Two ways in, one conversion:

* the portal's JSON responses as saved from its reporting pages (six endpoints:
  ``transparency``, ``dvc-progress-tree``, ``provide-online-tree``,
  ``formality-online-payment-tree``, ``handling-satisfaction``, ``dossier-digitized``);
* the long table ``period, endpoint, unit_code, unit_name, level, measure, value`` that
  collectors publish (one row per numeric field).

Both become the long table first (:func:`portal_measures`), then facts
(:func:`measures_to_facts`) and the published scorecard (:func:`published_scorecard`), which
is what the portal itself showed, kept for reconciliation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.errors import InputError, Problem, fail
from analysis.facts import SCHEMA as FACTS_SCHEMA
from analysis.load import read_table, require_columns
from analysis.periods import is_period

ENDPOINTS = {
    "transparency": "CKMB",
    "dvc-progress-tree": "TDGQ",
    "provide-online-tree": "CLGQ",
    "formality-online-payment-tree": "TTTT",
    "handling-satisfaction": "MDHL",
    "dossier-digitized": "MDSH",
}
"""Each endpoint and the group whose score it publishes."""

PORTAL_LEVELS = {"PARENT": "province", "PROVINCE": "department", "COMMUNE": "commune", "DISTRICT": "district"}
"""The portal's level words → the contract's levels (PROVINCE is a provincial department)."""

# Indicators computed from fields of a unit (endpoint, indicator, numerator expression, denominator).
# Metric endpoints (transparency, handling-satisfaction, dossier-digitized) carry
# ``<CODE>.numerator`` and ``<CODE>.denominator`` themselves and need no entry here.
FIELD_INDICATORS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("dvc-progress-tree", "ON_TIME", ("totalOnTime",), "totalReceived"),
    ("dvc-progress-tree", "AVG_PROCESSING_DAYS", ("avgProcessingDays",), ""),
    ("provide-online-tree", "ONLINE_PROVISION", ("partialCount", "fullCount"), "authorityCount"),
    ("provide-online-tree", "ONLINE_USAGE", ("onlineDossierCount",), "onlineServiceTotal"),
    ("provide-online-tree", "ONLINE_DOSSIER", ("channelOnlineSum",), "channelTotalSum"),
    ("provide-online-tree", "DIRECT_DOSSIER", ("channelDirectSum",), "channelTotalSum"),
    ("provide-online-tree", "POSTAL_DOSSIER", ("channelPostalSum",), "channelTotalSum"),
    ("formality-online-payment-tree", "PAYMENT_DOSSIER", ("totalDossierOnlinePaymentSuccess",), "totalDossierFinancialObligation"),
    ("formality-online-payment-tree", "PAYMENT_FORMALITY", ("totalDossierOnlineFormalityPaymentSuccess",), "totalFeeFormality"),
    ("formality-online-payment-tree", "FEE_INTEGRATED", ("totalFeeDossierFormality",), "totalFeeFormality"),
)
# AVG_PROCESSING_DAYS: the portal publishes the mean only; it enters as numerator = mean days
# over a denominator of 1 (a "mean" measure, never summed up a hierarchy).

MEASURE_SCHEMA = {
    "period": pl.String,
    "endpoint": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "level": pl.String,
    "measure": pl.String,
    "value": pl.Float64,
}


@dataclass(frozen=True)
class PortalData:
    """What a set of portal figures gives: facts, and the scores the portal published."""

    facts: pl.DataFrame
    published: pl.DataFrame
    measures: pl.DataFrame


# --------------------------------------------------------------------------------------------
# JSON responses → long measures


def _unit_rows(payload: dict, endpoint: str) -> list[tuple[dict, str]]:
    """(unit record, portal level word) for the province and every child in a response."""
    data = payload.get("data") or {}
    if "parent" in data:  # *-tree endpoints
        rows = [(data["parent"], "PARENT")]
        rows += [(child, str(child.get("level", "PROVINCE"))) for child in data.get("children") or []]
        return rows
    if "overview" in data:  # metric endpoints
        rows = [(data["overview"], "PARENT")]
        rows += [(unit, str(unit.get("departmentLevel", "PROVINCE"))) for unit in data.get("evaluation") or []]
        return rows
    raise ValueError(f"{endpoint}: neither data.parent nor data.overview in the response")


def _numeric_fields(unit: dict) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, value in unit.items():
        if key == "metrics":
            for metric in value or []:
                for field in ("numerator", "denominator", "ratio", "score", "maxScore"):
                    out[f"{metric['code']}.{field}"] = _number(metric.get(field))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) or value is None:
            out[key] = _number(value)
    return out


def _number(value: object) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)  # type: ignore[arg-type]


def measures_from_json(folder: Path, period: str) -> pl.DataFrame:
    """Read the saved responses in ``folder`` (``<endpoint>.json``) into the long measures table."""
    files = {p.stem: p for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {folder.stem: folder}
    unknown = [name for name in files if name not in ENDPOINTS]
    found = {name: path for name, path in files.items() if name in ENDPOINTS}
    if not found:
        raise fail(folder, f"no portal responses found (expected files named {', '.join(f'{e}.json' for e in ENDPOINTS)})")
    if unknown and folder.is_file():
        raise fail(folder, f"'{folder.name}' is not one of the portal endpoints ({', '.join(ENDPOINTS)})")
    id_to_code: dict[str, str] = {}
    payloads: dict[str, dict] = {}
    problems: list[Problem] = []
    for endpoint, path in found.items():
        try:
            payloads[endpoint] = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"not valid JSON: {exc}"))
            continue
        try:
            for unit, _ in _unit_rows(payloads[endpoint], endpoint):
                if unit.get("departmentCode") and unit.get("departmentId"):
                    id_to_code[str(unit["departmentId"])] = str(unit["departmentCode"])
        except (ValueError, AttributeError, TypeError) as exc:
            problems.append(Problem(str(path), f"not a portal response: {exc}"))
    if problems:
        raise InputError(problems)
    rows: list[tuple] = []
    for endpoint, payload in payloads.items():
        for n, (unit, level) in enumerate(_unit_rows(payload, endpoint), start=1):
            code = unit.get("departmentCode") or id_to_code.get(str(unit.get("departmentId")))
            if not code:
                problems.append(Problem(str(found[endpoint]), f"unit '{unit.get('departmentName')}' has no departmentCode and its departmentId is in no other response", n, "departmentCode"))
                continue
            for measure, value in _numeric_fields(unit).items():
                rows.append((period, endpoint, str(code), str(unit.get("departmentName", "")), level, measure, value))
    if problems:
        raise InputError(problems)
    return pl.DataFrame(rows, schema=MEASURE_SCHEMA, orient="row")


def measures_from_table(path: Path) -> pl.DataFrame:
    """Read the collectors' long CSV (``period, endpoint, unit_code, unit_name, level, measure, value``)."""
    raw = read_table(path, aliases={})
    require_columns(raw, list(MEASURE_SCHEMA), source=str(path))
    bad = raw.filter(pl.col("value").is_not_null() & pl.col("value").cast(pl.Float64, strict=False).is_null())
    if bad.height:
        raise InputError([Problem(str(path), f"'{v}' is not a number", r, "value") for r, v in bad.select("_row", "value").iter_rows()])
    unknown = raw.filter(~pl.col("endpoint").is_in(list(ENDPOINTS)))
    if unknown.height:
        raise InputError([Problem(str(path), f"unknown endpoint '{e}'", r, "endpoint") for r, e in unknown.select("_row", "endpoint").iter_rows()])
    return raw.select(list(MEASURE_SCHEMA)).cast(MEASURE_SCHEMA)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# long measures → facts and published scores


def units_of(measures: pl.DataFrame) -> pl.DataFrame:
    """One row per unit: code, name, level and parent (the province is the parent of the rest)."""
    units = (
        measures.select("period", "unit_code", "unit_name", "level")
        .unique(["period", "unit_code"], keep="first", maintain_order=True)
        .with_columns(pl.col("level").replace_strict(PORTAL_LEVELS, default=pl.col("level").str.to_lowercase()))
    )
    roots = units.filter(pl.col("level") == "province").select("period", pl.col("unit_code").alias("parent_code"))
    units = units.join(roots, on="period", how="left").with_columns(
        pl.when(pl.col("level") == "province").then(None).otherwise(pl.col("parent_code")).alias("parent_code")
    )
    return units


def measures_to_facts(measures: pl.DataFrame) -> pl.DataFrame:
    """Facts rows for every unit and indicator the measures give."""
    wide = measures.pivot(on="measure", index=["period", "endpoint", "unit_code"], values="value", aggregate_function="first")
    parts: list[pl.DataFrame] = []
    # metric endpoints: <CODE>.numerator / .denominator / .score
    metric_codes = sorted({m.split(".")[0] for m in measures["measure"].unique().to_list() if m.endswith(".numerator")})
    for code in metric_codes:
        cols = [f"{code}.numerator", f"{code}.denominator", f"{code}.score"]
        part = wide.filter(pl.col(f"{code}.maxScore").is_not_null() | pl.col(cols[0]).is_not_null() | pl.col(cols[1]).is_not_null()) if f"{code}.maxScore" in wide.columns else wide
        parts.append(
            part.select(
                "period", "unit_code", pl.lit(code).alias("indicator"),
                pl.col(cols[0]).alias("numerator"), pl.col(cols[1]).alias("denominator"),
                pl.col(cols[2]).alias("published_score"),
            )
        )
    # field endpoints
    for endpoint, indicator, numerator, denominator in FIELD_INDICATORS:
        part = wide.filter(pl.col("endpoint") == endpoint)
        if not all(c in part.columns for c in numerator):
            continue
        part = part.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in numerator))
        if denominator and denominator not in part.columns:
            continue
        group = ENDPOINTS[endpoint]
        single = endpoint == "dvc-progress-tree" and indicator == "ON_TIME"
        published = (
            pl.coalesce(pl.col("score") if "score" in part.columns else pl.lit(None), pl.col("totalScore"))
            if single else pl.lit(None, dtype=pl.Float64)
        )
        parts.append(
            part.select(
                "period", "unit_code", pl.lit(indicator).alias("indicator"),
                pl.sum_horizontal(pl.col(c) for c in numerator).alias("numerator"),
                (pl.col(denominator) if denominator else pl.lit(1.0)).alias("denominator"),
                published.cast(pl.Float64).alias("published_score"),
            )
        )
        del group
    # groups published without all the counts behind them (CLGQ of departments and communes; a
    # response that gives only part of a group's fields): the published score enters as a group
    # row, and scoring takes it in place of the incomplete counts (missing is not zero)
    for endpoint, group in ENDPOINTS.items():
        fields = [
            field for ep, _, num, den in FIELD_INDICATORS if ep == endpoint for field in (*num, den) if field
        ]
        if not fields or endpoint == "dvc-progress-tree" or "totalScore" not in wide.columns:
            continue
        complete = pl.all_horizontal(pl.col(f).is_not_null() if f in wide.columns else pl.lit(False) for f in fields)
        part = wide.filter((pl.col("endpoint") == endpoint) & ~complete & pl.col("totalScore").is_not_null())
        parts.append(
            part.select(
                "period", "unit_code", pl.lit(group).alias("indicator"),
                pl.lit(None, dtype=pl.Float64).alias("numerator"), pl.lit(None, dtype=pl.Float64).alias("denominator"),
                pl.col("totalScore").alias("published_score"),
            )
        )
    facts = pl.concat([p.cast({"numerator": pl.Float64, "denominator": pl.Float64, "published_score": pl.Float64}) for p in parts])
    units = units_of(measures)
    facts = facts.join(units, on=["period", "unit_code"], how="left").with_columns(pl.lit(None, dtype=pl.Date).alias("as_of"))
    order = {code: n for n, code in enumerate(units["unit_code"].to_list())}
    return (
        facts.select(list(FACTS_SCHEMA))
        .cast(FACTS_SCHEMA)  # type: ignore[arg-type]
        .with_columns(pl.col("unit_code").replace_strict(order, default=len(order)).alias("_order"))
        .sort("period", "_order", "indicator")
        .drop("_order")
    )


def published_scorecard(measures: pl.DataFrame) -> pl.DataFrame:
    """The group scores the portal published per unit (and their sum as ``total``)."""
    scores = measures.filter(pl.col("measure").is_in(["totalScore", "score"])).with_columns(
        pl.col("endpoint").replace_strict(ENDPOINTS).alias("group")
    )
    # dvc-progress-tree gives children 'score' and the province 'totalScore'
    scores = scores.sort("measure", descending=True).unique(["period", "unit_code", "group"], keep="first")
    wide = scores.pivot(on="group", index=["period", "unit_code"], values="value")
    groups = [g for g in ENDPOINTS.values() if g in wide.columns]
    wide = wide.with_columns(pl.sum_horizontal(groups).round(2).alias("total"))
    units = units_of(measures)
    return units.join(wide, on=["period", "unit_code"], how="left").select(
        "period", "unit_code", "unit_name", "level", "parent_code", *groups, "total"
    )


def read_portal(path: str | Path, *, period: str | None = None) -> PortalData:
    """Read saved portal responses (a folder of ``<endpoint>.json``) or the collectors' long CSV."""
    target = Path(path)
    if target.is_dir() or target.suffix.lower() == ".json":
        if period is None:
            found = re.search(r"(\d{4}-\d{2})(?!.*\d{4}-\d{2})", str(target.resolve()))
            period = found.group(1) if found else None
        if period is None or not is_period(period):
            raise fail(target, "the portal's responses do not say their period: give it (--period 2026-08)")
        measures = measures_from_json(target, period)
    else:
        measures = measures_from_table(target)
    return PortalData(measures_to_facts(measures), published_scorecard(measures), measures)
