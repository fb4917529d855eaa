"""The public-service centre report (báo cáo kết quả hoạt động của Trung tâm Phục vụ hành chính công).

The other report provinces write from their one-stop-shop systems (seed: Bắc Giang's centre,
15/12/2021–14/6/2022): for a date range, per unit and in total, from dossier-level records:

* **carried over** (kỳ trước chuyển sang): received before the range and not ended before it;
  **received** (tiếp nhận trong kỳ): received in the range;
* **finished** (đã giải quyết): ended (finished, returned, stopped, rejected or withdrawn — a
  terminal status with its date) in the range, of which **early** (trước hạn: on a day before the
  due day), **on time** (đúng hạn: on time, not early) and **late** (quá hạn); on time follows
  :func:`analysis.io.indicators.on_time_expr` (the due date, the clock stop of one supplement request,
  more than one request → late; no due date → on time);
* **in process** (đang giải quyết) at the end of the range, of which **not yet due** (chưa đến hạn)
  and **overdue** (quá hạn);
* **supplement requests** (yêu cầu bổ sung: dossiers with at least one request), **returned**
  (trả lại) and **withdrawn** (rút hồ sơ) among the dossiers of the range;
* **online** and **postal** (BCCI, bưu chính công ích) shares of the dossiers received in the range
  (over those whose channel is known), against targets that are parameters.

Identities that hold exactly, per unit and in total (asserted by :func:`check_identities`):
carried over + received = finished + in process; finished = early + on time + late;
in process = not yet due + overdue.  A unit's row counts the dossiers it received itself (the
centre's desks are the units); the total row sums them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import altair as alt
import polars as pl

from analysis.contract import TERMINAL_STATUSES as TERMINAL
from analysis.io import records
from analysis.io.indicators import DOSSIER_COLUMNS, Window, on_time_expr, with_defaults
from analysis.report.charts import finish as _finish
from analysis.report.formatting import date_vi, format_table, integer, percent
from analysis.report.messages import text, words

COUNTS = ("carried_over", "received", "finished", "early", "on_time", "late", "in_process", "not_yet_due",
          "overdue", "supplement", "returned", "withdrawn", "online", "postal", "known_channel")
TOTAL_CODE = "TOTAL"
DEFAULT_TARGETS: Mapping[str, float] = {"online": 0.40, "postal": 0.20}
"""The seed's targets: online dossiers ≥ 40 %, postal (BCCI) ≥ 20 % (parameters of the report)."""


