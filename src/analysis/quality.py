"""Data quality (chất lượng số liệu): what was loaded, and does it agree with what was published.

* :func:`facts_overview` — rows, units and indicators loaded, and rows with no data;
* :func:`reconcile_groups` — recomputed group scores against the portal's published ones;
* :func:`reconcile_indicators` — recomputed indicator points against the published points;
* :func:`component_sums` — a published total against the sum of its published components
  (hand-made reports contain such errors, shifted columns included).
"""

from __future__ import annotations

import polars as pl

from analysis.methodology import Methodology

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
        .with_columns(pl.col("level").replace_strict({"national": 0, "province": 1, "department": 2, "district": 3, "commune": 4}, default=9).alias("_o"))
        .sort("_o")
        .drop("_o")
    )


def reconcile_groups(scorecard: pl.DataFrame, published: pl.DataFrame, methodology: Methodology, *, tolerance: float = TOLERANCE) -> pl.DataFrame:
    """Long: unit × group (and total) with recomputed, published, difference and ``agrees``."""
    groups = [g for g in [*methodology.group_codes, "total"] if g in published.columns]
    ours = scorecard.unpivot(index=["period", "unit_code", "unit_name", "level"], on=groups, variable_name="group", value_name="recomputed")
    theirs = published.with_columns(pl.col("period").cast(pl.String)).unpivot(
        index=["period", "unit_code"], on=groups, variable_name="group", value_name="published"
    )
    joined = ours.join(theirs, on=["period", "unit_code", "group"], how="full", coalesce=True)
    return joined.with_columns(
        (pl.col("recomputed") - pl.col("published")).round(4).alias("difference"),
    ).with_columns(
        (pl.col("difference").abs() <= tolerance).fill_null(False).alias("agrees")
    )


def reconcile_summary(reconciled: pl.DataFrame) -> pl.DataFrame:
    """Per group: units compared, exact to the cent, within tolerance, largest difference."""
    return reconciled.group_by("group", maintain_order=True).agg(
        pl.col("difference").is_not_null().sum().alias("units"),
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


OVERVIEW_HEADERS = {
    "vi": {"level": "Cấp", "units": "Đơn vị", "rows": "Dòng số liệu", "rows_with_counts": "Có tử số, mẫu số",
           "rows_no_data": "Không có số liệu", "rows_published_only": "Chỉ có điểm công bố", "indicators": "Chỉ số"},
    "en": {"level": "Level", "units": "Units", "rows": "Rows", "rows_with_counts": "With counts",
           "rows_no_data": "No data", "rows_published_only": "Published score only", "indicators": "Indicators"},
}


def display_overview(overview: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`facts_overview` for the reader."""
    from analysis.formatting import format_table, level_name

    shown = overview.with_columns(pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String))
    return format_table(shown, language, rename=OVERVIEW_HEADERS[language])


def display_reconcile_summary(summary: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """:func:`reconcile_summary` for the reader, groups by name."""
    from analysis.formatting import format_table

    names = {g.code: (g.name if language == "vi" else g.name_en) for g in methodology.groups}
    names["total"] = "Tổng điểm" if language == "vi" else "Total"
    shown = summary.with_columns(pl.col("group").replace_strict(names, default=pl.col("group")))
    headers = (
        {"group": "Nhóm", "units": "Đơn vị", "exact": "Khớp đến 0,01", "within_tolerance": "Lệch ≤ 0,015", "max_difference": "Lệch lớn nhất"}
        if language == "vi" else
        {"group": "Group", "units": "Units", "exact": "Equal to 0.01", "within_tolerance": "Within 0.015", "max_difference": "Largest difference"}
    )
    return format_table(shown, language, rename=headers)


def display_differences(differences: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """Units whose recomputed score is not the published one to the cent."""
    from analysis.formatting import format_table, short_unit_name

    shown = differences.select(
        pl.col("unit_name").map_elements(lambda n: short_unit_name(n) or n, return_dtype=pl.String),
        "group", "recomputed", "published", "difference",
    )
    headers = (
        {"unit_name": "Đơn vị", "group": "Nhóm", "recomputed": "Tính lại", "published": "Công bố", "difference": "Chênh lệch"}
        if language == "vi" else
        {"unit_name": "Unit", "group": "Group", "recomputed": "Recomputed", "published": "Published", "difference": "Difference"}
    )
    return format_table(shown, language, rename=headers)


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


def display_sources(
    compared: pl.DataFrame,
    language: str = "vi",
    *,
    only_differences: bool = True,
    limit: int | None = 30,
    methodology: Methodology | None = None,
) -> pl.DataFrame:
    """:func:`compare_sources` for the reader: each source's counts and rate, the largest gaps first.

    ``limit`` rows at most (the sentence above the table gives the full count).
    """
    from analysis.formatting import integer, number, percent, short_unit_name, signed

    rows = compared.filter(pl.col("differs")) if only_differences else compared
    # shares first (largest gap in percentage points first), then means in days
    rows = rows.sort(pl.col("indicator").is_in(list(MEANS)), -pl.col("ratio_difference").abs(), nulls_last=True)
    if limit is not None:
        rows = rows.head(limit)
    vi = language == "vi"
    days = " ngày" if vi else " days"
    names = {i.id: (i.name if vi else i.name_en) for i in methodology.indicators} if methodology is not None else {}

    def counts(n: float | None, d: float | None, r: float | None, indicator: str) -> str:
        if d is None:
            return "-"
        if indicator in MEANS:
            return number(r, language=language) + days if r is not None else "-"
        return f"{integer(n, language)}/{integer(d, language)}" + (f" ({percent(r, language=language)})" if r is not None else "")

    def gap(v: float | None, indicator: str) -> str:
        if v is None:
            return "-"
        return signed(v, language=language) + days if indicator in MEANS else signed(v * 100, language=language) + (" điểm %" if vi else " pp")

    return rows.select(
        pl.col("unit_name").map_elements(lambda n: short_unit_name(n) or n, return_dtype=pl.String).alias("Đơn vị" if vi else "Unit"),
        pl.col("indicator").replace_strict(names, default=pl.col("indicator")).alias("Chỉ số" if vi else "Indicator"),
        pl.struct(n="numerator_portal", d="denominator_portal", r="ratio_portal", i="indicator")
        .map_elements(lambda x: counts(x["n"], x["d"], x["r"], x["i"]), return_dtype=pl.String).alias("Cổng DVCQG" if vi else "National portal"),
        pl.struct(n="numerator_local", d="denominator_local", r="ratio_local", i="indicator")
        .map_elements(lambda x: counts(x["n"], x["d"], x["r"], x["i"]), return_dtype=pl.String).alias("Hệ thống của tỉnh" if vi else "Province system"),
        pl.struct(v="ratio_difference", i="indicator").map_elements(lambda x: gap(x["v"], x["i"]), return_dtype=pl.String)
        .alias("Chênh lệch tỷ lệ" if vi else "Rate gap"),
        pl.col("denominator_difference").map_elements(lambda v: signed(v, decimals=0, language=language), return_dtype=pl.String)
        .fill_null("-").alias("Chênh lệch mẫu số" if vi else "Denominator gap"),
    )
