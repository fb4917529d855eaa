"""Data quality (chất lượng số liệu): what was loaded, and does it agree with what was published.

* :func:`facts_overview` — rows, units and indicators loaded, and rows with no data;
* :func:`reconcile_groups` — recomputed group scores against the portal's published ones;
* :func:`reconcile_indicators` — recomputed indicator points against the published points;
* :func:`component_sums` — a published total against the sum of its published components
  (hand-made reports contain such errors, shifted columns included).

The page's tables and sentences for the reader are in :mod:`analysis.report.quality_text`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl

from analysis.contract import LEVEL_ORDER
from analysis.errors import fail, quote_cell
from analysis.scoring.methodology import Methodology

TOLERANCE = 0.015
"""Largest difference (points) still counted as agreement; the portal rounds to 0,01."""


def facts_overview(facts: pl.DataFrame) -> pl.DataFrame:
    """Per level: units, facts rows, rows with counts, rows with no data, published group rows."""
    no_data = pl.col("numerator").is_null() & pl.col("denominator").is_null()
    return (
        facts.group_by("level")
        .agg(
            pl.col("unit_code").n_unique().alias("units"),
            pl.len().alias("rows"),
            (~no_data).sum().alias("rows_with_counts"),
            (no_data & pl.col("published_score").is_null()).sum().alias("rows_no_data"),
            (no_data & pl.col("published_score").is_not_null()).sum().alias("rows_published_only"),
            pl.col("indicator").n_unique().alias("indicators"),
        )
        .with_columns(pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER)).alias("_o"))
        .sort("_o")
        .drop("_o")
    )


def capture_date(facts: pl.DataFrame) -> datetime.date | None:
    """The date the figures were captured (ngày lấy số liệu): the latest ``as_of``, or ``None`` when the file gives none."""
    if "as_of" not in facts.columns:
        return None
    latest = facts["as_of"].drop_nulls().cast(pl.String).max()
    return None if latest is None else datetime.date.fromisoformat(str(latest)[:10])


def reconcile_groups(scorecard: pl.DataFrame, published: pl.DataFrame, methodology: Methodology, *, tolerance: float = TOLERANCE) -> pl.DataFrame:
    """Long: unit × group (and total) with recomputed, published, difference and ``agrees``.

    A group the engine took as the portal's published score (``published_only``, e.g. CLGQ of
    departments and communes, whose counts the portal does not give) is the portal compared with
    itself: its difference is left empty, so it is not counted as recomputed and agreeing.
    """
    groups = [g for g in [*methodology.group_codes, "total"] if g in published.columns]
    index = ["period", "unit_code", "unit_name", "level"]
    card = scorecard if "published_groups" in scorecard.columns else scorecard.with_columns(pl.lit(None, dtype=pl.String).alias("published_groups"))
    ours = card.unpivot(index=[*index, "published_groups"], on=groups, variable_name="group", value_name="recomputed")
    theirs = published.with_columns(pl.col("period").cast(pl.String)).unpivot(
        index=["period", "unit_code"], on=groups, variable_name="group", value_name="published"
    )
    components = {g.code: list(g.components) for g in methodology.groups}
    taken = pl.struct("group", "published_groups").map_elements(
        lambda r: bool(r["published_groups"]) and (
            r["group"] in r["published_groups"].split(",")  # the group (or total) itself taken as published
            or (r["group"] in components and set(components[r["group"]]) <= set(r["published_groups"].split(",")))),
        return_dtype=pl.Boolean,
    )
    joined = ours.join(theirs, on=["period", "unit_code", "group"], how="full", coalesce=True)
    return joined.with_columns(taken.fill_null(False).alias("published_only")).with_columns(
        pl.when(pl.col("published_only")).then(None)
        .otherwise((pl.col("recomputed") - pl.col("published")).round(4)).alias("difference"),
    ).with_columns(
        (pl.col("difference").abs() <= tolerance).fill_null(False).alias("agrees")
    ).drop("published_groups")


def reconcile_summary(reconciled: pl.DataFrame) -> pl.DataFrame:
    """Per group: units compared, published only (not recomputed), exact to the cent, within tolerance, largest difference."""
    published_only = pl.col("published_only").sum() if "published_only" in reconciled.columns else pl.lit(0)
    return reconciled.group_by("group", maintain_order=True).agg(
        pl.col("difference").is_not_null().sum().alias("units"),
        published_only.alias("published_only"),
        (pl.col("difference").abs() < 0.005).sum().alias("exact"),
        pl.col("agrees").sum().alias("within_tolerance"),
        pl.col("difference").abs().max().alias("max_difference"),
    )


def reconcile_indicators(detail: pl.DataFrame, *, tolerance: float = TOLERANCE) -> pl.DataFrame:
    """Indicator rows that carry a published score, with the recomputed one and the difference."""
    return detail.filter(pl.col("published_score").is_not_null() & (pl.col("source") != "published")).with_columns(
        (pl.col("score") - pl.col("published_score")).round(4).alias("difference")
    ).with_columns((pl.col("difference").abs() <= tolerance).alias("agrees"))


def component_sums(published: pl.DataFrame, groups: list[str], *, total: str = "total", tolerance: float = 0.011) -> pl.DataFrame:
    """Rows whose published total differs from the sum of their published group scores.

    A row without any group score (a source that publishes totals only) has nothing to compare
    and is not flagged: missing groups are not zeros.
    """
    present = [g for g in groups if g in published.columns]
    published = published.filter(pl.any_horizontal(pl.col(present).is_not_null()) & pl.col(total).is_not_null())
    return published.with_columns(pl.sum_horizontal(present).round(2).alias("sum_of_groups")).with_columns(
        (pl.col(total) - pl.col("sum_of_groups")).round(2).alias("difference")
    ).filter(pl.col("difference").abs() > tolerance)


MEANS = ("AVG_PROCESSING_DAYS",)
"""Indicators whose 'ratio' is a mean (days), not a share: compared in their own unit."""
MEAN_TOLERANCE = 0.5
"""Days two sources' mean processing times may differ by before it is called out."""