@dataclass(frozen=True)
class Range:
    """A date range, both days included (15/12/2021–14/6/2022)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the range ends ({self.end}) before it starts ({self.start})")

    @property
    def first(self) -> datetime:
        return datetime.combine(self.start, time())

    @property
    def stop(self) -> datetime:
        """The first instant after the range."""
        return datetime.combine(self.end + timedelta(days=1), time())


def _flags(dossiers: pl.LazyFrame, span: Range) -> pl.LazyFrame:
    """Per dossier: in the report (carried over or received), finished in the range, timeliness."""

    d = with_defaults(dossiers, DOSSIER_COLUMNS).with_columns(
        pl.col("supplement_requests").fill_null(0), pl.col("supplement_pending").fill_null(False))
    window = Window(span.first, span.stop)
    ended = pl.col("finished_at").is_not_null() & (pl.col("status").is_in(TERMINAL) | pl.col("status").is_null())
    before = pl.col("received_at") < span.first
    carried = before & ~(ended & (pl.col("finished_at") < span.first))
    received = (pl.col("received_at") >= span.first) & (pl.col("received_at") < span.stop)
    finished = (carried | received) & ended & (pl.col("finished_at") < span.stop)
    on_time = on_time_expr(window, limits=False)  # no catalogue here: no due date → on time
    # early: on time and ended on a day before the due day
    early = on_time & pl.col("due_at").is_not_null() & (pl.col("finished_at").dt.date() < pl.col("due_at").dt.date())
    return d.with_columns(
        carried.alias("carried_over"), received.alias("received"), finished.alias("finished"),
    ).with_columns(
        (pl.col("carried_over") | pl.col("received")).alias("_scope"),
    ).filter(pl.col("_scope")).with_columns(
        (pl.col("finished") & early).alias("early"),
        (pl.col("finished") & on_time & ~early).alias("on_time"),
        (pl.col("finished") & ~on_time).alias("late"),
        (~pl.col("finished")).alias("in_process"),
        (~pl.col("finished") & on_time).alias("not_yet_due"),
        (~pl.col("finished") & ~on_time).alias("overdue"),
        (pl.col("supplement_requests") >= 1).alias("supplement"),
        (pl.col("finished") & (pl.col("status") == "returned")).alias("returned"),
        (pl.col("finished") & (pl.col("status") == "withdrawn")).alias("withdrawn"),
        (pl.col("received") & (pl.col("channel") == "online")).alias("online"),
        (pl.col("received") & (pl.col("channel") == "postal")).alias("postal"),
        (pl.col("received") & pl.col("channel").is_not_null()).alias("known_channel"),
    )


def centre_counts(dossiers: pl.LazyFrame | pl.DataFrame, span: Range, units: pl.DataFrame) -> pl.DataFrame:
    """One row per unit with dossiers in the report, then the total row (``unit_code`` ``TOTAL``).

    Columns: unit_code, unit_name, level, the :data:`COUNTS` (integers) and the shares
    ``online_share``/``postal_share`` (of the dossiers received in the range with a known
    channel; null when there are none).
    """
    lf = dossiers.lazy() if isinstance(dossiers, pl.DataFrame) else dossiers
    per_unit = (
        _flags(lf, span).group_by("unit_code")
        .agg(pl.col(c).fill_null(False).sum().cast(pl.Int64) for c in COUNTS)
        .collect()
        .join(units.select("unit_code", "unit_name", "level"), on="unit_code", how="left")
        .sort("unit_code")
    )
    order = {"province": 0, "department": 1, "district": 2, "commune": 3}
    per_unit = per_unit.with_columns(
        pl.col("unit_name").fill_null(pl.col("unit_code")),
        pl.col("level").replace_strict(order, default=9, return_dtype=pl.Int32).alias("_order"),
    ).sort("_order", "unit_code").drop("_order")
    total = per_unit.select(
        pl.lit(TOTAL_CODE).alias("unit_code"), pl.lit(None, dtype=pl.String).alias("unit_name"),
        pl.lit(None, dtype=pl.String).alias("level"), *[pl.col(c).sum() for c in COUNTS])
    table = pl.concat([per_unit.select(total.columns), total], how="vertical_relaxed")
    return table.with_columns(
        _share("online").alias("online_share"), _share("postal").alias("postal_share"))


def _share(column: str) -> pl.Expr:
    return pl.when(pl.col("known_channel") > 0).then(pl.col(column) / pl.col("known_channel"))


def check_identities(table: pl.DataFrame) -> None:
    """Raise AssertionError naming the unit when an accounting identity does not hold."""
    rules = {
        "carried over + received = finished + in process":
            pl.col("carried_over") + pl.col("received") == pl.col("finished") + pl.col("in_process"),
        "finished = early + on time + late": pl.col("finished") == pl.col("early") + pl.col("on_time") + pl.col("late"),
        "in process = not yet due + overdue": pl.col("in_process") == pl.col("not_yet_due") + pl.col("overdue"),
    }
    for rule, holds in rules.items():
        broken = table.filter(~holds)
        if broken.height:
            raise AssertionError(f"{rule} does not hold for {', '.join(broken['unit_code'].to_list())}")
    body = table.filter(pl.col("unit_code") != TOTAL_CODE)
    total = table.filter(pl.col("unit_code") == TOTAL_CODE)
    for column in COUNTS:
        if body[column].sum() != total[column].item():
            raise AssertionError(f"the total of {column} is not the sum of the units")


def below_target(table: pl.DataFrame, share: str, target: float) -> pl.DataFrame:
    """Units (not the total) whose share is below the target, lowest first; units with no known
    channel are not judged."""
    return (table.filter((pl.col("unit_code") != TOTAL_CODE) & pl.col(share).is_not_null() & (pl.col(share) < target))
            .sort(share, "unit_code"))


# --------------------------------------------------------------------------------------------
# words


NAMED = 10
"""Units named in a sentence at most (the lowest first); the others are counted."""


def _names(frame: pl.DataFrame, share: str, language: str) -> str:
    parts = [f"{name} ({percent(value, 1, language)})"
             for name, value in frame.head(NAMED).select("unit_name", share).iter_rows()]
    if frame.height > NAMED:
        rest = integer(frame.height - NAMED, language)
        parts.append(text("service_centre.more_units", language, n=rest))
    return ", ".join(parts)


def summary_sentence(table: pl.DataFrame, span: Range, language: str = "vi") -> str:
    """The report's paragraph on dossiers, with every figure of the total row."""
    t = dict(zip(table.columns, table.filter(pl.col("unit_code") == TOTAL_CODE).row(0), strict=True))

    def share(part: int, whole: int) -> str:
        return percent(part / whole, 1, language) if whole else "-"

    in_report = t["carried_over"] + t["received"]
    counts = {key: integer(t[key], language) for key in ("carried_over", "received", "finished", "early", "on_time", "late",
                                                          "in_process", "not_yet_due", "overdue", "supplement", "returned", "withdrawn")}
    shares = {f"{key}_share": share(t[key], t["finished"]) for key in ("early", "on_time", "late")}
    return text("service_centre.summary", language, start=date_vi(span.start, language), end=date_vi(span.end, language),
                in_report=integer(in_report, language), in_process_share=share(t["in_process"], in_report), **counts, **shares)


