"""The report's tables (bảng số liệu), as numbers: headline, groups, units by level, classes.

Every function takes the scoring engine's frames (``scorecard``, ``detail``) and returns a
small polars frame of numbers; turning numbers into Vietnamese text is
:mod:`analysis.formatting`'s job, and sentences are :mod:`analysis.narrative`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analysis.methodology import Methodology

LEVEL_NAMES = {
    "vi": {"province": "Cấp tỉnh (toàn tỉnh)", "department": "Sở, ban, ngành", "district": "Cấp huyện", "commune": "Cấp xã"},
    "en": {"province": "Province", "department": "Departments", "district": "Districts", "commune": "Communes"},
}

UNIT_INDICATORS = (
    "ON_TIME", "ONLINE_DOSSIER", "PAYMENT_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION",
    "SO_HOA_GIAY_TO_GIAI_QUYET", "ORIGINAL_RESULT_AVAILABLE",
)
"""Indicators of the per-unit tables of the monthly report (on time, online, payment, satisfaction, digitisation)."""


@dataclass(frozen=True)
class NationalStanding:
    """The province among all provinces on the portal's national list (xếp hạng toàn quốc)."""

    rank: int
    of: int
    total: float
    as_of: date
    change: float | None


def root_unit(scorecard: pl.DataFrame, scope: str | None = None) -> dict:
    """The scorecard row of the report's scope (the province), or the top unit when not given."""
    rows = scorecard.filter(pl.col("unit_code") == scope) if scope else scorecard.filter(pl.col("parent_code").is_null())
    if rows.is_empty():
        raise KeyError(f"unit {scope} is not in the scorecard")
    return rows.row(0, named=True)


def national_standing(national: pl.DataFrame, unit_code: str, *, on: date | None = None) -> NationalStanding | None:
    """Rank of ``unit_code`` on the latest national capture (or the one ``on`` a date)."""
    frame = national.with_columns(pl.col("date").cast(pl.String).str.to_date())
    day = on or frame["date"].max()
    today = frame.filter(pl.col("date") == day)
    row = today.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        return None
    r = row.row(0, named=True)
    return NationalStanding(int(r["rank"]), today.height, float(r["total"]), day, r.get("score_delta"))


def group_table(scorecard: pl.DataFrame, methodology: Methodology, unit_code: str, language: str = "vi") -> pl.DataFrame:
    """One row per group for a unit: score, max, share of max and points lost."""
    row = scorecard.filter(pl.col("unit_code") == unit_code).row(0, named=True)
    return pl.DataFrame(
        {
            "group": [g.code for g in methodology.groups],
            "name": [g.name if language == "vi" else g.name_en for g in methodology.groups],
            "score": [float(row[g.code]) for g in methodology.groups],
            "max": [float(g.max) for g in methodology.groups],
        }
    ).with_columns(
        (pl.col("score") / pl.col("max")).alias("share"),
        (pl.col("max") - pl.col("score")).round(2).alias("lost"),
    )


def indicator_table(detail: pl.DataFrame, methodology: Methodology, unit_code: str, language: str = "vi") -> pl.DataFrame:
    """The indicators behind each group for a unit, with their counts (tử số, mẫu số)."""
    names = methodology.indicator_table().select(
        "indicator", pl.col("indicator_name" if language == "vi" else "indicator_name_en").alias("name"), "rule", "target", "order"
    )
    rows = detail.filter(pl.col("unit_code") == unit_code).join(names, on="indicator", how="left")
    groups = {g.code: (g.name if language == "vi" else g.name_en) for g in methodology.groups}
    return rows.with_columns(
        pl.col("name").fill_null(pl.col("group").replace_strict(groups, default=pl.col("indicator"))),
        pl.col("group").replace_strict(groups, default=pl.col("group")).alias("group_name"),
    ).select("group", "group_name", "indicator", "name", "numerator", "denominator", "ratio", "score", "max_score", "rule", "target", "source")