def compare_sources(
    portal: pl.DataFrame,
    local: pl.DataFrame,
    *,
    indicators: list[str] | tuple[str, ...] | None = None,
    tolerance: float = 0.01,
) -> pl.DataFrame:
    """The same figure from two sources side by side (Cổng quốc gia và hệ thống của tỉnh).

    One row per period × unit × indicator present in both: each source's numerator, denominator
    and ratio, the difference of ratios (local − portal, in points of a fraction) and of
    denominators, and ``differs`` when the ratios are more than ``tolerance`` apart or the
    denominators differ (dossiers missing from one system).
    """
    key = ["period", "unit_code", "indicator"]
    columns = [*key, "numerator", "denominator"]
    a = portal.select(*columns, "unit_name", "level")
    b = local.select(columns)
    if indicators is not None:
        a = a.filter(pl.col("indicator").is_in(list(indicators)))
    both = a.join(b, on=key, how="inner", suffix="_local").filter(
        pl.col("denominator").is_not_null() | pl.col("denominator_local").is_not_null()
    )
    ratio = lambda n, d: pl.when(pl.col(d) > 0).then(pl.col(n) / pl.col(d))  # noqa: E731
    mean = pl.col("indicator").is_in(list(MEANS))
    both = both.with_columns(
        ratio("numerator", "denominator").alias("ratio_portal"),
        ratio("numerator_local", "denominator_local").alias("ratio_local"),
    ).with_columns(
        (pl.col("ratio_local") - pl.col("ratio_portal")).alias("ratio_difference"),
        # a mean's denominator is not a count both sources share (the portal publishes the mean alone)
        pl.when(~mean).then(pl.col("denominator_local") - pl.col("denominator")).alias("denominator_difference"),
    )
    return both.with_columns(
        (
            (pl.col("ratio_difference").abs() > pl.when(mean).then(pl.lit(MEAN_TOLERANCE)).otherwise(pl.lit(tolerance))).fill_null(False)
            | (pl.col("denominator_difference") != 0).fill_null(False)
            | (pl.col("ratio_portal").is_null() != pl.col("ratio_local").is_null())
        ).alias("differs")
    ).select(
        *key, "unit_name", "level",
        pl.col("numerator").alias("numerator_portal"), pl.col("denominator").alias("denominator_portal"), "ratio_portal",
        "numerator_local", "denominator_local", "ratio_local", "ratio_difference", "denominator_difference", "differs",
    ).sort(key)


def read_published_table(path: str | Path, methodology: Methodology) -> pl.DataFrame:
    """A published scorecard file (one row per unit: groups, ``total``, optionally ``class``), its
    scores checked and its classes, printed as words (``Xuất sắc``), read into their codes
    (``excellent``): a cell that is not a number, or a class no band of the methodology names,
    stops the run naming file, row and column."""

    table = pl.read_csv(path, infer_schema=False)
    for column in [c for c in [*methodology.group_codes, "total"] if c in table.columns]:
        text = table[column].str.strip_chars()
        numbers = text.replace("", None).cast(pl.Float64, strict=False)
        bad = (text.is_not_null() & (text != "") & numbers.is_null()).arg_true()
        if bad.len():
            raise fail(path, f"{quote_cell(text[bad[0]])} is not a score", row=int(bad[0]) + 2, column=column)
        table = table.with_columns(numbers.alias(column))
    if "class" in table.columns:
        table = table.with_columns(_class_codes(table["class"], methodology, path))
    return table


def _class_codes(printed: pl.Series, methodology: Methodology, path: str | Path) -> pl.Series:
    """A published table's classes as codes; an empty cell stays empty (no class printed)."""
    codes: list[str | None] = []
    for row, cell in enumerate(printed.str.strip_chars().to_list(), start=2):
        code = methodology.class_of_label(cell) if cell else None
        if cell and code is None:
            known = ", ".join(band.label for band in methodology.classes)
            raise fail(path, f"{quote_cell(cell)} is not a class of {methodology.id} ({known})", row=row, column="class")
        codes.append(code)
    return pl.Series("class", codes, dtype=pl.String)


def comparable_rows(published: pl.DataFrame, groups: list[str], *, total: str = "total") -> int:
    """Rows of a published table with a total and at least one group score (what :func:`component_sums` checks)."""
    present = [g for g in groups if g in published.columns]
    if not present or total not in published.columns:
        return 0
    return published.filter(pl.any_horizontal(pl.col(present).is_not_null()) & pl.col(total).is_not_null()).height


DOSSIER_COUNTS = ("ON_TIME", "ONLINE_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION")
"""The dossier totals the portal uses, each the denominator of some indicators (their words:
``quality.dossier_count`` in the message catalogue)."""


def dossier_totals(detail: pl.DataFrame, unit_code: str) -> pl.DataFrame:
    """The different dossier totals of one unit (indicator, count), in the order of :data:`DOSSIER_COUNTS`."""
    rows = detail.filter((pl.col("unit_code") == unit_code) & pl.col("indicator").is_in(list(DOSSIER_COUNTS)))
    order = {i: k for k, i in enumerate(DOSSIER_COUNTS)}
    return rows.filter(pl.col("denominator").is_not_null()).select("indicator", pl.col("denominator").alias("dossiers")).sort(
        pl.col("indicator").replace_strict(order, return_dtype=pl.Int32)
    )
