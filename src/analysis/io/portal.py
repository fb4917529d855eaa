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

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.contract import schema
from analysis.contract.periods import is_period
from analysis.errors import InputError, Problem, fail, quote_cell
from analysis.io.documents import read_json
from analysis.io.load import ROW, number_style, parse_number, quoted_cell, read_table, require_columns
from analysis.scoring.facts_check import check_facts
from analysis.scoring.methodology import Methodology, load_methodology

FACTS_SCHEMA = schema("facts")

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

MEASURE_SCHEMA = pl.Schema({
    "period": pl.String,
    "endpoint": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "level": pl.String,
    "measure": pl.String,
    "value": pl.Float64,
})


@dataclass(frozen=True)
class PortalData:
    """What a set of portal figures gives: facts, and the scores the portal published."""

    facts: pl.DataFrame
    published: pl.DataFrame
    measures: pl.DataFrame


# --------------------------------------------------------------------------------------------
# JSON responses → long measures


def _unit_rows(payload: object, endpoint: str) -> list[tuple[dict, str]]:
    """(unit record, portal level word) for the province and every child in a response."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise ValueError("no 'data' object in the response")
    if "parent" in data:  # *-tree endpoints
        head, children, level_key = data["parent"], data.get("children") or [], "level"
    elif "overview" in data:  # metric endpoints
        head, children, level_key = data["overview"], data.get("evaluation") or [], "departmentLevel"
    else:
        raise ValueError("neither data.parent nor data.overview in the response")
    if not isinstance(head, dict) or not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
        raise ValueError("the units of the response are not objects in a list")
    return [(head, "PARENT")] + [(child, str(child.get(level_key, "PROVINCE"))) for child in children]


PLAIN_NUMBER_TEXT = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def _number(value: object) -> float | None:
    """A JSON value as a number: null and booleans are no number, a number sent as text is read
    (``"1234"``, ``"12.5"``); anything else raises ValueError."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and PLAIN_NUMBER_TEXT.fullmatch(value.strip()):
        return float(value)
    raise ValueError(f"{quote_cell(value) if isinstance(value, str) else type(value).__name__} is not a number")


def _numeric_fields(unit: dict, problem: Callable[[str, str], None]) -> dict[str, float | None]:
    """A unit's numeric fields (``metrics`` spread as ``<CODE>.numerator`` …); problems go to ``problem``."""
    out: dict[str, float | None] = {}
    for key, value in unit.items():
        if key == "metrics":
            if not isinstance(value, list):
                problem(key, "metrics must be a list of objects with a code")
                continue
            for metric in value:
                if not isinstance(metric, dict) or not isinstance(metric.get("code"), str) or not metric["code"]:
                    problem(key, "a metric without a code")
                    continue
                for field in ("numerator", "denominator", "ratio", "score", "maxScore"):
                    try:
                        out[f"{metric['code']}.{field}"] = _number(metric.get(field))
                    except ValueError as exc:
                        problem(f"{metric['code']}.{field}", str(exc))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) or value is None:
            out[key] = _number(value)
        elif key in NUMERIC_FIELDS:  # a number sent as text is read; anything else is a problem
            try:
                out[key] = _number(value)
            except ValueError as exc:
                problem(key, str(exc))
    return out


NUMERIC_FIELDS = {
    field for _, _, numerator, denominator in FIELD_INDICATORS for field in (*numerator, denominator) if field
} | {"totalScore", "score", "totalMaxScore", "ratio"}
"""The fields that carry numbers the suite uses: text in them that is no number is reported."""