def indicator_wide(detail: pl.DataFrame, indicators: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """Per unit: ``<ID>_num``, ``<ID>_den`` and ``<ID>_ratio`` of the given indicators."""
    long = detail.filter(pl.col("indicator").is_in(list(indicators)))
    out = long.select("period", "unit_code").unique()
    for indicator in indicators:
        part = long.filter(pl.col("indicator") == indicator).select(
            "period", "unit_code",
            pl.col("numerator").alias(f"{indicator}_num"),
            pl.col("denominator").alias(f"{indicator}_den"),
            pl.col("ratio").alias(f"{indicator}_ratio"),
        )
        out = out.join(part, on=["period", "unit_code"], how="left")
    return out


def unit_table(scorecard: pl.DataFrame, detail: pl.DataFrame, level: str) -> pl.DataFrame:
    """The monthly report's per-unit table for one level, ranked by total.

    On time with overdue dossiers; online share (counts where the portal gives them, else the
    published CLGQ score); online payment; satisfaction; digitisation of components and results.
    """
    units = scorecard.filter(pl.col("level") == level).select(
        "period", "unit_code", "unit_name", "rank", "total", "class", "CLGQ" if "CLGQ" in scorecard.columns else pl.lit(None).alias("CLGQ"),
        "dossiers", "active",
    )
    wide = indicator_wide(detail, UNIT_INDICATORS)
    table = units.join(wide, on=["period", "unit_code"], how="left")
    return table.with_columns(
        (pl.col("ON_TIME_den") - pl.col("ON_TIME_num")).alias("overdue"),
        (pl.col("ONLINE_DOSSIER_den") - pl.col("ONLINE_DOSSIER_num")).alias("offline"),
    ).sort("rank", "unit_name")


def classification_table(scorecard: pl.DataFrame, methodology: Methodology, level: str) -> pl.DataFrame:
    """Every unit's group scores, total, class and rank; ``active`` False marks units with no dossiers."""
    return scorecard.filter(pl.col("level") == level).select(
        "rank", "unit_code", "unit_name", *methodology.group_codes, "total", "class", "delta_total", "active"
    ).sort("rank", "unit_name")


def class_counts(scorecard: pl.DataFrame, methodology: Methodology, level: str) -> pl.DataFrame:
    """How many units of a level fall in each class (every class listed, zero included)."""
    units = scorecard.filter(pl.col("level") == level)
    counts = units.group_by("class").len()
    labels = pl.DataFrame({"class": [b.label for b in methodology.classes], "order": list(range(len(methodology.classes)))})
    return labels.join(counts, on="class", how="left").with_columns(pl.col("len").fill_null(0).alias("units")).sort("order").select("class", "units")


def below_target(table: pl.DataFrame, indicator: str, target: float) -> pl.DataFrame:
    """Active units of a per-unit table whose ratio of ``indicator`` is below ``target`` (lowest first)."""
    ratio = f"{indicator}_ratio"
    return table.filter(pl.col("active") & pl.col(ratio).is_not_null() & (pl.col(ratio) < target)).sort(ratio).select(
        "unit_code", "unit_name", ratio, f"{indicator}_num", f"{indicator}_den"
    )


def overdue_by_unit(table: pl.DataFrame) -> pl.DataFrame:
    """Units with overdue dossiers (quá hạn), most first."""
    return table.filter(pl.col("overdue") > 0).sort("overdue", descending=True).select("unit_code", "unit_name", "overdue", "ON_TIME_den", "ON_TIME_ratio")


def movers(scorecard: pl.DataFrame, level: str) -> pl.DataFrame:
    """Units whose total changed against the previous period, biggest fall first."""
    return scorecard.filter((pl.col("level") == level) & pl.col("delta_total").is_not_null()).sort("delta_total").select(
        "unit_code", "unit_name", "total", "delta_total"
    )


def weakest_indicators(detail: pl.DataFrame, methodology: Methodology, unit_code: str, n: int = 5) -> pl.DataFrame:
    """The indicators where a unit lost the most points (where to act first); a group the portal
    published as a score alone has no indicator to act on and is not one of them."""
    names = methodology.indicator_table().select("indicator", "indicator_name", "indicator_name_en")
    return (
        detail.filter((pl.col("unit_code") == unit_code) & (pl.col("max_score") > 0) & (pl.col("source") != "published"))
        .with_columns((pl.col("max_score") - pl.col("score")).round(2).alias("lost"))
        .filter(pl.col("lost") > 0)
        .join(names, on="indicator", how="left")
        .sort("lost", descending=True)
        .head(n)
        .select("group", "indicator", "indicator_name", "indicator_name_en", "ratio", "score", "max_score", "lost")
    )


# --------------------------------------------------------------------------------------------
# display: the tables as a reader sees them (strings, Vietnamese headers, "-" for no data)

HEADERS = {
    "vi": {
        "rank": "Hạng", "unit_name": "Tên cơ quan, đơn vị", "total": "Tổng điểm", "class": "Xếp loại",
        "delta_total": "Tăng/giảm", "dossiers": "Hồ sơ tiếp nhận", "ON_TIME": "Đúng hạn", "overdue": "Quá hạn",
        "ONLINE_DOSSIER": "Trực tuyến/Trực tiếp", "CLGQ": "Điểm DVCTT (/12)", "PAYMENT_DOSSIER": "Thanh toán trực tuyến",
        "DOSSIER_RECEIVING_SATISFACTION": "Hài lòng", "SO_HOA_GIAY_TO_GIAI_QUYET": "Số hóa hồ sơ",
        "ORIGINAL_RESULT_AVAILABLE": "Kết quả điện tử", "group_name": "Nhóm", "name": "Chỉ số",
        "numerator": "Tử số", "denominator": "Mẫu số", "ratio": "Tỷ lệ", "score": "Điểm", "max_score": "Tối đa",
    },
    "en": {
        "rank": "Rank", "unit_name": "Unit", "total": "Total", "class": "Class", "delta_total": "Change",
        "dossiers": "Dossiers received", "ON_TIME": "On time", "overdue": "Overdue",
        "ONLINE_DOSSIER": "Online/offline", "CLGQ": "Online services (/12)", "PAYMENT_DOSSIER": "Online payment",
        "DOSSIER_RECEIVING_SATISFACTION": "Satisfaction", "SO_HOA_GIAY_TO_GIAI_QUYET": "Digitised",
        "ORIGINAL_RESULT_AVAILABLE": "E-results", "group_name": "Group", "name": "Indicator",
        "numerator": "Numerator", "denominator": "Denominator", "ratio": "Rate", "score": "Points", "max_score": "Max",
    },
}

NO_ACTIVITY_NOTE = {
    "vi": "(*) Đơn vị không phát sinh hồ sơ trong kỳ: các tỷ lệ để trống (-), điểm chỉ gồm các chỉ số không tính trên hồ sơ.",
    "en": "(*) No dossiers in the period: rates are left blank (-); the score holds only indicators not based on dossiers.",
}


def _counts_and_rate(indicator: str, language: str) -> pl.Expr:
    """``88,81 %`` over ``1.516/1.707`` (rate, then counts on a second line) from a unit table's ``<ID>_num``, ``_den`` and ``_ratio``."""
    from analysis.formatting import integer, percent

    def cell(row: dict) -> str:
        if row["r"] is None or not row["d"]:
            return "-"
        return f"{percent(row['r'], language=language)}\n{integer(row['n'], language)}/{integer(row['d'], language)}"

    return pl.struct(
        n=pl.col(f"{indicator}_num"), d=pl.col(f"{indicator}_den"), r=pl.col(f"{indicator}_ratio")
    ).map_elements(cell, return_dtype=pl.String).alias(indicator)


def display_unit_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """The per-unit table as the monthly report prints it (see :func:`unit_table`)."""
    from analysis.formatting import integer, number, percent, short_unit_name

    head = HEADERS[language]
    online_counts = table["ONLINE_DOSSIER_den"].is_not_null().any()

    def online(row: dict) -> str:
        if row["den"] is None or not row["den"]:
            return "-"
        return f"{percent(row['r'], language=language)}\n{integer(row['num'], language)}/{integer(row['off'], language)}"

    columns = [
        pl.col("rank").cast(pl.String).alias(head["rank"]),
        pl.struct(n="unit_name", a="active").map_elements(
            lambda r: (short_unit_name(r["n"]) or r["n"]) + ("" if r["a"] is not False else " (*)"), return_dtype=pl.String
        ).alias(head["unit_name"]),
        pl.col("dossiers").map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["dossiers"]),
        pl.struct(r="ON_TIME_ratio", a="active").map_elements(
            lambda r: percent(r["r"], language=language) if r["a"] and r["r"] is not None else "-", return_dtype=pl.String
        ).alias(head["ON_TIME"]),
        pl.col("overdue").map_elements(lambda v: integer(v, language) if v else "-", return_dtype=pl.String).alias(head["overdue"]),
    ]
    if online_counts:
        columns.append(
            pl.struct(num="ONLINE_DOSSIER_num", off="offline", den="ONLINE_DOSSIER_den", r="ONLINE_DOSSIER_ratio")
            .map_elements(online, return_dtype=pl.String).alias(head["ONLINE_DOSSIER"])
        )
    else:
        columns.append(pl.col("CLGQ").map_elements(lambda v: number(v, language=language), return_dtype=pl.String).alias(head["CLGQ"]))
    for indicator in ("PAYMENT_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION", "SO_HOA_GIAY_TO_GIAI_QUYET", "ORIGINAL_RESULT_AVAILABLE"):
        columns.append(_counts_and_rate(indicator, language).alias(head[indicator]))
    columns.append(pl.col("total").map_elements(lambda v: number(v, language=language), return_dtype=pl.String).alias(head["total"]))
    return table.select(columns).with_columns(pl.all().fill_null("-"))


