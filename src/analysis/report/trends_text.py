"""The trends page for the reader (trang diễn biến): its sentences and tables.

The series themselves (:mod:`analysis.scoring.trends`) are computed frames; this module says
them in the reader's language, every word from ``report/messages/trends.yaml``.
"""

from __future__ import annotations

import datetime

import polars as pl

from analysis.contract.periods import parse_period
from analysis.report import formatting as fmt
from analysis.report.messages import text, words


def provisional_sentence(captures: pl.DataFrame | None, period: str, language: str = "vi") -> str | None:
    """Say that the period's figures are provisional (kỳ chưa kết thúc) and as of when; ``None``
    when the last capture was taken after the period ended."""
    if captures is None or captures.is_empty():
        return None
    last = captures["date"].max()
    if not captures.filter(pl.col("date") == last)["provisional"].any():
        return None
    return text("trends.provisional", language, period=parse_period(period).label(language), day=fmt.date_vi(last, language))


def captures_sentence(captures: pl.DataFrame, unit_code: str, language: str = "vi") -> str:
    """The unit's total at its first and last capture of the period, and the change."""
    rows = captures.filter(pl.col("unit_code") == unit_code).sort("date")
    days = captures["date"].unique().sort().to_list()
    if rows.height < 2:
        return text("trends.captures.too_few", language, captures=len(days))
    first, last = rows.row(0, named=True), rows.row(-1, named=True)
    change = last["total"] - first["total"]
    span = text("trends.captures.span", language, captures=len(days),
                first=fmt.date_vi(first["date"], language), last=fmt.date_vi(last["date"], language))
    if round(change, 2) == 0:  # unchanged: the score once, not "from 59,92 to 59,92"
        return text("trends.captures.unchanged", language, span=span, name=last["unit_name"],
                    total=fmt.number(last["total"], 2, language))
    return text("trends.captures.rose" if change > 0 else "trends.captures.fell", language, span=span,
                name=last["unit_name"], first=fmt.number(first["total"], 2, language),
                last=fmt.number(last["total"], 2, language), change=fmt.signed(change, 2, language))


def display_changes(changes: pl.DataFrame, language: str = "vi", *, limit: int = 10) -> pl.DataFrame:
    """Risers and fallers between the first and the last capture, as text for a table: the
    ``limit`` largest rises and falls (a unit missing at either date shows the missing mark, never 0)."""
    if changes.is_empty():
        return pl.DataFrame()

    def when(value: object) -> str:
        return fmt.date_vi(value, language) if isinstance(value, datetime.date) else parse_period(str(value)).label(language)

    first, last = when(changes["first_date"][0]), when(changes["last_date"][0])
    known = changes.filter(pl.col("change").is_not_null())
    shown = pl.concat([known.head(limit), known.tail(limit)]).unique("unit_code", maintain_order=True)
    shown = pl.concat([shown, changes.filter(pl.col("change").is_null())])
    return pl.DataFrame({
        text("trends.changes_header.unit", language): shown["unit_name"].to_list(),
        text("trends.changes_header.total", language, when=first): [fmt.number(v, 2, language) for v in shown["first_total"]],
        text("trends.changes_header.total", language, when=last): [fmt.number(v, 2, language) for v in shown["last_total"]],
        text("trends.changes_header.change", language): [fmt.signed(v, 2, language) for v in shown["change"]],
        text("trends.changes_header.rank", language): [
            f"{fmt.integer(a, language)} → {fmt.integer(b, language)}" for a, b in zip(shown["first_rank"], shown["last_rank"], strict=True)
        ],
    })


def repeated_sentence(repeated: pl.DataFrame, language: str = "vi") -> str | None:
    """Say which periods carry placeholder-like totals (never read them as results)."""
    if repeated.is_empty():
        return None
    parts = [
        text("trends.repeated.part", language, period=parse_period(period).label(language),
             level=fmt.level_name(level, language).lower(), units=units, of=of, total=fmt.number(total, 2, language))
        for period, level, total, units, of in repeated.select("period", "level", "total", "units", "of").iter_rows()
    ]
    return text("trends.repeated.sentence", language, parts="; ".join(parts))


def points_column(language: str = "vi") -> str:
    """The name of :func:`group_series`' points column (the chart's axis title): "Điểm" / "Score"."""
    return fmt.label("score", language)


def group_series(series: pl.DataFrame, unit_code: str, methodology: object, language: str = "vi") -> pl.DataFrame:
    """One unit's group scores over time, one line per group (điểm từng nhóm qua các kỳ): the
    shape :func:`analysis.report.charts.trend_lines` draws (``unit_code`` = the group code, ``unit_name``
    its name with its maximum, the points in a column named in the reader's language:
    :func:`points_column`, so the axis says "Điểm"); ``date`` or ``period`` is kept.  A group without a score
    at some time has no point there (missing, not zero)."""
    when = "date" if "date" in series.columns else "period"
    rows = series.filter(pl.col("unit_code") == unit_code)
    groups = [g for g in methodology.group_codes if g in rows.columns]  # type: ignore[attr-defined]
    names = {g.code: f"{fmt.group_name(methodology, g.code, language)} (/{g.max:g})"
             for g in methodology.groups}  # type: ignore[attr-defined]
    points = points_column(language)
    long = rows.select(when, *groups).unpivot(index=when, on=groups, variable_name="unit_code", value_name=points)
    return long.filter(pl.col(points).is_not_null()).with_columns(
        pl.col("unit_code").replace_strict(names, return_dtype=pl.String).alias("unit_name"))


def display_derived(beside: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`analysis.scoring.history.derived_against_held` for the reader, largest difference first."""
    header = words("trends.derived_header", language)
    rows = beside.sort(pl.col("difference").abs(), descending=True, nulls_last=True)
    return pl.DataFrame({
        header["unit"]: rows["unit_name"].to_list(),
        header["derived"]: [fmt.number(v, 2, language) for v in rows["derived"]],
        header["held"]: [fmt.number(v, 2, language) for v in rows["held"]],
        header["difference"]: [fmt.signed(v, 2, language) for v in rows["difference"]],
    })
