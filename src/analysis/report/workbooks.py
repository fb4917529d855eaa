"""The workbooks of a run for spreadsheet readers (bảng tính): ``scorecard.xlsx``'s sheet for people
and ``indicators.xlsx``'s sheet per level, with their Excel number formats.

Names as documents write them, levels in order, numbers kept as numbers (counts ``184.513``,
scores ``59,92``, rates ``78,38 %`` in the reader's Excel); :func:`analysis.io.load.write_workbook`
writes them with the header row frozen.
"""

from __future__ import annotations

import polars as pl

from analysis.contract import LANGUAGES, LEVEL_ORDER
from analysis.report.formatting import class_column, group_name, indicator_name, level_name
from analysis.report.messages import text, words
from analysis.report.names import unit_name
from analysis.report.tables import PROVISIONAL_DENOMINATORS, graded
from analysis.scoring.methodology import Methodology

COUNT_FORMAT = "#,##0"
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"


def scorecard_sheet(scorecard: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """The scorecard for a spreadsheet reader: headers in words, names as documents write them,
    levels in order, numbers kept as numbers. The province has no rank among its own units, and a
    unit with no dossiers has neither rank nor class (see :func:`graded`)."""
    head = words("workbooks.header", language)
    groups = [pl.col(g.code).alias(f"{group_name(methodology, g.code, language)} ({g.max:g})") for g in methodology.groups]
    card = graded(scorecard, ranking=methodology.ranking).with_columns(
        pl.when(pl.col("parent_code").is_null()).then(None).otherwise(pl.col("rank")).alias("rank"),
        pl.when(pl.col("active").fill_null(False)).then(pl.col("delta_total")).otherwise(None).alias("delta_total"),
    )
    return card.sort(pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER)), "rank", "unit_name", nulls_last=True).select(
        pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String).alias(head["level"]),
        pl.col("rank").alias(head["rank"]),
        pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String).alias(head["unit"]),
        *groups,
        pl.col("total").alias(head["total"]),
        class_column(methodology, language).alias(head["class"]),
        pl.col("delta_total").alias(head["change"]),
        pl.col("dossiers").alias(head["dossiers"]),
        pl.col("unit_code").alias(head["unit_code"]),
    )


def _headers(*keys: str) -> set[str]:
    """The workbook headers ``keys`` in every language."""
    return {words("workbooks.header", language)[key] for key in keys for language in LANGUAGES}


def sheet_formats(frame: pl.DataFrame) -> dict[str, str]:
    """Excel number formats of a reader's sheet: counts ``184.513``, scores ``59,92``, rates ``78,38 %``
    (shown with the separators of the reader's Excel)."""
    counts, ranks, rates = _headers("dossiers", "numerator", "denominator"), _headers("rank"), _headers("rate")
    out: dict[str, str] = {}
    for name, dtype in frame.schema.items():
        if not dtype.is_numeric() or name in ranks:
            continue
        if name in counts:
            out[name] = COUNT_FORMAT
        elif name in rates:
            out[name] = PERCENT_FORMAT
        else:
            out[name] = SCORE_FORMAT
    return out


def indicator_sheets(scored_detail: pl.DataFrame, scorecard: pl.DataFrame, methodology: Methodology,
                     language: str = "vi") -> dict[str, pl.DataFrame]:
    """The indicator detail for a spreadsheet reader: one sheet per level, units by name, indicators by
    name, counts, rate and points, and where each figure comes from."""
    head = words("workbooks.header", language)
    listed = methodology.indicator_table()
    named = pl.Series("_name", [indicator_name(methodology, i, language) for i in listed["indicator"]], dtype=pl.String)
    names = listed.select("indicator", named, "order", pl.col("fixed_ratio").alias("_fixed"))
    groups = {g.code: group_name(methodology, g.code, language) for g in methodology.groups}
    for g in methodology.groups:
        for component in g.components:
            groups.setdefault(component, group_name(methodology, g.code, language))
    units = scorecard.select("period", "unit_code", "unit_name", "level", "rank")
    rows = (scored_detail.join(units, on=["period", "unit_code"], how="left").join(names, on="indicator", how="left")
            .with_columns(pl.col("_name").fill_null(pl.col("group").replace_strict(groups, default=pl.col("indicator"))))
            .sort(pl.col("level").replace_strict({"province": 0, "department": 1, "district": 2, "commune": 3}, default=9),
                  "rank", "unit_name", "order", nulls_last=True))
    days = pl.col("indicator") == "AVG_PROCESSING_DAYS"
    temporary = (pl.col("indicator").is_in(list(PROVISIONAL_DENOMINATORS)) & (pl.col("numerator") == pl.col("denominator"))).fill_null(False)
    fixed = pl.col("_fixed").is_not_null()  # not measured: the portal gives every unit this ratio
    fixed_words = (pl.col("_fixed") * 100).round(0).cast(pl.Int64).cast(pl.String).map_elements(
        lambda n: text("workbooks.fixed", language, n=n), return_dtype=pl.String)
    out: dict[str, pl.DataFrame] = {}
    for level in ("province", "department", "district", "commune"):
        part = rows.filter(pl.col("level") == level)
        if part.is_empty():
            continue
        out[level_name(level, language)] = part.select(
            pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String).alias(head["unit"]),
            pl.col("group").replace_strict(groups, default=pl.col("group")).alias(head["group"]),
            pl.col("_name").alias(head["indicator"]),
            pl.when(days).then(None).otherwise(pl.col("numerator")).alias(head["numerator"]),
            pl.when(days | temporary).then(None).otherwise(pl.col("denominator")).alias(head["denominator"]),
            pl.when(days).then(pl.col("numerator")).otherwise(None).alias(head["days"]),
            pl.when(days | temporary | fixed).then(None).otherwise(pl.col("ratio")).alias(head["rate"]),
            pl.col("score").alias(head["points"]),
            pl.col("max_score").alias(head["maximum"]),
            pl.when(temporary).then(pl.lit(text("workbooks.provisional", language)))
            .when(fixed).then(fixed_words)
            .otherwise(pl.col("source").replace_strict(words("workbooks.source", language), default=pl.col("source"))).alias(head["source"]),
        )
    return out