def display_classification(table: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """The classification table (bảng xếp loại): groups against their maxima, total, class, change."""
    from analysis.formatting import class_name, number, short_unit_name, signed

    head = HEADERS[language]
    groups = [
        pl.col(g.code).map_elements(lambda v: number(v, language=language), return_dtype=pl.String)
        .alias(f"{g.code} (/{g.max:g})")
        for g in methodology.groups
    ]
    return table.select(
        pl.col("rank").cast(pl.String).alias(head["rank"]),
        pl.struct(n="unit_name", a="active").map_elements(
            lambda r: (short_unit_name(r["n"]) or r["n"]) + ("" if r["a"] is not False else " (*)"), return_dtype=pl.String
        ).alias(head["unit_name"]),
        *groups,
        pl.col("total").map_elements(lambda v: number(v, language=language), return_dtype=pl.String).alias(head["total"]),
        pl.col("class").map_elements(lambda v: class_name(methodology, v, language) or "-", return_dtype=pl.String).alias(head["class"]),
        pl.col("delta_total").map_elements(lambda v: signed(v, language=language), return_dtype=pl.String).alias(head["delta_total"]),
    ).with_columns(pl.all().fill_null("-"))


def display_indicators(rows: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """A unit's indicators (see :func:`indicator_table`) with counts, rate and points."""
    from analysis.formatting import integer, number, percent

    head = HEADERS[language]
    published = "Cổng công bố điểm nhóm" if language == "vi" else "group score published by the portal"

    def rate(row: dict) -> str:
        if row["source"] == "published":
            return published
        if row["ratio"] is None:
            return "-"
        if row["measure_days"]:
            return number(row["ratio"], language=language) + (" ngày" if language == "vi" else " days")
        return percent(row["ratio"], language=language)

    first_of_group = (pl.col("group_name") != pl.col("group_name").shift(1)).fill_null(True)
    return rows.with_columns((pl.col("indicator") == "AVG_PROCESSING_DAYS").alias("measure_days")).select(
        pl.when(first_of_group).then(pl.col("group_name")).otherwise(pl.lit("")).alias(head["group_name"]),
        pl.col("name").alias(head["name"]),
        pl.when(~pl.col("measure_days")).then(pl.col("numerator"))
        .map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["numerator"]),
        pl.when(~pl.col("measure_days")).then(pl.col("denominator"))
        .map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["denominator"]),
        pl.struct("ratio", "source", "measure_days").map_elements(rate, return_dtype=pl.String).alias(head["ratio"]),
        pl.struct("score", "max_score").map_elements(
            lambda r: "-" if not r["max_score"] else f"{number(r['score'], language=language)}/{number(r['max_score'], decimals=0, language=language)}",
            return_dtype=pl.String,
        ).alias(head["score"]),
    ).with_columns(pl.all().fill_null("-"))


