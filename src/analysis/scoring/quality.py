"""Data quality (chất lượng số liệu): what was loaded, and does it agree with what was published.

* :func:`facts_overview` — rows, units and indicators loaded, and rows with no data;
* :func:`reconcile_groups` — recomputed group scores against the portal's published ones;
* :func:`reconcile_indicators` — recomputed indicator points against the published points;
* :func:`component_sums` — a published total against the sum of its published components
  (hand-made reports contain such errors, shifted columns included).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analysis.contract import LEVEL_ORDER, Language, level_name
from analysis.contract.periods import parse_period
from analysis.errors import fail, quote_cell
from analysis.paths import ROOT
from analysis.report.formatting import (
    _as_date,
    format_table,
    indicator_name,
    integer,
    number,
    percent,
    short_unit_name,
    signed,
)
from analysis.report.messages import words
from analysis.report.wording import join as name_list
from analysis.report.wording import unit_name
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


def capture_date(facts: pl.DataFrame):
    """The date the figures were captured (ngày lấy số liệu): the latest ``as_of``, or ``None`` when the file gives none."""
    if "as_of" not in facts.columns:
        return None
    values = facts["as_of"].drop_nulls()
    if values.is_empty():
        return None

    return _as_date(values.cast(pl.String).max())


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


def display_overview(overview: pl.DataFrame, language: Language = "vi") -> pl.DataFrame:
    """:func:`facts_overview` for the reader."""

    shown = overview.with_columns(pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String))
    return format_table(shown, language, rename=words("quality.overview_header", language))


def display_reconcile_summary(summary: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """:func:`reconcile_summary` for the reader, groups by name."""

    names = {g.code: (g.name if language == "vi" else g.name_en) for g in methodology.groups}
    names["total"] = "Tổng điểm" if language == "vi" else "Total"
    shown = summary.with_columns(pl.col("group").replace_strict(names, default=pl.col("group")))
    headers = (
        {"group": "Nhóm", "units": "Đơn vị tính lại", "published_only": "Chỉ có điểm Cổng công bố (không đối chiếu)",
         "exact": "Khớp đến 0,01", "within_tolerance": "Lệch ≤ 0,015", "max_difference": "Lệch lớn nhất"}
        if language == "vi" else
        {"group": "Group", "units": "Units recomputed", "published_only": "Published only (not compared)",
         "exact": "Equal to 0.01", "within_tolerance": "Within 0.015", "max_difference": "Largest difference"}
    )
    return format_table(shown, language, rename=headers)


def display_differences(differences: pl.DataFrame, language: str = "vi", *, methodology: Methodology | None = None) -> pl.DataFrame:
    """Units whose recomputed score is not the published one to the cent (groups by name)."""

    names = {g.code: (g.name if language == "vi" else g.name_en) for g in methodology.groups} if methodology is not None else {}
    names["total"] = "Tổng điểm" if language == "vi" else "Total"
    shown = differences.select(
        pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String),
        pl.col("group").replace_strict(names, default=pl.col("group")),
        "recomputed", "published", "difference",
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


# --------------------------------------------------------------------------------------------
# sentences of the data-quality page

STORE_EXTRACT = ("scored", "facts.parquet")
"""Where a report run on a history store writes the period's facts for its notebooks (report.py)."""


def load_sentence(facts: pl.DataFrame, source: object, language: str = "vi") -> str:
    """What was loaded: file, periods, rows and units."""

    periods = name_list([parse_period(p).label(language) for p in sorted(facts["period"].unique().to_list())], language)
    units = facts["unit_code"].n_unique()
    # a report run on a history store (store:) reads the period from the store, extracted for its notebooks
    from_store = Path(str(source)).name == STORE_EXTRACT[1] and Path(str(source)).parent.name == STORE_EXTRACT[0]
    as_of = facts["as_of"].drop_nulls()
    if language == "vi":
        where = "kho số liệu các kỳ (store)" if from_store else f"tệp `{display_path(source)}`"
        text = f"Đã nạp {integer(facts.height)} dòng số liệu của {integer(units)} đơn vị, {periods}, từ {where}."
        text += f" Số liệu lấy ngày {as_of.max():%d/%m/%Y}." if as_of.len() else " Tệp không ghi ngày lấy số liệu."
        return text
    where = "the history store" if from_store else f"`{display_path(source)}`"
    text = f"Loaded {integer(facts.height, 'en')} rows for {integer(units, 'en')} units, period {periods}, from {where}."
    return text + (f" Captured {as_of.max():%d %b %Y}." if as_of.len() else " The file gives no capture date.")