def measures_from_json(folder: Path, period: str) -> pl.DataFrame:
    """Read the saved responses in ``folder`` (``<endpoint>.json``) into the long measures table.

    Every unit record is checked: a code (or an id another response maps to a code), a unit
    listed once, metrics as a list of coded objects, numbers as numbers (a number sent as text
    is read).  Problems name the file, the unit's place in the response (1 = the province) and
    the field.
    """
    files = {p.stem: p for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {folder.stem: folder}
    unknown = [name for name in files if name not in ENDPOINTS]
    found = {name: path for name, path in files.items() if name in ENDPOINTS}
    if not found:
        raise fail(folder, f"no portal responses found (expected files named {', '.join(f'{e}.json' for e in ENDPOINTS)})")
    if unknown and folder.is_file():
        raise fail(folder, f"'{folder.name}' is not one of the portal endpoints ({', '.join(ENDPOINTS)})")
    id_to_code: dict[str, str] = {}
    units: dict[str, list[tuple[dict, str]]] = {}
    problems: list[Problem] = []
    for endpoint, path in found.items():
        try:
            units[endpoint] = _unit_rows(read_json(path), endpoint)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except ValueError as exc:
            problems.append(Problem(str(path), f"not a portal response: {exc}"))
            continue
        for unit, _ in units[endpoint]:
            if unit.get("departmentCode") and unit.get("departmentId"):
                id_to_code[str(unit["departmentId"])] = str(unit["departmentCode"])
    if problems:
        raise InputError(problems)
    rows: list[tuple] = []
    for endpoint, records in units.items():
        source = str(found[endpoint])
        seen: dict[str, int] = {}
        for n, (unit, level) in enumerate(records, start=1):
            code = unit.get("departmentCode") or id_to_code.get(str(unit.get("departmentId")))
            if not code or not isinstance(code, (str, int)):
                problems.append(Problem(source, "a unit without departmentCode, and its departmentId is in no other response", n, "departmentCode"))
                continue
            code = str(code)
            if code in seen:
                problems.append(Problem(source, f"unit {quote_cell(code)} is listed twice (first as unit {seen[code]})", n, "departmentCode"))
                continue
            seen[code] = n
            name = unit.get("departmentName")
            fields = _numeric_fields(unit, lambda key, message, n=n, source=source: problems.append(Problem(source, message, n, key)))
            for measure, value in fields.items():
                rows.append((period, endpoint, code, "" if name is None else str(name), level, measure, value))
    if problems:
        raise InputError(problems)
    return pl.DataFrame(rows, schema=MEASURE_SCHEMA, orient="row")


def measures_from_table(path: Path) -> pl.DataFrame:
    """Read the collectors' long CSV (``period, endpoint, unit_code, unit_name, level, measure, value``).

    Values are read by the same number rule as facts files; every problem (empty key cell,
    unknown endpoint, a value that is no number, a measure given twice) names its row.
    """
    raw = read_table(path, aliases={})
    source = str(path)
    require_columns(raw, list(MEASURE_SCHEMA), source=source)
    if raw.height == 0:
        raise fail(source, "no data rows (only a header)", row=2)
    style = number_style(raw, ["value"])
    typed = raw.with_columns(parse_number("value", style).alias("_value"))
    problems: list[Problem] = []

    def report(mask: pl.Expr, column: str, message: pl.Expr) -> None:
        rows = typed.filter(mask).select(ROW, message.alias("_m"))
        problems.extend(Problem(source, m, r, column) for r, m in rows.iter_rows())

    for column in ("period", "endpoint", "unit_code", "level", "measure"):
        report(pl.col(column).is_null(), column, pl.lit("empty cell"))
    report(pl.col("value").is_not_null() & pl.col("_value").is_null(), "value",
           pl.format("{} is not a finite number (or an ambiguous one: write it without thousands separators)",
                     quoted_cell("value")))
    report(pl.col("endpoint").is_not_null() & ~pl.col("endpoint").is_in(list(ENDPOINTS)), "endpoint",
           pl.format("unknown endpoint {}", quoted_cell("endpoint")))
    key = ["period", "endpoint", "unit_code", "measure"]
    typed = typed.with_columns(pl.col(ROW).min().over(key).alias("_first"))
    report(pl.all_horizontal(pl.col(k).is_not_null() for k in key) & (pl.col(ROW) != pl.col("_first")), "measure",
           pl.format("{} of unit {} given twice (first at row {})", quoted_cell("measure"), quoted_cell("unit_code"), "_first"))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputError(problems)
    return typed.select(*[c for c in MEASURE_SCHEMA if c != "value"], pl.col("_value").alias("value")).cast(MEASURE_SCHEMA)


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
        .cast(FACTS_SCHEMA)
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


def read_portal(path: str | Path, *, period: str | None = None, methodology: Methodology | None = None) -> PortalData:
    """Read saved portal responses (a folder of ``<endpoint>.json``) or the collectors' long CSV.

    The facts they give go through the same checks as a facts file (:func:`check_portal_facts`).
    """
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
    if measures.is_empty():
        raise fail(target, "the portal's figures hold no unit")
    facts = check_portal_facts(measures_to_facts(measures), source=str(target), methodology=methodology)
    return PortalData(facts, published_scorecard(measures), measures)


def check_portal_facts(facts: pl.DataFrame, *, source: str, methodology: Methodology | None = None) -> pl.DataFrame:
    """The facts checks (:func:`analysis.scoring.facts.check_facts`) on facts made from portal figures.

    A problem is named by unit and indicator (the figures have no rows of their own).
    """
    method = methodology or load_methodology()
    try:
        return check_facts(facts.with_columns(pl.col(c).cast(pl.String) for c in facts.columns), source=source, methodology=method)
    except InputError as exc:
        keys = facts.select("unit_code", "indicator").rows()
        raise InputError([
            Problem(p.file, f"unit {keys[p.row - 2][0]}, {keys[p.row - 2][1]}: {p.message}" if p.row and 2 <= p.row < len(keys) + 2 else p.message, None, p.column)
            for p in exc.problems
        ]) from None