def target_sentences(table: pl.DataFrame, targets: Mapping[str, float], language: str = "vi") -> list[str]:
    """For each channel: the total's share against its target, and the units below it by name."""
    total = table.filter(pl.col("unit_code") == TOTAL_CODE)
    lines = []
    for channel, target in targets.items():
        share = f"{channel}_share"
        what = text(f"service_centre.channel_words.{channel}", language)
        value = total[share].item()
        goal = percent(target, 0, language, trim=True)
        if value is None:
            lines.append(text("service_centre.no_channel_data", language, what=what, goal=goal))
            continue
        line = text("service_centre.share_reached" if value >= target else "service_centre.share_not_reached", language,
                    what=what, share=percent(value, 1, language), goal=goal)
        below = below_target(table, share, target)
        judged = table.filter((pl.col("unit_code") != TOTAL_CODE) & pl.col(share).is_not_null()).height
        if below.height and below.height == judged and judged > NAMED:
            line += text("service_centre.none_reached", language, judged=judged, goal=goal, names=_names(below, share, language))
        elif below.height:
            line += text("service_centre.some_below", language, goal=goal, names=_names(below, share, language))
        else:
            line += text("service_centre.all_reached", language, goal=goal)
        lines.append(line)
    return lines


DISPLAY_COLUMNS = ("unit_name", "carried_over", "received", "finished", "early", "on_time", "late", "in_process",
                   "not_yet_due", "overdue", "supplement", "returned", "withdrawn", "online_share", "postal_share")
"""The columns of the displayed table, in order; their headers are ``service_centre.header.<column>``."""


def display_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """The table as a reader sees it: names, figures ``12.135``, shares ``49,0 %``, a total row."""
    total_word = text("service_centre.total", language)
    shown = table.with_columns(
        pl.when(pl.col("unit_code") == TOTAL_CODE).then(pl.lit(total_word)).otherwise(pl.col("unit_name")).alias("unit_name")
    ).select(DISPLAY_COLUMNS)
    return format_table(shown, language, decimals=1, percent_columns=["online_share", "postal_share"],
                        rename=words("service_centre.header", language))


# --------------------------------------------------------------------------------------------
# records in, chart out


def load_records(path, units: pl.DataFrame | None = None):
    """The records of the report with the checks and accounting of ``facts`` (rows in = used +
    rejected; personal data dropped as read): a CSV, XLSX or Parquet file, or a folder of CSV/XLSX
    exports (:class:`analysis.io.records.Loaded`)."""
    reader = records.read_dossiers_folder if Path(path).is_dir() else records.read_dossiers
    return reader(path, units=units)


def is_synthetic(path) -> bool:
    """Records written by ``python -m analysis generate`` (a SYNTHETIC.md beside them)."""
    target = Path(path)
    return any((folder / "SYNTHETIC.md").is_file() for folder in (target, target.parent, target.parent.parent))


def share_chart(table: pl.DataFrame, channel: str, target: float, language: str = "vi"):
    """Each unit's share of online (or postal) dossiers as a bar, the target as a dashed line."""
    share = f"{channel}_share"
    rows = table.filter((pl.col("unit_code") != TOTAL_CODE) & pl.col(share).is_not_null()).select(
        "unit_name", pl.col(share).alias("share"), (pl.col(share) < target).alias("below"))
    rows = rows.with_columns(pl.Series("shown", [percent(v, 1, language) for v in rows["share"]], dtype=pl.String))
    title = text("service_centre.chart_title", language, what=text(f"service_centre.channel_words.{channel}", language),
                 goal=percent(target, 0, language, trim=True))
    unit_word, share_word = text("service_centre.chart_unit", language), text("service_centre.chart_share", language)
    bars = alt.Chart(rows.to_arrow()).mark_bar().encode(
        x=alt.X("share:Q", title=share_word, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("unit_name:N", sort="x", title=unit_word),
        color=alt.Color("below:N", legend=None, scale=alt.Scale(domain=[True, False], range=["#c0392b", "#2e7d32"])),
        tooltip=[alt.Tooltip("unit_name:N", title=unit_word), alt.Tooltip("shown:N", title=share_word)],
    )
    rule = alt.Chart(pl.DataFrame({"target": [target]}).to_arrow()).mark_rule(strokeDash=[5, 3], size=1.5).encode(
        x="target:Q")
    height = max(120, min(16 * rows.height, 2400))
    return _finish((bars + rule).properties(title=title, width=520, height=height), language)


def paragraphs_html(lines: list[str]) -> str:
    """Sentences as HTML paragraphs, every character escaped (unit names come from data)."""
    from html import escape

    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def preformatted_html(text: str) -> str:
    """Lines kept as they are (the load summary: file and column names come from data), escaped."""
    from html import escape

    return f"<pre>{escape(text)}</pre>"