def display_path(path: object) -> str:
    """A path as the reader should see it: relative to the project when inside it."""


    try:
        return str(Path(str(path)).resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def reconcile_sentence(reconciled: pl.DataFrame, language: str = "vi") -> str:
    """How many recomputed scores agree with the published ones; published-only scores are said apart."""
    compared = reconciled.filter(pl.col("difference").is_not_null())
    units = compared["unit_code"].n_unique()
    exact = compared.filter(pl.col("difference").abs() < 0.005).height
    within = compared["agrees"].sum()
    worst = compared["difference"].abs().max() or 0.0
    only = reconciled.filter(pl.col("published_only")).height if "published_only" in reconciled.columns else 0
    if compared.is_empty():
        return (f"Không có điểm nào tính lại từ tử số, mẫu số để đối chiếu: cả {integer(only)} điểm (nhóm và tổng) là điểm đã công bố, "
                "hiện đúng như bảng công bố." if language == "vi" else
                f"No score recomputed from counts to compare: all {integer(only, 'en')} scores (groups and totals) are the published ones, shown as published.")
    totals_only = compared.height > 0 and (compared["group"] == "total").all()  # every group published: totals are their sums
    if language == "vi":
        what = ("tổng điểm (cộng các điểm nhóm Cổng công bố)" if totals_only
                else "điểm (nhóm và tổng) tính lại từ tử số, mẫu số")
        text = (f"Đối chiếu {integer(compared.height)} {what} của {integer(units)} đơn vị: "
                f"{integer(exact)} điểm khớp đến 0,01; {integer(within)} điểm lệch không quá 0,015; chênh lệch lớn nhất {number(worst)} điểm.")
        if only:
            text += (f" {integer(only)} điểm nhóm khác là điểm Cổng công bố mà Cổng không công bố tử số, mẫu số (không tính lại được), "
                     "nên không đưa vào đối chiếu.")
        return text
    what = "totals (sums of the published group scores)" if totals_only else "scores (groups and totals)"
    how = "compared" if totals_only else "recomputed from counts"
    text = (f"{integer(compared.height, 'en')} {what} of {integer(units, 'en')} units {how}: "
            f"{integer(exact, 'en')} equal to the cent, {integer(within, 'en')} within 0.015; largest difference {number(worst, language='en')}.")
    if only:
        text += f" {integer(only, 'en')} other group scores are published without counts (not recomputed) and are not compared."
    return text


def indicator_reconcile_sentence(checked: pl.DataFrame, language: str = "vi") -> str:
    """Indicator points recomputed from the counts against the points the portal published."""
    if checked.is_empty():
        return "Không có điểm chỉ số công bố để đối chiếu." if language == "vi" else "No published indicator points to compare with."
    bad = checked.filter(~pl.col("agrees"))
    worst = checked["difference"].abs().max() or 0.0
    if language == "vi":
        return (f"Điểm từng chỉ số tính lại từ tử số, mẫu số so với điểm Cổng công bố: {integer(checked.height)} chỉ số, "
                f"{integer(bad.height)} chỉ số lệch quá 0,015; chênh lệch lớn nhất {number(worst)} điểm.")
    return (f"Indicator points recomputed from counts against the published points: {integer(checked.height, 'en')} indicators, "
            f"{integer(bad.height, 'en')} off by more than 0.015; largest difference {number(worst, language='en')}.")


def component_sentence(flagged: pl.DataFrame, rows: int, language: str = "vi") -> str:
    """Published totals that are not the sum of their published groups."""
    if flagged.is_empty():
        return (f"Cả {integer(rows)} dòng điểm công bố toàn quốc có tổng điểm bằng tổng điểm các nhóm."
                if language == "vi" else f"All {integer(rows, 'en')} published national rows add up.")
    names = [f"{short_unit_name(n)} ({d})" for n, d in flagged.select("unit_name", "date").iter_rows()]
    if language == "vi":
        return f"Có {integer(flagged.height)}/{integer(rows)} dòng có tổng điểm khác tổng các nhóm: {name_list(names)}."
    return f"{flagged.height} of {rows} rows do not add up: {name_list(names, 'en')}."


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


def published_sums_sentence(flagged: pl.DataFrame, rows: int, language: str = "vi") -> str:
    """A unit's published table (the report's own) whose totals are not the sum of their groups.

    Many rows off at once is the mark of group columns shifted against the totals: said so, the
    figures are kept as printed, not corrected.
    """
    vi = language == "vi"
    if rows == 0:
        return ("Bảng điểm công bố chỉ có tổng điểm (không có điểm nhóm): không đối chiếu được."
                if vi else "The published table gives totals only (no group scores): nothing to check.")
    if flagged.is_empty():
        return (f"Cả {integer(rows)} dòng của bảng điểm công bố có tổng điểm bằng tổng điểm các nhóm."
                if vi else f"All {integer(rows, 'en')} rows of the published table add up.")
    names = [short_unit_name(n) or "" for n in flagged["unit_name"].to_list()]
    shifted = flagged.height * 2 > rows
    if vi:
        why = (" Phần lớn các dòng lệch: các cột điểm nhóm có thể đã bị lệch dòng so với cột tổng điểm khi lập bảng;"
               " điểm nhóm và tổng điểm vẫn hiện đúng như bảng in, không sửa." if shifted else "")
        return f"Bảng điểm công bố: {integer(flagged.height)}/{integer(rows)} dòng có tổng điểm khác tổng các nhóm ({name_list(names)}).{why}"
    why = (" Most rows are off: the group columns were probably shifted against the totals when the table was made;"
           " groups and totals are shown as printed, not corrected." if shifted else "")
    return f"Published table: {flagged.height} of {rows} rows do not add up ({name_list(names, 'en')}).{why}"


def display_published_sums(flagged: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`component_sums` rows for the reader: unit, published total, sum of its groups, difference."""

    shown = flagged.select(pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String), "total", "sum_of_groups", "difference")
    headers = (
        {"unit_name": "Đơn vị", "total": "Tổng điểm công bố", "sum_of_groups": "Tổng các nhóm", "difference": "Chênh lệch"}
        if language == "vi" else
        {"unit_name": "Unit", "total": "Published total", "sum_of_groups": "Sum of groups", "difference": "Difference"}
    )
    return format_table(shown, language, rename=headers)


def sources_sentence(compared: pl.DataFrame, language: str = "vi", *, methodology: Methodology | None = None) -> str:
    """The portal against the province's own system: how many figures differ, the largest gaps."""
    if compared.is_empty():
        return ("Hai nguồn không có chỉ số chung nào để so sánh." if language == "vi"
                else "The two sources share no figure to compare.")
    differ = compared.filter(pl.col("differs"))
    vi = language == "vi"
    if differ.is_empty():
        return (f"Cả {integer(compared.height)} số liệu chung của hai nguồn đều khớp (tỷ lệ lệch không quá 1 điểm phần trăm, cùng mẫu số)."
                if vi else f"All {integer(compared.height, 'en')} shared figures agree (within 1 percentage point, same denominators).")
    shares = differ.filter(pl.col("indicator") != "AVG_PROCESSING_DAYS")
    worst = (shares if shares.height else differ).sort(pl.col("ratio_difference").abs(), descending=True, nulls_last=True).head(3)
    names = []
    for row in worst.iter_rows(named=True):
        gap = percent(abs(row["ratio_difference"]), language=language) if row["ratio_difference"] is not None else "–"
        if row["indicator"] == "AVG_PROCESSING_DAYS" and row["ratio_difference"] is not None:
            gap = number(abs(row["ratio_difference"]), language=language) + (" ngày" if language == "vi" else " days")
        what = row["indicator"]
        if methodology is not None:
            what = indicator_name(methodology, what, language)
        names.append(f"{short_unit_name(row['unit_name'])} – {what} ({gap})")
    if vi:
        return (f"Có {integer(differ.height)}/{integer(compared.height)} số liệu khác nhau giữa Cổng Dịch vụ công quốc gia và hệ thống "
                f"của tỉnh; lệch tỷ lệ nhiều nhất: {'; '.join(names)}. Đề nghị các đơn vị đối soát, đồng bộ lại hồ sơ.")
    return f"{differ.height} of {compared.height} figures differ between the national portal and the province's system; largest: {'; '.join(names)}."


DOSSIER_COUNTS = (
    ("ON_TIME", "hồ sơ tiếp nhận (mẫu số của chỉ số hồ sơ xử lý đúng hạn)", "dossiers received (the on-time denominator)"),
    ("ONLINE_DOSSIER", "hồ sơ có thông tin hình thức nộp (mẫu số của chỉ số hồ sơ trực tuyến)",
     "dossiers with a recorded channel (the online-share denominator)"),
    ("DOSSIER_RECEIVING_SATISFACTION", "hồ sơ là mẫu số của các chỉ số hài lòng, số hóa và kết quả điện tử",
     "dossiers in the satisfaction, digitisation and e-result denominators"),
)
"""The dossier totals the portal uses, each the denominator of some indicators."""


def dossier_totals(detail: pl.DataFrame, unit_code: str) -> pl.DataFrame:
    """The different dossier totals of one unit (indicator, count), in the order of :data:`DOSSIER_COUNTS`."""
    rows = detail.filter((pl.col("unit_code") == unit_code) & pl.col("indicator").is_in([i for i, _, _ in DOSSIER_COUNTS]))
    order = {i: k for k, (i, _, _) in enumerate(DOSSIER_COUNTS)}
    return rows.filter(pl.col("denominator").is_not_null()).select("indicator", pl.col("denominator").alias("dossiers")).sort(
        pl.col("indicator").replace_strict(order, return_dtype=pl.Int32)
    )


def dossier_totals_sentence(detail: pl.DataFrame, unit_code: str, language: str = "vi") -> str | None:
    """Why the report shows several dossier totals: which count each one is, and the gaps between them."""
    totals = dossier_totals(detail, unit_code)
    if totals.height < 2 or totals["dossiers"].n_unique() == 1:
        return None
    words = {i: (vi if language == "vi" else en) for i, vi, en in DOSSIER_COUNTS}
    items = "; ".join(f"{integer(n, language)} {words[i]}" for i, n in totals.iter_rows())
    received = totals["dossiers"][0]
    gaps = [(words[i], received - n) for i, n in totals.iter_rows() if n != received][:]
    if language == "vi":
        text = f"Báo cáo dùng {totals.height} tổng số hồ sơ khác nhau vì Cổng tính mỗi chỉ số trên một tập hồ sơ riêng: {items}."
        text += " " + " ".join(
            f"Số {w.split(' (')[0]} {'ít' if g > 0 else 'nhiều'} hơn số hồ sơ tiếp nhận {integer(abs(g))} hồ sơ." for w, g in gaps
        )
        return text + " Cổng không công bố lý do của các chênh lệch này; mỗi bảng ghi rõ cột nào dùng tổng số nào."
    text = f"The report uses {totals.height} different dossier totals because the portal counts each indicator on its own set: {items}."
    text += " " + " ".join(f"The {w.split(' (')[0]} are {integer(abs(g), 'en')} {'fewer' if g > 0 else 'more'} than those received." for w, g in gaps)
    return text + " The portal does not say why; every table says which total each column uses."
