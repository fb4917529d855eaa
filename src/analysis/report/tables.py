"""The report's tables (bảng số liệu), as numbers: headline, groups, units by level, classes.

Every function takes the scoring engine's frames (``scorecard``, ``detail``) and returns a
small polars frame of numbers; turning numbers into Vietnamese text is
:mod:`analysis.report.formatting`'s job, and sentences are :mod:`analysis.report.narrative`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

import polars as pl

from analysis.report.formatting import class_column, group_name, indicator_name, integer, number, percent
from analysis.report.messages import text, words
from analysis.report.names import unit_name
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED

UNIT_INDICATORS = (
    "ON_TIME", "ONLINE_DOSSIER", "PAYMENT_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION",
    "SO_HOA_GIAY_TO_GIAI_QUYET", "ORIGINAL_RESULT_AVAILABLE",
)
"""Indicators of the per-unit tables of the monthly report (on time, online, payment, satisfaction, digitisation)."""

PROVISIONAL_DENOMINATORS: frozenset[str] = frozenset({"DOSSIER_SYNC"})
"""Indicators whose denominator the portal publishes as a provisional number (flag
``TEMP_NATIONAL_REPORT_DENOMINATOR``: DOSSIER_SYNC's equals its numerator); a denominator unlike
its numerator (a province's own report) is a real count and shown. A setting: pass
another set to the functions that take ``provisional``. Nothing computed from such a denominator
is stated as a fact."""


@dataclass(frozen=True)
class NationalStanding:
    """The province among all provinces on the portal's national list (xếp hạng toàn quốc)."""

    rank: int
    of: int
    total: float
    as_of: date
    change: float | None
    period: str | None = None
    """The period the rank is of (``2026-08``); ``None`` for the portal's year-to-date ranking."""

    def is_of(self, period: str) -> bool:
        """Whether this rank belongs to ``period`` (a rank is stated only for its own period)."""
        return self.period is not None and self.period == period


def root_unit(scorecard: pl.DataFrame, scope: str | None = None) -> dict:
    """The scorecard row of the report's scope (the province), or the top unit when not given."""
    rows = scorecard.filter(pl.col("unit_code") == scope) if scope else scorecard.filter(pl.col("parent_code").is_null())
    if rows.is_empty():
        raise KeyError(f"unit {scope} is not in the scorecard")
    return rows.row(0, named=True)


def national_standing(national: pl.DataFrame, unit_code: str, *, on: date | None = None) -> NationalStanding | None:
    """Rank of ``unit_code`` on the latest national capture (or the one ``on`` a date)."""
    frame = national.with_columns(pl.col("date").cast(pl.String).str.to_date())
    day = on if on is not None else frame["date"].max()
    if not isinstance(day, date):  # no capture at all
        return None
    today = frame.filter(pl.col("date") == day)
    row = today.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        return None
    r = row.row(0, named=True)
    period = str(r["period"]) if r.get("period") is not None else None
    return NationalStanding(int(r["rank"]), today.height, float(r["total"]), day, r.get("score_delta"), period)


def group_table(scorecard: pl.DataFrame, methodology: Methodology, unit_code: str, language: str = "vi") -> pl.DataFrame:
    """One row per group for a unit: score, max, share of max and points lost."""
    row = scorecard.filter(pl.col("unit_code") == unit_code).row(0, named=True)
    return pl.DataFrame(
        {
            "group": [g.code for g in methodology.groups],
            "name": [group_name(methodology, g.code, language) for g in methodology.groups],
            "score": [float(row[g.code]) for g in methodology.groups],
            "max": [float(g.max) for g in methodology.groups],
        }
    ).with_columns(
        (pl.col("score") / pl.col("max")).alias("share"),
        (pl.col("max") - pl.col("score")).round(2).alias("lost"),
    )


def indicator_table(detail: pl.DataFrame, methodology: Methodology, unit_code: str, language: str = "vi") -> pl.DataFrame:
    """The indicators behind each group for a unit, with their counts (tử số, mẫu số)."""
    listed = methodology.indicator_table()
    named = pl.Series("name", [indicator_name(methodology, i, language) for i in listed["indicator"]], dtype=pl.String)
    names = listed.select("indicator", named, "rule", "target", "order", "fixed_ratio")
    rows = detail.filter(pl.col("unit_code") == unit_code).join(names, on="indicator", how="left")
    groups = {g.code: group_name(methodology, g.code, language) for g in methodology.groups}
    return rows.with_columns(
        pl.col("name").fill_null(pl.col("group").replace_strict(groups, default=pl.col("indicator"))),
        pl.col("group").replace_strict(groups, default=pl.col("group")).alias("group_name"),
    ).select("group", "group_name", "indicator", "name", "numerator", "denominator", "ratio", "score", "max_score", "rule", "target", "source",
              "fixed_ratio")


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
    units = graded(scorecard).filter(pl.col("level") == level).select(
        "period", "unit_code", "unit_name", "rank", "rank_of", "total", "class",
        "CLGQ" if "CLGQ" in scorecard.columns else pl.lit(None).alias("CLGQ"),
        "dossiers", "active",
    )
    wide = indicator_wide(detail, UNIT_INDICATORS)
    table = units.join(wide, on=["period", "unit_code"], how="left")
    return table.with_columns(
        (pl.col("ON_TIME_den") - pl.col("ON_TIME_num")).alias("overdue"),
        (pl.col("ONLINE_DOSSIER_den") - pl.col("ONLINE_DOSSIER_num")).alias("offline"),
    ).sort("rank", "unit_name", nulls_last=True)


def graded(scorecard: pl.DataFrame, *, ranking: str = "competition") -> pl.DataFrame:
    """The scorecard with units that had no dossiers left ungraded (không xếp hạng, xếp loại).

    A unit with no dossiers in the period (``active`` false) gets no class and no rank; the
    others are ranked among themselves (``rank`` of ``rank_of`` active units of the same level
    and parent). A unit whose activity is unknown (``active`` empty: a source of published
    scores without counts) is graded as published. The engine's scores are kept as they are.
    """
    scope = ["period", "level", "parent_code"]
    active = GRADED
    rank = pl.when(active).then(pl.col("total")).otherwise(None)
    return scorecard.with_columns(
        pl.when(active).then(pl.col("class")).otherwise(None).alias("class"),
        rank.rank(method="min" if ranking == "competition" else "dense", descending=True).over(scope).cast(pl.Int32).alias("rank"),
        active.cast(pl.Int32).sum().over(scope).cast(pl.Int32).alias("rank_of"),
    )


def channel_table(facts: pl.DataFrame, level: str) -> pl.DataFrame:
    """Dossiers by channel per unit of a level (hồ sơ trực tuyến/trực tiếp), from facts that carry
    per-unit channel counts (the province's own system, records); empty when none do.

    Columns: unit, online, direct, postal (null when not given), dossiers with a channel, online share.
    """
    wanted = ("ONLINE_DOSSIER", "DIRECT_DOSSIER", "POSTAL_DOSSIER")
    part = facts.filter((pl.col("level") == level) & pl.col("indicator").is_in(list(wanted)))
    if part.is_empty():
        return pl.DataFrame(schema={"unit_code": pl.String, "unit_name": pl.String, "online": pl.Float64, "direct": pl.Float64,
                                    "postal": pl.Float64, "with_channel": pl.Float64, "online_share": pl.Float64})
    wide = part.pivot(on="indicator", index=["unit_code", "unit_name"], values="numerator", aggregate_function="first")
    dens = part.filter(pl.col("indicator") == "ONLINE_DOSSIER").select("unit_code", pl.col("denominator").alias("with_channel"))
    for name in wanted:
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return (wide.join(dens, on="unit_code", how="left")
            .rename({"ONLINE_DOSSIER": "online", "DIRECT_DOSSIER": "direct", "POSTAL_DOSSIER": "postal"})
            .filter(pl.col("with_channel") > 0)
            .with_columns((pl.col("online") / pl.col("with_channel")).alias("online_share"))
            .sort("online_share", "unit_name", descending=[True, False])
            .select("unit_code", "unit_name", "online", "direct", "postal", "with_channel", "online_share"))


def display_channel_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`channel_table` as the seeds print it: ``Trực tuyến/Trực tiếp`` counts and the online share."""
    head = words("tables.channel_header", language)
    return table.select(
        pl.int_range(1, pl.len() + 1).cast(pl.String).alias(head["number"]),
        pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String).alias(text("tables.header.unit_name", language)),
        pl.struct("online", "direct").map_elements(
            lambda r: f"{integer(r['online'], language)}/{integer(r['direct'], language)}", return_dtype=pl.String
        ).alias(head["online_direct"]),
        pl.col("postal").map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["postal"]),
        pl.col("online_share").map_elements(lambda v: percent(v, language=language), return_dtype=pl.String).alias(head["online_share"]),
    ).with_columns(pl.all().fill_null("-"))


def classification_table(scorecard: pl.DataFrame, methodology: Methodology, level: str) -> pl.DataFrame:
    """Every unit's group scores, total, class and rank; ``active`` False marks units with no dossiers."""
    return graded(scorecard, ranking=methodology.ranking).filter(pl.col("level") == level).select(
        "rank", "unit_code", "unit_name", *methodology.group_codes, "total", "class", "delta_total", "active"
    ).sort("rank", "unit_name", nulls_last=True)


def class_counts(scorecard: pl.DataFrame, methodology: Methodology, level: str) -> pl.DataFrame:
    """How many units of a level fall in each class (every class code listed, best first, zero included).

    Units with no dossiers are in no class (see :func:`graded`)."""
    units = graded(scorecard).filter((pl.col("level") == level) & GRADED)
    counts = units.group_by("class").len()
    codes = pl.DataFrame({"class": [b.code for b in methodology.classes], "order": list(range(len(methodology.classes)))})
    return codes.join(counts, on="class", how="left").with_columns(pl.col("len").fill_null(0).alias("units")).sort("order").select("class", "units")


def below_target(table: pl.DataFrame, indicator: str, target: float) -> pl.DataFrame:
    """Active units of a per-unit table whose ratio of ``indicator`` is below ``target`` (lowest first)."""
    ratio = f"{indicator}_ratio"
    return table.filter(GRADED & pl.col(ratio).is_not_null() & (pl.col(ratio) < target)).sort(ratio).select(
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


def same_period_year_before(period: str) -> str:
    """The same month (quarter, year) a year earlier: ``2026-08`` → ``2025-08`` (cùng kỳ năm trước)."""
    head, sep, tail = period.partition("-")
    return f"{int(head) - 1}{sep}{tail}" if head.isdigit() else period


def compared(series: pl.DataFrame, period: str, before: str, level: str | None = None) -> pl.DataFrame:
    """Each unit of ``period`` against ``before`` in the multi-period scorecard (``series``).

    Columns: unit, total and class then and now, ``change`` (điểm tăng/giảm) and whether the
    class changed. Only units with dossiers in both periods are compared (an ungraded unit has
    no class to change from or to); empty when ``before`` is not held.
    """
    now = graded(series.filter(pl.col("period") == period))
    then = graded(series.filter(pl.col("period") == before)).select(
        "unit_code", pl.col("total").alias("total_before"), pl.col("class").alias("class_before"),
        pl.col("active").alias("active_before"),
    )
    if level is not None:
        now = now.filter(pl.col("level") == level)
    return (
        now.join(then, on="unit_code", how="inner")
        .filter(GRADED & pl.col("active_before").fill_null(True))
        .with_columns((pl.col("total") - pl.col("total_before")).round(2).alias("change"))
        .with_columns((pl.col("class") != pl.col("class_before")).alias("class_changed"))
        .select("unit_code", "unit_name", "level", "total_before", "total", "change", "class_before", "class", "class_changed")
        .sort("change", "unit_name")
    )


def overdue_concentration(table: pl.DataFrame, province_overdue: float) -> pl.DataFrame:
    """Units' overdue dossiers as a share of the province's (ai giữ phần lớn hồ sơ quá hạn), most first."""
    return overdue_by_unit(table).with_columns(
        (pl.col("overdue") / province_overdue if province_overdue else pl.lit(None, dtype=pl.Float64)).alias("share")
    )


def few_case_losses(
    detail: pl.DataFrame, scorecard: pl.DataFrame, level: str, *, max_cases: int = 3, min_points: float = 4.0,
) -> pl.DataFrame:
    """Units that lost ``min_points`` or more on indicators failed by only 1 to ``max_cases`` cases.

    A case is a dossier or petition counted in the denominator but not the numerator (one late
    petition of one costs the whole indicator). One row per unit: points lost that way, the
    indicators with their failed cases and denominators, and the unit's rank among the active
    units of its level; most points first.
    """
    card = graded(scorecard).filter((pl.col("level") == level) & GRADED).select(
        "unit_code", "unit_name", "rank", "rank_of", "total"
    )
    cells = (
        detail.filter(
            (pl.col("source") == "own") & (pl.col("max_score") > 0) & pl.col("denominator").is_not_null()
            & pl.col("numerator").is_not_null() & (pl.col("indicator") != "AVG_PROCESSING_DAYS")
        )
        .with_columns(
            (pl.col("denominator") - pl.col("numerator")).alias("cases"),
            (pl.col("max_score") - pl.col("score")).round(2).alias("lost"),
        )
        .filter((pl.col("cases") >= 1) & (pl.col("cases") <= max_cases) & (pl.col("lost") > 0))
    )
    per_unit = cells.sort("lost", descending=True).group_by("unit_code", maintain_order=True).agg(
        pl.col("lost").sum().round(2).alias("lost"),
        pl.col("indicator").alias("indicators"), pl.col("cases").alias("indicator_cases"), pl.col("denominator").alias("denominators"),
    )
    return card.join(per_unit, on="unit_code", how="inner").filter(pl.col("lost") >= min_points).sort(
        pl.col("lost"), pl.col("rank"), descending=[True, True]
    )


def province_against_level(
    scorecard: pl.DataFrame, detail: pl.DataFrame, scope: str, level: str, *, n: int = 3,
) -> tuple[int, int, pl.DataFrame]:
    """Why the province scores below its own units: how many active units of ``level`` score above
    it, and the indicators where it loses most points more than the level's median unit does.

    Returns (units above, active units, indicators with ``lost`` by the province, ``lost_median``
    of the level's units and the ``gap``, largest first, at most ``n``).
    """
    root = scorecard.filter(pl.col("unit_code") == scope).row(0, named=True)
    units = scorecard.filter((pl.col("level") == level) & GRADED)
    above = units.filter(pl.col("total") > root["total"]).height
    lost = detail.filter(pl.col("max_score") > 0).with_columns((pl.col("max_score") - pl.col("score")).alias("lost"))
    own = lost.filter(pl.col("unit_code") == scope).select("indicator", "lost")
    level_lost = lost.filter(pl.col("unit_code").is_in(units["unit_code"].implode())).group_by("indicator").agg(
        pl.col("lost").median().alias("lost_median")
    )
    gaps = (
        own.join(level_lost, on="indicator", how="left")
        .with_columns(pl.col("lost_median").fill_null(0.0))
        .with_columns((pl.col("lost") - pl.col("lost_median")).round(2).alias("gap"))
        .filter(pl.col("gap") > 0)
        .sort("gap", descending=True)
        .head(n)
    )
    return above, units.height, gaps


def level_points_lost(detail: pl.DataFrame, scorecard: pl.DataFrame, level: str, *, n: int = 3) -> pl.DataFrame:
    """Where the units of a level lose their points (mất điểm ở đâu): per indicator measured on the
    units' own figures (not the province's copied to them, not those without figures), the mean
    points lost per active unit and how many units lose any, largest mean first (``n`` rows)."""
    units = scorecard.filter((pl.col("level") == level) & GRADED).select("period", "unit_code")
    return (
        detail.join(units, on=["period", "unit_code"], how="inner")
        .filter((pl.col("max_score") > 0) & (pl.col("source") == "own") & pl.col("ratio").is_not_null())
        .with_columns((pl.col("max_score") - pl.col("score")).alias("lost"))
        .group_by("indicator")
        .agg(pl.col("lost").mean().round(2).alias("mean_lost"), pl.col("max_score").first().alias("max_score"),
             (pl.col("lost") > 0.005).sum().alias("units_losing"), pl.len().alias("units"))
        .filter(pl.col("mean_lost") > 0)
        .sort("mean_lost", "indicator", descending=[True, False])
        .head(n)
    )


def full_marks(table: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """Active units of a per-unit table at 100 % on ``indicator`` (the good news: đạt 100 %)."""
    ratio = f"{indicator}_ratio"
    if ratio not in table.columns:
        return table.head(0)
    return table.filter(GRADED & (pl.col(ratio) >= 1.0) & (pl.col(f"{indicator}_den") > 0)).sort("unit_name")


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

def no_activity_note(table: pl.DataFrame, language: str = "vi") -> str | None:
    """The (*) footnote, only under a table that shows a unit without dossiers (``active`` false;
    empty ``active`` is unknown, not inactive)."""
    inactive = "active" in table.columns and (table["active"] == False).any()  # noqa: E712
    return text("tables.no_activity_note", language) if inactive else None


def unit_table_note(table: pl.DataFrame, language: str = "vi") -> str:
    """The footnote of a per-unit table: which dossier count each column uses, what is published only, and (*)."""
    online_counts = "ONLINE_DOSSIER_den" in table.columns and table["ONLINE_DOSSIER_den"].is_not_null().any()
    note_text = text("tables.unit_note_counts", language)
    note_text += text("tables.unit_note_channels" if online_counts else "tables.unit_note_published", language)
    note = no_activity_note(table, language)
    return note_text + note if note else note_text.rstrip()


def _counts_and_rate(indicator: str, language: str) -> pl.Expr:
    """``88,81 %`` over ``1.516/1.707`` (rate, then counts on a second line) from a unit table's ``<ID>_num``, ``_den`` and ``_ratio``."""
    def cell(row: dict) -> str:
        if row["r"] is None or not row["d"]:
            return "-"
        return f"{percent(row['r'], language=language)}\n{integer(row['n'], language)}/{integer(row['d'], language)}"

    return pl.struct(
        n=pl.col(f"{indicator}_num"), d=pl.col(f"{indicator}_den"), r=pl.col(f"{indicator}_ratio")
    ).map_elements(cell, return_dtype=pl.String).alias(indicator)


def display_unit_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """The per-unit table as the monthly report prints it (see :func:`unit_table`)."""
    head = words("tables.header", language)
    online_counts = table["ONLINE_DOSSIER_den"].is_not_null().any()

    def online(row: dict) -> str:
        if row["den"] is None or not row["den"]:
            return "-"
        return f"{percent(row['r'], language=language)}\n{integer(row['num'], language)}/{integer(row['off'], language)}"

    columns = [
        pl.col("rank").cast(pl.String).alias(head["rank"]),
        pl.struct(n="unit_name", a="active").map_elements(
            lambda r: unit_name(r["n"]) + ("" if r["a"] is not False else " (*)"), return_dtype=pl.String
        ).alias(head["unit_name"]),
        pl.col("dossiers").map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["dossiers"]),
        pl.struct(r="ON_TIME_ratio", a="active").map_elements(
            lambda r: percent(r["r"], language=language) if r["a"] is not False and r["r"] is not None else "-", return_dtype=pl.String
        ).alias(head["ON_TIME"]),
        pl.col("overdue").map_elements(lambda v: integer(v, language) if v else "-", return_dtype=pl.String).alias(head["overdue"]),
    ]
    if online_counts:
        columns.append(
            pl.struct(num="ONLINE_DOSSIER_num", off="offline", den="ONLINE_DOSSIER_den", r="ONLINE_DOSSIER_ratio")
            .map_elements(online, return_dtype=pl.String).alias(head["ONLINE_DOSSIER"])
        )
    else:
        columns.append(pl.struct(v="CLGQ", a="active").map_elements(
            lambda r: number(r["v"], language=language) if r["a"] is not False else "-", return_dtype=pl.String).alias(head["CLGQ"]))
    for indicator in ("PAYMENT_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION", "SO_HOA_GIAY_TO_GIAI_QUYET", "ORIGINAL_RESULT_AVAILABLE"):
        columns.append(_counts_and_rate(indicator, language).alias(head[indicator]))
    columns.append(pl.struct(t="total", a="active").map_elements(
        lambda r: number(r["t"], language=language) if r["a"] is not False else "-", return_dtype=pl.String).alias(head["total"]))
    return table.select(columns).with_columns(pl.all().fill_null("-"))


def change_cell(change: float | None, language: str = "vi") -> str:
    """The Tăng/giảm column as the reports write it: ``Giảm 13,96``, ``Tăng 1,20``, ``Không đổi``; ``-`` when not held."""
    if change is None:
        return "-"
    if round(change, 2) == 0:
        return text("tables.change_cell.same", language)
    return text("tables.change_cell.up" if change > 0 else "tables.change_cell.down", language, points=number(abs(change), language=language))


def display_classification(table: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """The classification table (bảng xếp loại): groups by name against their maxima, total, class, Tăng/giảm.

    A unit with no dossiers shows ``-`` for rank, scores and class (marked ``(*)``).
    """
    head = words("tables.header", language)

    def score(code: str, alias: str) -> pl.Expr:
        return pl.struct(v=code, a="active").map_elements(
            lambda r: number(r["v"], language=language) if r["a"] is not False else "-", return_dtype=pl.String).alias(alias)

    groups = [score(g.code, f"{group_name(methodology, g.code, language)} (/{g.max:g})") for g in methodology.groups]
    return table.select(
        pl.col("rank").cast(pl.String).alias(head["rank"]),
        pl.struct(n="unit_name", a="active").map_elements(
            lambda r: unit_name(r["n"]) + ("" if r["a"] is not False else " (*)"), return_dtype=pl.String
        ).alias(head["unit_name"]),
        *groups,
        score("total", head["total"]),
        class_column(methodology, language).fill_null("-").alias(head["class"]),
        pl.struct(d="delta_total", a="active").map_elements(
            lambda r: change_cell(r["d"], language) if r["a"] is not False else "-", return_dtype=pl.String).alias(head["delta_total"]),
    ).with_columns(pl.all().fill_null("-"))


def display_indicators(rows: pl.DataFrame, language: str = "vi", *, provisional: frozenset[str] | set[str] = PROVISIONAL_DENOMINATORS) -> pl.DataFrame:
    """A unit's indicators (see :func:`indicator_table`) with counts, rate and points; a rate resting
    on a provisional denominator says so instead of standing as a measurement."""
    head = words("tables.header", language)

    def rate(row: dict) -> str:
        if row["source"] == "published":
            return text("tables.rate_published", language)
        if row["fixed_ratio"] is not None:  # not measured: the portal gives every unit this ratio
            fixed = percent(row["fixed_ratio"], decimals=0, language=language)
            return text("tables.rate_fixed", language, fixed=fixed)
        if row["ratio"] is None:
            return "-"
        if row["measure_days"]:
            return text("tables.rate_days", language, days=number(row["ratio"], language=language))
        if row["indicator"] in provisional and row["numerator"] == row["denominator"]:
            return text("tables.rate_provisional", language)
        return percent(row["ratio"], language=language)

    first_of_group = (pl.col("group_name") != pl.col("group_name").shift(1)).fill_null(True)
    if "fixed_ratio" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, dtype=pl.Float64).alias("fixed_ratio"))
    return rows.with_columns((pl.col("indicator") == "AVG_PROCESSING_DAYS").alias("measure_days")).select(
        pl.when(first_of_group).then(pl.col("group_name")).otherwise(pl.lit("")).alias(head["group_name"]),
        pl.col("name").alias(head["name"]),
        pl.when(~pl.col("measure_days")).then(pl.col("numerator"))
        .map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["numerator"]),
        pl.when(~pl.col("measure_days") & ~(pl.col("indicator").is_in(list(provisional)) & (pl.col("numerator") == pl.col("denominator"))).fill_null(False))
        .then(pl.col("denominator"))
        .map_elements(lambda v: integer(v, language), return_dtype=pl.String).alias(head["denominator"]),
        pl.struct("ratio", "source", "measure_days", "indicator", "numerator", "denominator", "fixed_ratio").map_elements(rate, return_dtype=pl.String).alias(head["ratio"]),
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


def _longest(column: pl.Series) -> int:
    """The length of the longest value of a column, as text (0 when all are missing)."""
    longest = column.cast(pl.String).str.len_chars().max()
    return longest if isinstance(longest, int) else 0


def html_table(frame: pl.DataFrame, *, caption: str | None = None, footnote: str | None = None, numeric_from: int = 2) -> str:
    """A plain, self-contained HTML table of a display frame (strings), numbers right-aligned.

    Columns from ``numeric_from`` on are figures (right-aligned, never wrapped); the table scrolls
    sideways on a narrow screen instead of squeezing its figures.
    """
    # text columns wide enough to be names get room (a rank or a code does not)
    names = {
        i for i, c in enumerate(frame.columns)
        if i < numeric_from and frame.height and _longest(frame[c]) > 12
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
    former district; left out when not given), the median of its level under the same parent
    (left out when the unit is alone there), and the parent (province).
    """
    row = scorecard.filter(pl.col("unit_code") == unit_code)
    if row.is_empty():
        raise KeyError(f"unit {unit_code} is not in the scorecard")
    unit = row.row(0, named=True)
    same_level = scorecard.filter((pl.col("level") == unit["level"]) & pl.col("parent_code").eq_missing(unit["parent_code"]))
    parent = scorecard.filter(pl.col("unit_code").eq_missing(unit["parent_code"]))  # the province has none
    codes = [*methodology.group_codes, "total"]
    names = [group_name(methodology, g.code, language) for g in methodology.groups] + [text("tables.total", language)]
    maxima = [float(g.max) for g in methodology.groups] + [100.0]
    columns: dict[str, list] = {"group": names, "max": maxima, "unit": [None if unit[c] is None else float(unit[c]) for c in codes]}
    if peers:
        group = scorecard.filter(pl.col("unit_code").is_in(peers))
        columns["peers_median"] = [group[c].median() for c in codes]
    if same_level.height > 1:  # the median of the unit alone is the unit: left out (a province-only source)
        columns["level_median"] = [same_level[c].median() for c in codes]
    if parent.height:
        columns["parent"] = [None if (v := parent.row(0, named=True)[c]) is None else float(v) for c in codes]
    return pl.DataFrame(columns)


def lowest_active(scorecard: pl.DataFrame, level: str) -> str:
    """The code of the lowest-ranked unit of a level that had dossiers (where help is needed most);
    without any unit of that level, the lowest of the others, the province last."""
    rows = scorecard.filter((pl.col("level") == level) & GRADED).sort("total", nulls_last=True)
    if rows.is_empty():
        rows = scorecard.filter(pl.col("level") == level).sort("total")
    if rows.is_empty():  # no unit of that level in the data (a province-only source): the province itself
        rows = scorecard.sort(pl.col("level") == "province", "total")
    return rows["unit_code"][0]


def display_peer_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`peer_table` for the reader."""
    headers = words("tables.peer_header", language)
    return table.select(
        pl.col("group"),
        pl.col("max").map_elements(lambda v: number(v, decimals=0, language=language), return_dtype=pl.String),
        *[pl.col(c).map_elements(lambda v: number(v, language=language), return_dtype=pl.String) for c in table.columns if c not in ("group", "max")],
    ).with_columns(pl.all().fill_null("-")).rename({c: headers[c] for c in table.columns})
