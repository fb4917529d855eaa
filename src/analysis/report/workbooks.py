"""The workbooks of a run for spreadsheet readers (bảng tính): ``scorecard.xlsx``'s sheet for people
and ``indicators.xlsx``'s sheet per level, with their Excel number formats.

Names as documents write them, levels in order, numbers kept as numbers (counts ``184.513``,
scores ``59,92``, rates ``78,38 %`` in the reader's Excel); :func:`analysis.io.load.write_workbook`
writes them with the header row frozen.
"""

from __future__ import annotations

import polars as pl

from analysis.contract import LEVEL_ORDER
from analysis.report.tables import PROVISIONAL_DENOMINATORS, graded
from analysis.scoring.methodology import Methodology

COUNT_FORMAT = "#,##0"
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"


def scorecard_sheet(scorecard: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """The scorecard for a spreadsheet reader: headers in words, names as documents write them,
    levels in order, numbers kept as numbers. The province has no rank among its own units, and a
    unit with no dossiers has neither rank nor class (see :func:`graded`)."""
    from analysis.report.formatting import level_name
    from analysis.report.wording import unit_name

    vi = language == "vi"
    groups = [pl.col(g.code).alias(f"{g.name if vi else g.name_en} ({g.max:g})") for g in methodology.groups]
    card = graded(scorecard, ranking=methodology.ranking).with_columns(
        pl.when(pl.col("parent_code").is_null()).then(None).otherwise(pl.col("rank")).alias("rank"),
        pl.when(pl.col("active").fill_null(False)).then(pl.col("delta_total")).otherwise(None).alias("delta_total"),
    )
    return card.sort(pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER)), "rank", "unit_name", nulls_last=True).select(
        pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String).alias("Cấp" if vi else "Level"),
        pl.col("rank").alias("Hạng" if vi else "Rank"),
        pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String).alias("Tên cơ quan, đơn vị" if vi else "Unit"),
        *groups,
        pl.col("total").alias("Tổng điểm" if vi else "Total"),
        pl.col("class").alias("Xếp loại" if vi else "Class"),
        pl.col("delta_total").alias("Tăng/giảm" if vi else "Change"),
        pl.col("dossiers").alias("Hồ sơ tiếp nhận" if vi else "Dossiers received"),
        pl.col("unit_code").alias("Mã đơn vị" if vi else "Unit code"),
    )


def sheet_formats(frame: pl.DataFrame) -> dict[str, str]:
    """Excel number formats of a reader's sheet: counts ``184.513``, scores ``59,92``, rates ``78,38 %``
    (shown with the separators of the reader's Excel)."""
    counts = ("Hồ sơ", "Dossiers", "Tử số", "Mẫu số", "Numerator", "Denominator")
    out: dict[str, str] = {}
    for name, dtype in frame.schema.items():
        if not dtype.is_numeric() or name in ("Hạng", "Rank"):
            continue
        if name.startswith(counts):
            out[name] = COUNT_FORMAT
        elif name in ("Tỷ lệ", "Rate"):
            out[name] = PERCENT_FORMAT
        else:
            out[name] = SCORE_FORMAT
    return out


def indicator_sheets(scored_detail: pl.DataFrame, scorecard: pl.DataFrame, methodology: Methodology,
                     language: str = "vi") -> dict[str, pl.DataFrame]:
    """The indicator detail for a spreadsheet reader: one sheet per level, units by name, indicators by
    name, counts, rate and points, and where each figure comes from."""
    from analysis.report.formatting import level_name
    from analysis.report.wording import unit_name

    vi = language == "vi"
    names = methodology.indicator_table().select("indicator", pl.col("indicator_name" if vi else "indicator_name_en").alias("_name"), "order",
                                                 pl.col("fixed_ratio").alias("_fixed"))
    groups = {g.code: (g.name if vi else g.name_en) for g in methodology.groups}
    for g in methodology.groups:
        for component in g.components:
            groups.setdefault(component, g.name if vi else g.name_en)
    sources = ({"own": "Tính lại từ tử số, mẫu số", "inherited": "Theo số liệu của tỉnh", "published": "Điểm nhóm Cổng công bố",
                "none": "Không có số liệu"} if vi else
               {"own": "Recomputed from counts", "inherited": "The province's figures", "published": "Group score as published",
                "none": "No figures"})
    units = scorecard.select("period", "unit_code", "unit_name", "level", "rank")
    rows = (scored_detail.join(units, on=["period", "unit_code"], how="left").join(names, on="indicator", how="left")
            .with_columns(pl.col("_name").fill_null(pl.col("group").replace_strict(groups, default=pl.col("indicator"))))
            .sort(pl.col("level").replace_strict({"province": 0, "department": 1, "district": 2, "commune": 3}, default=9),
                  "rank", "unit_name", "order", nulls_last=True))
    days = pl.col("indicator") == "AVG_PROCESSING_DAYS"
    temporary = (pl.col("indicator").is_in(list(PROVISIONAL_DENOMINATORS)) & (pl.col("numerator") == pl.col("denominator"))).fill_null(False)
    fixed = pl.col("_fixed").is_not_null()  # not measured: the portal gives every unit this ratio
    fixed_words = (pl.lit("Cổng tính ") if vi else pl.lit("")) + (pl.col("_fixed") * 100).round(0).cast(pl.Int64).cast(pl.String) + (
        pl.lit(" % cho mọi đơn vị, không tính từ số liệu") if vi else pl.lit("% given to every unit by the portal, not measured"))
    out: dict[str, pl.DataFrame] = {}
    for level in ("province", "department", "district", "commune"):
        part = rows.filter(pl.col("level") == level)
        if part.is_empty():
            continue
        out[level_name(level, language)] = part.select(
            pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String).alias("Tên cơ quan, đơn vị" if vi else "Unit"),
            pl.col("group").replace_strict(groups, default=pl.col("group")).alias("Nhóm chỉ số" if vi else "Group"),
            pl.col("_name").alias("Chỉ số" if vi else "Indicator"),
            pl.when(days).then(None).otherwise(pl.col("numerator")).alias("Tử số" if vi else "Numerator"),
            pl.when(days | temporary).then(None).otherwise(pl.col("denominator")).alias("Mẫu số" if vi else "Denominator"),
            pl.when(days).then(pl.col("numerator")).otherwise(None).alias("Số ngày" if vi else "Days"),
            pl.when(days | temporary | fixed).then(None).otherwise(pl.col("ratio")).alias("Tỷ lệ" if vi else "Rate"),
            pl.col("score").alias("Điểm" if vi else "Points"),
            pl.col("max_score").alias("Tối đa" if vi else "Maximum"),
            pl.when(temporary).then(pl.lit("Mẫu số tạm của Cổng: tỷ lệ chưa phản ánh thực tế" if vi else "Provisional denominator: no rate"))
            .when(fixed).then(fixed_words)
            .otherwise(pl.col("source").replace_strict(sources, default=pl.col("source"))).alias("Nguồn" if vi else "Source"),
        )
    return out
