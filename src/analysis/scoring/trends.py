"""The trends page (diễn biến): a period's progress over its captures, risers and fallers.

The store (:mod:`analysis.scoring.history`) keeps every capture of a period; for an open period the
portal's figures are cumulative to the capture date, so the captures of one period show the
progress within it (không phải chuỗi các kỳ).  Scores are recomputed at every capture date.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl

from analysis.contract.periods import parse_period
from analysis.report import formatting as fmt
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


def provisional_sentence(captures: pl.DataFrame | None, period: str, language: str = "vi") -> str | None:
    """Say that the period's figures are provisional (kỳ chưa kết thúc) and as of when; ``None``
    when the last capture was taken after the period ended."""
    if captures is None or captures.is_empty():
        return None
    last = captures["date"].max()
    if not captures.filter(pl.col("date") == last)["provisional"].any():
        return None
    label = parse_period(period).label(language)
    day = fmt.date_vi(last, language)
    if language == "vi":
        return (f"Số liệu {label} là **tạm tính**: kỳ chưa kết thúc, số liệu Cổng công bố đến ngày {day} "
                "(lũy kế đến ngày lấy số liệu) và còn thay đổi.")
    return (f"The figures for {label} are **provisional**: the period is still open; the portal's figures "
            f"as of {day} (cumulative to the capture date) will still change.")


def captures_sentence(captures: pl.DataFrame, unit_code: str, language: str = "vi") -> str:
    """The unit's total at its first and last capture of the period, and the change."""
    rows = captures.filter(pl.col("unit_code") == unit_code).sort("date")
    days = captures["date"].unique().sort().to_list()
    if rows.height < 2:
        if language == "vi":
            return f"Kho số liệu có {len(days)} lần lấy số liệu của kỳ này; chưa đủ để thấy diễn biến trong kỳ."
        return f"The store holds {len(days)} capture(s) of this period: not enough to show progress within it."
    first, last = rows.row(0, named=True), rows.row(-1, named=True)
    change = last["total"] - first["total"]
    words = fmt.signed(change, 2, language)
    span = (f"{len(days)} lần lấy số liệu, từ {fmt.date_vi(first['date'], language)} đến {fmt.date_vi(last['date'], language)}"
            if language == "vi" else
            f"{len(days)} captures from {fmt.date_vi(first['date'], language)} to {fmt.date_vi(last['date'], language)}")
    if round(change, 2) == 0:  # unchanged: the score once, not "from 59,92 to 59,92"
        return (f"{span}: {last['unit_name']} giữ nguyên {fmt.number(last['total'], 2, language)} điểm." if language == "vi"
                else f"{span}: {last['unit_name']} stayed at {fmt.number(last['total'], 2, language)} points.")
    if language == "vi":
        return (f"{span}: {last['unit_name']} từ {fmt.number(first['total'], 2, language)} "
                f"{'lên' if change > 0 else 'xuống'} {fmt.number(last['total'], 2, language)} điểm ({words}).")
    return (f"{span}: {last['unit_name']} went from {fmt.number(first['total'], 2, language)} to "
            f"{fmt.number(last['total'], 2, language)} points ({words}).")


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
    vi = language == "vi"
    return pl.DataFrame({
        ("Đơn vị" if vi else "Unit"): shown["unit_name"].to_list(),
        (f"Điểm {first}" if vi else f"Total {first}"): [fmt.number(v, 2, language) for v in shown["first_total"]],
        (f"Điểm {last}" if vi else f"Total {last}"): [fmt.number(v, 2, language) for v in shown["last_total"]],
        ("Tăng/giảm" if vi else "Change"): [fmt.signed(v, 2, language) for v in shown["change"]],
        ("Thứ hạng" if vi else "Rank"): [
            f"{fmt.integer(a, language)} → {fmt.integer(b, language)}" for a, b in zip(shown["first_rank"], shown["last_rank"], strict=True)
        ],
    })


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


def repeated_sentence(repeated: pl.DataFrame, language: str = "vi") -> str | None:
    """Say which periods carry placeholder-like totals (never read them as results)."""
    if repeated.is_empty():
        return None
    parts = []
    for period, level, total, units, of in repeated.select("period", "level", "total", "units", "of").iter_rows():
        label = parse_period(period).label(language)
        level_words = fmt.level_name(level, language).lower()
        if language == "vi":
            parts.append(f"{label}: {units}/{of} đơn vị ({level_words}) cùng {fmt.number(total, 2, language)} điểm")
        else:
            parts.append(f"{label}: {units} of {of} units ({level_words}) read exactly {fmt.number(total, 2, language)}")
    if language == "vi":
        return ("Số liệu có dấu hiệu là giá trị tạm (nhiều đơn vị cùng một điểm, thường gặp ở những tháng đầu của "
                "nền tảng mới): " + "; ".join(parts) + ". Không nên đọc thứ hạng các tháng này như kết quả thật.")
    return ("Placeholder-like figures (many units with the same total, as in the new platform's first months): "
            + "; ".join(parts) + ". Do not read those months' ranks as results.")


def points_column(language: str = "vi") -> str:
    """The name of :func:`group_series`' points column (the chart's axis title): "Điểm" / "Score"."""
    return fmt.label("score", language)


def group_series(series: pl.DataFrame, unit_code: str, methodology: object, language: str = "vi") -> pl.DataFrame:
    """One unit's group scores over time, one line per group (điểm từng nhóm qua các kỳ): the
    shape :func:`analysis.report.charts.trend_lines` draws (``unit_code`` = the group code, ``unit_name``
    its name with its maximum, the points in a column named in the reader's language:
    ``fmt.label("score", language)``, so the axis says "Điểm"); ``date`` or ``period`` is kept.  A group without a score
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
    vi = language == "vi"
    rows = beside.sort(pl.col("difference").abs(), descending=True, nulls_last=True)
    return pl.DataFrame({
        ("Đơn vị" if vi else "Unit"): rows["unit_name"].to_list(),
        ("Tính từ các tháng" if vi else "From the months"): [fmt.number(v, 2, language) for v in rows["derived"]],
        ("Cổng công bố cho cả kỳ" if vi else "The portal's own figures"): [fmt.number(v, 2, language) for v in rows["held"]],
        ("Chênh lệch" if vi else "Difference"): [fmt.signed(v, 2, language) for v in rows["difference"]],
    })
