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

import polars as pl

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
    from analysis.io.indicators import DOSSIER_COLUMNS, Window, _with_defaults, on_time_expr
    from analysis.io.records import TERMINAL

    d = _with_defaults(dossiers, DOSSIER_COLUMNS).with_columns(
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
    from analysis.report.formatting import integer, percent

    parts = [f"{name} ({percent(value, 1, language)})"
             for name, value in frame.head(NAMED).select("unit_name", share).iter_rows()]
    if frame.height > NAMED:
        rest = integer(frame.height - NAMED, language)
        parts.append(f"và {rest} đơn vị khác" if language == "vi" else f"and {rest} other units")
    return ", ".join(parts)


def summary_sentence(table: pl.DataFrame, span: Range, language: str = "vi") -> str:
    """The report's paragraph on dossiers, with every figure of the total row."""
    from analysis.report.formatting import date_vi, integer, percent

    t = dict(zip(table.columns, table.filter(pl.col("unit_code") == TOTAL_CODE).row(0), strict=True))

    def share(part: int, whole: int) -> str:
        return percent(part / whole, 1, language) if whole else "-"

    n = lambda key: integer(t[key], language)  # noqa: E731 - a local formatter
    in_report = t["carried_over"] + t["received"]
    if language == "vi":
        return (
            f"Từ ngày {date_vi(span.start)} đến ngày {date_vi(span.end)}, tổng số hồ sơ là {integer(in_report)}, trong đó "
            f"kỳ trước chuyển sang {n('carried_over')}, tiếp nhận trong kỳ {n('received')}; đã giải quyết "
            f"{n('finished')} hồ sơ, trong đó trước hạn {n('early')} (chiếm {share(t['early'], t['finished'])}), "
            f"đúng hạn {n('on_time')} (chiếm {share(t['on_time'], t['finished'])}), quá hạn {n('late')} "
            f"(chiếm {share(t['late'], t['finished'])}); đang giải quyết {n('in_process')} "
            f"(chiếm {share(t['in_process'], in_report)}), trong đó chưa đến hạn {n('not_yet_due')}, quá hạn "
            f"{n('overdue')}; hồ sơ yêu cầu bổ sung {n('supplement')}; hồ sơ trả lại {n('returned')}; "
            f"hồ sơ rút {n('withdrawn')}."
        )
    return (
        f"From {date_vi(span.start, 'en')} to {date_vi(span.end, 'en')}: {integer(in_report, 'en')} dossiers, of which "
        f"{integer(t['carried_over'], 'en')} carried over and {integer(t['received'], 'en')} received in the range; "
        f"{integer(t['finished'], 'en')} finished — {integer(t['early'], 'en')} early "
        f"({share(t['early'], t['finished'])}), {integer(t['on_time'], 'en')} on time, {integer(t['late'], 'en')} late; "
        f"{integer(t['in_process'], 'en')} still in process — {integer(t['not_yet_due'], 'en')} not yet due, "
        f"{integer(t['overdue'], 'en')} overdue; {integer(t['supplement'], 'en')} with a supplement request, "
        f"{integer(t['returned'], 'en')} returned, {integer(t['withdrawn'], 'en')} withdrawn."
    )


CHANNEL_WORDS = {
    "online": ("hồ sơ trực tuyến", "online dossiers"),
    "postal": ("hồ sơ qua dịch vụ bưu chính công ích (BCCI)", "postal (BCCI) dossiers"),
}


def target_sentences(table: pl.DataFrame, targets: Mapping[str, float], language: str = "vi") -> list[str]:
    """For each channel: the total's share against its target, and the units below it by name."""
    from analysis.report.formatting import percent

    total = table.filter(pl.col("unit_code") == TOTAL_CODE)
    lines = []
    for channel, target in targets.items():
        share = f"{channel}_share"
        vi_words, en_words = CHANNEL_WORDS[channel]
        value = total[share].item()
        goal = percent(target, 0, language, trim=True)
        below = below_target(table, share, target)
        if language == "vi":
            if value is None:
                lines.append(f"Không có số liệu hình thức nộp để tính tỷ lệ {vi_words} (chỉ tiêu {goal}).")
                continue
            reached = "đạt" if value >= target else "chưa đạt"
            line = f"Tỷ lệ {vi_words} là {percent(value, 1)}, {reached} chỉ tiêu {goal}."
            judged = table.filter((pl.col("unit_code") != TOTAL_CODE) & pl.col(share).is_not_null()).height
            if below.height and below.height == judged and judged > NAMED:
                line += (f" Không đơn vị nào trong {judged} đơn vị có hồ sơ đạt chỉ tiêu {goal}; thấp nhất: "
                         f"{_names(below, share, 'vi')}.")
            elif below.height:
                line += f" Các đơn vị chưa đạt chỉ tiêu {goal}: {_names(below, share, 'vi')}."
            else:
                line += f" Tất cả các đơn vị có hồ sơ đều đạt chỉ tiêu {goal}."
        else:
            if value is None:
                lines.append(f"No channel data to compute the share of {en_words} (target {goal}).")
                continue
            reached = "meets" if value >= target else "is below"
            line = f"The share of {en_words} is {percent(value, 1, 'en')}, which {reached} the {goal} target."
            if below.height:
                line += f" Units below the {goal} target: {_names(below, share, 'en')}."
            else:
                line += f" Every unit with dossiers meets the {goal} target."
        lines.append(line)
    return lines


DISPLAY_VI = {
    "unit_name": "Đơn vị", "carried_over": "Kỳ trước chuyển sang", "received": "Tiếp nhận trong kỳ",
    "finished": "Đã giải quyết", "early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn",
    "in_process": "Đang giải quyết", "not_yet_due": "Chưa đến hạn", "overdue": "Quá hạn (đang giải quyết)",
    "supplement": "Yêu cầu bổ sung", "returned": "Trả lại", "withdrawn": "Rút hồ sơ",
    "online_share": "Tỷ lệ trực tuyến", "postal_share": "Tỷ lệ BCCI",
}
DISPLAY_EN = {
    "unit_name": "Unit", "carried_over": "Carried over", "received": "Received", "finished": "Finished",
    "early": "Early", "on_time": "On time", "late": "Late", "in_process": "In process", "not_yet_due": "Not yet due",
    "overdue": "Overdue (in process)", "supplement": "Supplement requests", "returned": "Returned",
    "withdrawn": "Withdrawn", "online_share": "Online share", "postal_share": "Postal (BCCI) share",
}


def display_table(table: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """The table as a reader sees it: names, figures ``12.135``, shares ``49,0 %``, a total row."""
    from analysis.report.formatting import format_table

    total_word = "Tổng cộng" if language == "vi" else "Total"
    shown = table.with_columns(
        pl.when(pl.col("unit_code") == TOTAL_CODE).then(pl.lit(total_word)).otherwise(pl.col("unit_name")).alias("unit_name")
    ).select(list(DISPLAY_VI))
    return format_table(shown, language, decimals=1, percent_columns=["online_share", "postal_share"],
                        rename=DISPLAY_VI if language == "vi" else DISPLAY_EN)


# --------------------------------------------------------------------------------------------
# records in, chart out


def load_records(path, units: pl.DataFrame | None = None):
    """The records of the report with the checks and accounting of ``facts`` (rows in = used +
    rejected; personal data dropped as read): a CSV, XLSX or Parquet file, or a folder of CSV/XLSX
    exports (:class:`analysis.io.records.Loaded`)."""
    from pathlib import Path

    from analysis.io import records

    reader = records.read_dossiers_folder if Path(path).is_dir() else records.read_dossiers
    return reader(path, units=units)


def is_synthetic(path) -> bool:
    """Records written by ``python -m analysis generate`` (a SYNTHETIC.md beside them)."""
    from pathlib import Path

    target = Path(path)
    return any((folder / "SYNTHETIC.md").is_file() for folder in (target, target.parent, target.parent.parent))


def share_chart(table: pl.DataFrame, channel: str, target: float, language: str = "vi"):
    """Each unit's share of online (or postal) dossiers as a bar, the target as a dashed line."""
    import altair as alt

    from analysis.report.charts import finish as _finish
    from analysis.report.formatting import percent

    share = f"{channel}_share"
    vi_words, en_words = CHANNEL_WORDS[channel]
    rows = table.filter((pl.col("unit_code") != TOTAL_CODE) & pl.col(share).is_not_null()).select(
        "unit_name", pl.col(share).alias("share"), (pl.col(share) < target).alias("below"))
    rows = rows.with_columns(pl.Series("shown", [percent(v, 1, language) for v in rows["share"]], dtype=pl.String))
    title = (f"Tỷ lệ {vi_words} theo đơn vị (chỉ tiêu {percent(target, 0, 'vi', trim=True)})" if language == "vi"
             else f"Share of {en_words} by unit (target {percent(target, 0, 'en', trim=True)})")
    unit_word, share_word = ("Đơn vị", "Tỷ lệ") if language == "vi" else ("Unit", "Share")
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