TABLE_STYLE = (
    "<style>"
    "div.bang-cuon{overflow-x:auto;max-width:100%}"
    "div.bang-cuon table.bang-so-lieu{border-collapse:collapse;font-size:0.85rem;margin:0.4rem 0;font-variant-numeric:tabular-nums}"
    "div.bang-cuon table.bang-so-lieu th,div.bang-cuon table.bang-so-lieu td{text-align:left;padding:0.2rem 0.45rem;"
    "vertical-align:top;border-bottom:1px solid #e4e4e4;white-space:normal}"
    "div.bang-cuon table.bang-so-lieu th{font-weight:600;border-bottom:1px solid #999;vertical-align:bottom}"
    "div.bang-cuon table.bang-so-lieu td.ten{min-width:11rem}"
    "div.bang-cuon table.bang-so-lieu td.num,div.bang-cuon table.bang-so-lieu th.num{text-align:right}"
    "div.bang-cuon table.bang-so-lieu td.num{white-space:nowrap}"
    "div.bang-cuon table.bang-so-lieu span.phu{font-size:0.75rem;color:#666}"
    "div.bang-cuon table.bang-so-lieu caption{text-align:left;font-weight:600;padding:0.3rem 0}"
    "p.chu-thich{font-size:0.8rem;color:#555;margin:0.2rem 0 1rem}"
    "</style>"
)
"""The look of the report's tables, carried by each table so it holds in JupyterLab and in the HTML file."""


