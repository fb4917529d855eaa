"""The trends page (diễn biến): a period's progress over its captures, risers and fallers.

The store (:mod:`analysis.scoring.history`) keeps every capture of a period; for an open period the
portal's figures are cumulative to the capture date, so the captures of one period show the
progress within it (không phải chuỗi các kỳ).  Scores are recomputed at every capture date.
The page's sentences and tables for the reader are in :mod:`analysis.report.trends_text`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl

from analysis.contract.periods import parse_period
from analysis.scoring.history import period_code, read, vintages
from analysis.scoring.score import score


def capture_series(store: Path, period: str, methodology: object, *, as_of: datetime.date | None = None,
                   scope: str | None = None) -> pl.DataFrame:
    """The period's scorecard at each capture date held (tiến độ trong kỳ qua các lần lấy số liệu).

    One scorecard per capture date (up to ``as_of``), with ``date`` (the capture date) and
    ``provisional`` (taken before the period ended).  The portal's figures for an open period
    are cumulative to the capture date: this is the progress within the period, not a series of
    periods.  ``scope`` keeps one province (the unit and every unit under it) and its own capture
    dates.  Empty when the store holds no capture of the period.
    """

    code = period_code(period, where="period")
    held = vintages(store).filter(pl.col("period") == code)
    if as_of is not None:
        held = held.filter(pl.col("as_of") <= as_of)
    end = parse_period(code).end
    cards = []
    for day in held["as_of"].unique().sort().to_list():
        facts = read(store, periods=[code], as_of=day, scope=scope)
        if facts.is_empty() or facts["as_of"].max() != day:  # another province's capture date
            continue
        card = score(facts, methodology).scorecard  # type: ignore[arg-type]
        cards.append(card.with_columns(pl.lit(day, dtype=pl.Date).alias("date"), pl.lit(day <= end).alias("provisional")))
    if not cards:
        return pl.DataFrame()
    return pl.concat(cards, how="vertical_relaxed")


def capture_changes(captures: pl.DataFrame, level: str, *, key: str = "date") -> pl.DataFrame:
    """Each unit of a level from the first capture to the last (tăng/giảm trong kỳ): total at
    both dates, change in points and in rank; largest rise first.  A unit missing at either date
    has an empty change (missing is not zero).  ``key="period"`` compares the first and the last
    period of a series of periods instead."""
    rows = captures.filter(pl.col("level") == level)
    if rows.is_empty():
        return pl.DataFrame()
    if key != "date":
        rows = rows.with_columns(pl.col(key).alias("date"))
    first_day, last_day = rows["date"].min(), rows["date"].max()
    first = rows.filter(pl.col("date") == first_day).select("unit_code", pl.col("total").alias("first_total"),
                                                            pl.col("rank").alias("first_rank"))
    last = rows.filter(pl.col("date") == last_day).select("unit_code", "unit_name", pl.col("total").alias("last_total"),
                                                          pl.col("rank").alias("last_rank"))
    joined = last.join(first, on="unit_code", how="full", coalesce=True)
    return joined.with_columns(
        pl.lit(first_day).alias("first_date"), pl.lit(last_day).alias("last_date"),
        (pl.col("last_total") - pl.col("first_total")).round(2).alias("change"),
        (pl.col("first_rank") - pl.col("last_rank")).alias("rank_change"),
    ).sort("change", "last_total", descending=True, nulls_last=True)


def published_series(published: pl.DataFrame, *, kind: str = "month") -> pl.DataFrame:
    """The published totals (điểm Cổng công bố) of every period of a kind, ranked within period and
    level (competition ranking, as the scorecard): a series of periods for trends, taken as the
    portal published it, not recomputed."""
    codes = [c for c in published["period"].cast(pl.String).unique().to_list() if parse_period(c).kind == kind]
    rows = published.with_columns(pl.col("period").cast(pl.String)).filter(
        pl.col("period").is_in(codes) & pl.col("total").is_not_null())
    return rows.with_columns(
        pl.col("total").rank(method="min", descending=True).over("period", "level").cast(pl.Int32).alias("rank"),
    ).sort("period", "level", "rank")


def repeated_values(series: pl.DataFrame, *, share: float = 0.5) -> pl.DataFrame:
    """Per period and level, a total shared by more than ``share`` of the units (placeholder-like
    figures: in Gia Lai, February 2026, 127 of 149 units read exactly 16,0)."""
    counts = series.group_by("period", "level", "total").agg(pl.len().alias("units")).join(
        series.group_by("period", "level").agg(pl.len().alias("of")), on=["period", "level"])
    return counts.filter((pl.col("units") > 1) & (pl.col("units") > share * pl.col("of"))).sort("period", "level")