def html_table(frame: pl.DataFrame, *, caption: str | None = None, footnote: str | None = None, numeric_from: int = 2) -> str:
    """A plain, self-contained HTML table of a display frame (strings), numbers right-aligned.

    Columns from ``numeric_from`` on are figures (right-aligned, never wrapped); the table scrolls
    sideways on a narrow screen instead of squeezing its figures.
    """
    from html import escape

    # text columns wide enough to be names get room (a rank or a code does not)
    names = {
        i for i, c in enumerate(frame.columns)
        if i < numeric_from and frame.height and (frame[c].cast(pl.String).str.len_chars().max() or 0) > 12
    }

    def cls(i: int) -> str:
        return ' class="num"' if i >= numeric_from else (' class="ten"' if i in names else "")

    def cell(value: object) -> str:
        first, *rest = str(value).split("\n")
        return escape(first) + "".join(f'<br><span class="phu">{escape(line)}</span>' for line in rest)

    head = "".join(f"<th{cls(i)}>{escape(str(c))}</th>" for i, c in enumerate(frame.columns))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{cell(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in frame.iter_rows()
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    foot = f'<p class="chu-thich">{escape(footnote)}</p>' if footnote else ""
    return (
        f'{TABLE_STYLE}<div class="bang-cuon"><table class="bang-so-lieu">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>{foot}"
    )


def peer_table(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    unit_code: str,
    *,
    peers: list[str] | None = None,
    language: str = "vi",
) -> pl.DataFrame:
    """One unit against its peers and the province, group by group (so sánh với đơn vị cùng cấp).

    Columns: group name, max, the unit's score, the median of ``peers`` (e.g. the communes of its
    former district; left out when not given), the median of its level under the same parent,
    and the parent (province).
    """
    row = scorecard.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        raise KeyError(f"unit {unit_code} is not in the scorecard")
    unit = row.row(0, named=True)
    same_level = scorecard.filter((pl.col("level") == unit["level"]) & pl.col("parent_code").eq_missing(unit["parent_code"]))
    parent = scorecard.filter(pl.col("unit_code") == unit["parent_code"])
    codes = [*methodology.group_codes, "total"]
    names = [g.name if language == "vi" else g.name_en for g in methodology.groups] + ["Tổng điểm" if language == "vi" else "Total"]
    maxima = [float(g.max) for g in methodology.groups] + [100.0]
    columns: dict[str, list] = {"group": names, "max": maxima, "unit": [float(unit[c]) for c in codes]}
    if peers:
        group = scorecard.filter(pl.col("unit_code").is_in(peers))
        columns["peers_median"] = [group[c].median() for c in codes]
    columns["level_median"] = [same_level[c].median() for c in codes]
    if parent.height:
        columns["parent"] = [float(parent.row(0, named=True)[c]) for c in codes]
    return pl.DataFrame(columns)


def lowest_active(scorecard: pl.DataFrame, level: str) -> str:
    """The code of the lowest-ranked unit of a level that had dossiers (where help is needed most);
    without any unit of that level, the lowest of the others, the province last."""
    rows = scorecard.filter((pl.col("level") == level) & pl.col("active")).sort("total")
    if rows.is_empty():
        rows = scorecard.filter(pl.col("level") == level).sort("total")
    if rows.is_empty():  # no unit of that level in the data (a province-only source): the province itself
        rows = scorecard.sort(pl.col("level") == "province", "total")
    return rows["unit_code"][0]


def display_peer_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`peer_table` for the reader."""
    from analysis.formatting import number

    vi = language == "vi"
    headers = {
        "group": "Nhóm chỉ số" if vi else "Group",
        "max": "Tối đa" if vi else "Max",
        "unit": "Đơn vị" if vi else "Unit",
        "peers_median": "Trung vị các xã cùng huyện cũ" if vi else "Median of its former district",
        "level_median": "Trung vị cùng cấp" if vi else "Median of its level",
        "parent": "Toàn tỉnh" if vi else "Province",
    }
    return table.select(
        pl.col("group"),
        pl.col("max").map_elements(lambda v: number(v, decimals=0, language=language), return_dtype=pl.String),
        *[pl.col(c).map_elements(lambda v: number(v, language=language), return_dtype=pl.String) for c in table.columns if c not in ("group", "max")],
    ).with_columns(pl.all().fill_null("-")).rename({c: headers[c] for c in table.columns})


def scorecard_sheet(scorecard: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """The scorecard for a spreadsheet reader: headers in words, levels in order, numbers kept as numbers."""
    from analysis.formatting import level_name

    vi = language == "vi"
    order = {"national": 0, "province": 1, "department": 2, "district": 3, "commune": 4}
    groups = [pl.col(g.code).alias(f"{g.name if vi else g.name_en} ({g.max:g})") for g in methodology.groups]
    return scorecard.sort(pl.col("level").replace_strict(order, default=9), "rank", "unit_name").select(
        pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String).alias("Cấp" if vi else "Level"),
        pl.col("rank").alias("Hạng" if vi else "Rank"),
        pl.col("unit_code").alias("Mã đơn vị" if vi else "Unit code"),
        pl.col("unit_name").alias("Tên cơ quan, đơn vị" if vi else "Unit"),
        *groups,
        pl.col("total").alias("Tổng điểm" if vi else "Total"),
        pl.col("class").alias("Xếp loại" if vi else "Class"),
        pl.col("delta_total").alias("Tăng/giảm" if vi else "Change"),
        pl.col("dossiers").alias("Hồ sơ tiếp nhận" if vi else "Dossiers received"),
    )
