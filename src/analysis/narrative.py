"""Findings and recommendations as sentences (nhận xét, đề xuất), numbers filled in.

These are the paragraphs an office copies into the official report, so they are written the
way those reports are (shared/seeds): Vietnamese by default, numbers in Vietnamese style,
units named, lists cut after a few names with "và N đơn vị khác".
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from analysis import tables
from analysis.formatting import integer, number, percent, short_unit_name, signed
from analysis.methodology import Methodology
from analysis.periods import Period

TARGET_INDICATORS = {
    "on_time": "ON_TIME",
    "online_dossier": "ONLINE_DOSSIER",
    "online_payment": "PAYMENT_DOSSIER",
    "satisfaction": "DOSSIER_RECEIVING_SATISFACTION",
    "digitised": "SO_HOA_GIAY_TO_GIAI_QUYET",
}
"""Report targets (parameters ``targets``) and the indicator whose ratio each one is about."""

TARGET_WORDS = {
    "vi": {
        "on_time": "tỷ lệ hồ sơ xử lý đúng hạn",
        "online_dossier": "tỷ lệ hồ sơ trực tuyến",
        "online_payment": "tỷ lệ thanh toán trực tuyến",
        "satisfaction": "tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        "digitised": "tỷ lệ số hóa hồ sơ, kết quả giải quyết",
    },
    "en": {
        "on_time": "the on-time rate",
        "online_dossier": "the share of online dossiers",
        "online_payment": "the online payment rate",
        "satisfaction": "the dossier satisfaction rate",
        "digitised": "the digitisation rate",
    },
}

LEVEL_WORDS = {
    "vi": {"department": "sở, ban, ngành", "commune": "xã, phường", "district": "huyện, thành phố", "province": "tỉnh"},
    "en": {"department": "departments", "commune": "communes", "district": "districts", "province": "provinces"},
}

MAX_NAMES = 8


def name_list(names: Sequence[str], language: str = "vi", *, limit: int = MAX_NAMES) -> str:
    """``A, B và C`` — cut after ``limit`` names with "và N đơn vị khác"."""
    names = list(names)
    if not names:
        return ""
    shown, rest = names[:limit], len(names) - limit
    if rest > 0:
        tail = f"{rest} đơn vị khác" if language == "vi" else f"{rest} other units"
        return ", ".join(shown) + (" và " if language == "vi" else " and ") + tail
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + (" và " if language == "vi" else " and ") + shown[-1]


def headline(
    root: dict,
    methodology: Methodology,
    period: Period,
    *,
    standing: tables.NationalStanding | None = None,
    language: str = "vi",
) -> str:
    """The report's first sentence: total, class, change, and the national rank when known."""
    name = root["unit_name"]
    total = number(root["total"], language=language)
    if language == "vi":
        text = f"Tổng điểm của {name} {period.label('vi')} đạt {total}/100 điểm, xếp loại {root['class']}"
        if root.get("delta_total") is not None:
            change = root["delta_total"]
            verb = "tăng" if change > 0 else "giảm" if change < 0 else "không đổi"
            text += f" ({verb} {number(abs(change), language='vi')} điểm so với {period.previous().label('vi')})" if change else " (không đổi so với kỳ trước)"
        text += "."
        if standing is not None:
            text += (
                f" Trên bảng xếp hạng toàn quốc của Cổng Dịch vụ công quốc gia (số liệu lũy kế năm, cập nhật ngày "
                f"{standing.as_of:%d/%m/%Y}), tỉnh xếp hạng {standing.rank}/{standing.of} tỉnh, thành phố "
                f"với {number(standing.total, language='vi')} điểm."
            )
        return text
    label = methodology.classify(root["total"], "en")
    text = f"{name} scored {total}/100 in {period.label('en')}, class {label}"
    if root.get("delta_total") is not None:
        text += f" ({number(root['delta_total'], language='en')} points against {period.previous().label('en')})"
    text += "."
    if standing is not None:
        text += (
            f" On the national portal's ranking (year to date, captured {standing.as_of:%d %b %Y}) the province ranks "
            f"{standing.rank} of {standing.of} with {number(standing.total, language='en')} points."
        )
    return text


def group_sentences(groups: pl.DataFrame, language: str = "vi") -> list[str]:
    """``Nhóm chỉ số …: 7,96/18 điểm (44,22 %).`` for each group."""
    out = []
    for row in groups.iter_rows(named=True):
        score = f"{number(row['score'], language=language)}/{number(row['max'], decimals=0, language=language)}"
        share = percent(row["share"], language=language)
        if language == "vi":
            out.append(f"Nhóm chỉ số {row['name'].lower()}: {score} điểm ({share} số điểm tối đa).")
        else:
            out.append(f"{row['name']}: {score} points ({share} of the maximum).")
    return out


def class_sentence(scorecard: pl.DataFrame, methodology: Methodology, level: str, language: str = "vi") -> str:
    """``Sở, ban, ngành: 1/15 đơn vị xếp loại Khá, 7 Trung bình, 7 Yếu; 2 đơn vị không phát sinh hồ sơ.``"""
    units = scorecard.filter(pl.col("level") == level)
    counts = [(c, n) for c, n in tables.class_counts(scorecard, methodology, level).iter_rows() if n]
    inactive = units.filter(~pl.col("active")).height
    if language == "vi":
        parts = [f"{n}/{units.height} đơn vị xếp loại {c}" if i == 0 else f"{n} đơn vị xếp loại {c}" for i, (c, n) in enumerate(counts)]
        text = f"Kết quả xếp loại {LEVEL_WORDS['vi'].get(level, level)}: " + "; ".join(parts)
        if inactive:
            text += f" (trong đó {inactive} đơn vị không phát sinh hồ sơ trong kỳ)"
        return text + "."
    labels = {b.label: b.label_en for b in methodology.classes}
    parts = [f"{n} of {units.height} {labels.get(c, c)}" if i == 0 else f"{n} {labels.get(c, c)}" for i, (c, n) in enumerate(counts)]
    text = f"Classes of {LEVEL_WORDS['en'].get(level, level)}: " + "; ".join(parts)
    if inactive:
        text += f" ({inactive} units received no dossiers)"
    return text + "."


def target_sentence(table: pl.DataFrame, target_key: str, target: float, level: str, language: str = "vi") -> str | None:
    """Units of a level below a target, named with their rates; ``None`` when the indicator is absent."""
    indicator = TARGET_INDICATORS[target_key]
    if f"{indicator}_ratio" not in table.columns or table[f"{indicator}_ratio"].is_null().all():
        return None
    low = tables.below_target(table, indicator, target)
    measured = table.filter(pl.col("active") & pl.col(f"{indicator}_ratio").is_not_null()).height
    what = TARGET_WORDS[language][target_key]
    level_words = LEVEL_WORDS[language].get(level, level)
    goal = percent(target, decimals=0, language=language)
    if low.is_empty():
        if language == "vi":
            return f"Tất cả {measured} {level_words} có số liệu đều đạt {what} từ {goal} trở lên."
        return f"All {measured} {level_words} with figures reach {what} of at least {goal}."
    names = [
        f"{short_unit_name(n)} ({percent(r, language=language)})"
        for n, r in low.select("unit_name", f"{indicator}_ratio").iter_rows()
    ]
    if language == "vi":
        return f"Có {low.height}/{measured} {level_words} có {what} dưới {goal}: {name_list(names, 'vi')}."
    return f"{low.height} of {measured} {level_words} have {what} below {goal}: {name_list(names, 'en')}."


def overdue_sentence(table: pl.DataFrame, level: str, language: str = "vi", *, limit: int = 5) -> str:
    """Overdue dossiers of a level, the units with most of them named."""
    overdue = tables.overdue_by_unit(table)
    words = LEVEL_WORDS[language].get(level, level)
    if overdue.is_empty():
        return f"Không có hồ sơ quá hạn tại các {words}." if language == "vi" else f"No overdue dossiers in {words}."
    total = int(overdue["overdue"].sum())
    names = [f"{short_unit_name(n)} ({integer(v, language=language)})" for n, v in overdue.select("unit_name", "overdue").head(limit).iter_rows()]
    if language == "vi":
        return (
            f"Các {words} có {integer(total, language='vi')} hồ sơ quá hạn tại {overdue.height} đơn vị; "
            f"nhiều nhất: {', '.join(names)}."
        )
    return f"{words.capitalize()} have {integer(total, language='en')} overdue dossiers in {overdue.height} units; most: {', '.join(names)}."


def movers_sentence(scorecard: pl.DataFrame, level: str, period: Period, language: str = "vi", *, limit: int = 5) -> str:
    """Units whose total fell (giảm điểm) against the previous period, or that there is nothing to compare."""
    moved = tables.movers(scorecard, level)
    words = LEVEL_WORDS[language].get(level, level)
    before = period.previous().label(language)
    if moved.is_empty():
        if language == "vi":
            return f"Chưa có số liệu {before} để so sánh mức tăng, giảm điểm của các {words}."
        return f"No figures for {before} to compare the {words} with."
    fell = moved.filter(pl.col("delta_total") < 0)
    if fell.is_empty():
        return (f"Không có {words} nào giảm điểm so với {before}." if language == "vi" else f"No {words} fell against {before}.")
    names = [f"{short_unit_name(n)} ({number(d, language=language)})" for n, d in fell.select("unit_name", "delta_total").head(limit).iter_rows()]
    if language == "vi":
        return f"Có {fell.height}/{moved.height} {words} giảm điểm so với {before}, giảm nhiều nhất: {', '.join(names)}."
    return f"{fell.height} of {moved.height} {words} fell against {before}; most: {', '.join(names)}."


def findings(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    period: Period,
    targets: dict[str, float],
    levels: Sequence[str] = ("department", "commune"),
    language: str = "vi",
) -> list[str]:
    """Findings for each level: units below each target, overdue dossiers, units that fell.

    (The classes of each level are told with the classification table, :func:`class_sentence`.)
    """
    out: list[str] = []
    for level in levels:
        if scorecard.filter(pl.col("level") == level).is_empty():
            continue
        table = tables.unit_table(scorecard, detail, level)
        for key, target in targets.items():
            if key in TARGET_INDICATORS:
                sentence = target_sentence(table, key, target, level, language)
                if sentence:
                    out.append(sentence)
        out.append(overdue_sentence(table, level, language))
        out.append(movers_sentence(scorecard, level, period, language))
    return out


def recommendations(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    scope: str,
    language: str = "vi",
    n: int = 4,
) -> list[str]:
    """What to act on first: the indicators where the province lost most points, and the units behind them."""
    weakest = tables.weakest_indicators(detail, methodology, scope, n=n)
    out: list[str] = []
    for row in weakest.iter_rows(named=True):
        lost = number(row["lost"], language=language)
        points = f"{number(row['score'], language=language)}/{number(row['max_score'], decimals=0, language=language)}"
        if row["ratio"] is None:
            if language == "vi":
                out.append(
                    f"Rà soát, cập nhật số liệu chỉ số “{row['indicator_name']}”: Cổng chưa có số liệu trong kỳ "
                    f"nên chỉ số đạt {points} điểm (mất {lost} điểm)."
                )
            else:
                out.append(f"Check the figures of “{row['indicator_name_en']}”: the portal has none this period, so it scores {points} ({lost} points lost).")
            continue
        ratio = percent(row["ratio"], language=language)
        if language == "vi":
            out.append(f"Tập trung cải thiện chỉ số “{row['indicator_name']}” (đạt {ratio}, {points} điểm, mất {lost} điểm).")
        else:
            out.append(f"Improve “{row['indicator_name_en']}” (at {ratio}, {points} points, {lost} points lost).")
    inactive = scorecard.filter(~pl.col("active") & pl.col("parent_code").is_not_null())
    if inactive.height:
        names = name_list([short_unit_name(x) for x in inactive["unit_name"].to_list()], language)
        if language == "vi":
            out.append(
                f"Rà soát việc cập nhật, đồng bộ hồ sơ của các đơn vị không phát sinh hồ sơ trong kỳ ({names}): "
                "các chỉ số tính trên hồ sơ của các đơn vị này đang bằng 0."
            )
        else:
            out.append(f"Check the dossier synchronisation of units with no dossiers this period ({names}): their dossier-based indicators score 0.")
    return out


SECTIONS = {
    "vi": {
        "overview": "I. Kết quả chung",
        "groups": "II. Kết quả theo nhóm chỉ số",
        "units": "III. Kết quả theo cơ quan, đơn vị",
        "classes": "IV. Xếp loại",
        "findings": "V. Nhận xét",
        "recommendations": "VI. Đề xuất",
        "departments": "Sở, ban, ngành",
        "communes": "Xã, phường, đặc khu",
        "districts": "Huyện, thị xã, thành phố",
    },
    "en": {
        "overview": "I. Overview",
        "groups": "II. Results by indicator group",
        "units": "III. Results by agency and locality",
        "classes": "IV. Classification",
        "findings": "V. Findings",
        "recommendations": "VI. Recommendations",
        "departments": "Departments",
        "communes": "Communes",
        "districts": "Districts",
    },
}


def section(key: str, language: str = "vi") -> str:
    """A section heading of the reports, in the report's language."""
    return SECTIONS[language][key]


def level_heading(level: str, language: str = "vi") -> str:
    return section({"department": "departments", "commune": "communes", "district": "districts"}[level], language)


def count_sentences(detail: pl.DataFrame, unit_code: str, language: str = "vi") -> list[str]:
    """The counts behind the headline figures, as the reports write them.

    ``Tiếp nhận 184.513 hồ sơ: đúng hạn 144.625, quá hạn 39.888.`` — ``Số hồ sơ đã đồng bộ là
    138.744, chưa đồng bộ là 0.`` — online, direct and postal dossiers; fee dossiers paid online.
    """
    rows = {r["indicator"]: r for r in detail.filter(pl.col("unit_code") == unit_code).iter_rows(named=True)}

    def counts(indicator: str) -> tuple[float, float] | None:
        row = rows.get(indicator)
        if not row or row["numerator"] is None or not row["denominator"]:
            return None
        return row["numerator"], row["denominator"]

    vi = language == "vi"
    out: list[str] = []
    if c := counts("ON_TIME"):
        num, den = c
        out.append(
            f"Tiếp nhận {integer(den)} hồ sơ: đúng hạn {integer(num)} ({percent(num / den)}), quá hạn {integer(den - num)}."
            if vi else
            f"{integer(den, 'en')} dossiers received: {integer(num, 'en')} on time ({percent(num / den, language='en')}), {integer(den - num, 'en')} overdue."
        )
    if c := counts("DOSSIER_SYNC"):
        num, den = c
        out.append(
            f"Số hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia là {integer(num)}; chưa đồng bộ là {integer(den - num)}."
            if vi else f"{integer(num, 'en')} dossiers synchronised to the national portal; {integer(den - num, 'en')} not synchronised."
        )
    if c := counts("ONLINE_DOSSIER"):
        num, den = c
        direct = counts("DIRECT_DOSSIER")
        postal = counts("POSTAL_DOSSIER")
        parts = [f"trực tuyến {integer(num)} ({percent(num / den)})"] if vi else [f"online {integer(num, 'en')} ({percent(num / den, language='en')})"]
        if direct:
            parts.append(f"trực tiếp {integer(direct[0])}" if vi else f"in person {integer(direct[0], 'en')}")
        if postal:
            parts.append(f"qua bưu chính {integer(postal[0])}" if vi else f"by post {integer(postal[0], 'en')}")
        out.append(("Hồ sơ theo hình thức nộp: " if vi else "Dossiers by channel: ") + ", ".join(parts) + ".")
    if c := counts("PAYMENT_DOSSIER"):
        num, den = c
        out.append(
            f"Có {integer(den)} hồ sơ phải thực hiện nghĩa vụ tài chính, trong đó {integer(num)} hồ sơ thanh toán trực tuyến ({percent(num / den)})."
            if vi else f"{integer(den, 'en')} dossiers carried a fee; {integer(num, 'en')} were paid online ({percent(num / den, language='en')})."
        )
    if c := counts("SO_HOA_GIAY_TO_GIAI_QUYET"):
        num, den = c
        result = counts("ORIGINAL_RESULT_AVAILABLE")
        text = (f"Số hóa hồ sơ, kết quả giải quyết: {integer(num)}/{integer(den)} hồ sơ ({percent(num / den)})"
                if vi else f"Digitised dossiers: {integer(num, 'en')}/{integer(den, 'en')} ({percent(num / den, language='en')})")
        if result:
            text += (f"; cấp kết quả điện tử: {integer(result[0])}/{integer(result[1])} hồ sơ ({percent(result[0] / result[1])})"
                     if vi else f"; electronic results: {integer(result[0], 'en')}/{integer(result[1], 'en')} ({percent(result[0] / result[1], language='en')})")
        out.append(text + ".")
    if c := counts("PETITION_PROCESSING_ON_TIME"):
        num, den = c
        out.append(
            f"Tiếp nhận {integer(den)} phản ánh, kiến nghị; xử lý đúng hạn {integer(num)} ({percent(num / den)})."
            if vi else f"{integer(den, 'en')} petitions received; {integer(num, 'en')} handled on time ({percent(num / den, language='en')})."
        )
    return out


def bullets(lines: Sequence[str]) -> str:
    """Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)


def national_movers(national: pl.DataFrame, scope: str, language: str = "vi", *, n: int = 3) -> list[str]:
    """Between the first and last national capture: the province's change, and the biggest risers and fallers."""
    frame = national.with_columns(pl.col("date").cast(pl.String).str.to_date())
    first, last = frame["date"].min(), frame["date"].max()
    if first == last:
        return []
    a = frame.filter(pl.col("date") == first).select("unit_code", "unit_name", pl.col("total").alias("a"), pl.col("rank").alias("ra"))
    b = frame.filter(pl.col("date") == last).select("unit_code", pl.col("total").alias("b"), pl.col("rank").alias("rb"))
    moved = a.join(b, on="unit_code").with_columns((pl.col("b") - pl.col("a")).round(2).alias("change")).sort("change", descending=True)
    vi = language == "vi"
    span = f"từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}" if vi else f"from {first:%d %b %Y} to {last:%d %b %Y}"
    out: list[str] = []
    own = moved.filter(pl.col("unit_code") == scope)
    if own.height:
        r = own.row(0, named=True)
        if vi:
            out.append(
                f"{r['unit_name']} {span}: tổng điểm {number(r['a'])} → {number(r['b'])} ({signed_words(r['change'])}), "
                f"thứ hạng {r['ra']} → {r['rb']}/{b.height}."
            )
        else:
            out.append(f"{r['unit_name']} {span}: total {number(r['a'], language='en')} → {number(r['b'], language='en')}, rank {r['ra']} → {r['rb']} of {b.height}.")
    up = [f"{short_unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") > 0).head(n).select("unit_name", "change").iter_rows()]
    down = [f"{short_unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") < 0).sort("change").head(n).select("unit_name", "change").iter_rows()]
    if up:
        out.append((f"Tăng điểm nhiều nhất {span}: " if vi else f"Biggest risers {span}: ") + ", ".join(up) + ".")
    if down:
        out.append((f"Giảm điểm nhiều nhất {span}: " if vi else f"Biggest fallers {span}: ") + ", ".join(down) + ".")
    return out


def signed_words(change: float) -> str:
    """``tăng 0,13 điểm`` / ``giảm 0,40 điểm`` / ``không đổi``."""
    if not change:
        return "không đổi"
    return f"{'tăng' if change > 0 else 'giảm'} {number(abs(change))} điểm"


def periods_sentence(scorecard: pl.DataFrame, period: Period, language: str = "vi") -> str:
    """Which periods the scored data holds, and what a trend needs."""
    periods = sorted(scorecard["period"].unique().to_list())
    if len(periods) <= 1:
        if language == "vi":
            return (
                f"Bộ số liệu của lần chạy này chỉ có một kỳ ({period.label('vi')}). Diễn biến theo tháng, quý của "
                "tỉnh và từng đơn vị hiện ra khi thêm số liệu các kỳ khác (tham số `history`)."
            )
        return f"This run's data holds one period ({period.label('en')}); add other periods (parameter `history`) for unit trends."
    return (f"Bộ số liệu có {len(periods)} kỳ: {', '.join(periods)}." if language == "vi"
            else f"The data holds {len(periods)} periods: {', '.join(periods)}.")


def load_sentence(facts: pl.DataFrame, source: object, language: str = "vi") -> str:
    """What was loaded: file, periods, rows and units."""
    periods = ", ".join(sorted(facts["period"].unique().to_list()))
    units = facts["unit_code"].n_unique()
    source = display_path(source)
    as_of = facts["as_of"].drop_nulls()
    if language == "vi":
        text = f"Đã nạp {integer(facts.height)} dòng số liệu của {integer(units)} đơn vị, kỳ {periods}, từ tệp `{source}`."
        text += f" Số liệu lấy ngày {as_of.max():%d/%m/%Y}." if as_of.len() else " Tệp không ghi ngày lấy số liệu."
        return text
    text = f"Loaded {integer(facts.height, 'en')} rows for {integer(units, 'en')} units, period {periods}, from `{source}`."
    return text + (f" Captured {as_of.max():%d %b %Y}." if as_of.len() else " The file gives no capture date.")


def display_path(path: object) -> str:
    """A path as the reader should see it: relative to the project when inside it."""
    from pathlib import Path

    from analysis.paths import ROOT

    try:
        return str(Path(str(path)).resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def reconcile_sentence(reconciled: pl.DataFrame, language: str = "vi") -> str:
    """How many recomputed scores agree with the published ones."""
    compared = reconciled.filter(pl.col("difference").is_not_null())
    units = compared["unit_code"].n_unique()
    exact = compared.filter(pl.col("difference").abs() < 0.005).height
    within = compared["agrees"].sum()
    worst = compared["difference"].abs().max() or 0.0
    if language == "vi":
        return (
            f"Đối chiếu {integer(compared.height)} điểm (nhóm và tổng) của {integer(units)} đơn vị: {integer(exact)} điểm khớp "
            f"đến 0,01; {integer(within)} điểm lệch không quá 0,015; chênh lệch lớn nhất {number(worst)} điểm."
        )
    return (f"{integer(compared.height, 'en')} scores of {integer(units, 'en')} units compared: {integer(exact, 'en')} equal to the cent, "
            f"{integer(within, 'en')} within 0.015; largest difference {number(worst, language='en')}.")


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
    names = [f"{short_unit_name(n)} ({d})" for n, d in flagged.select("unit_name", "date").head(MAX_NAMES).iter_rows()]
    if language == "vi":
        return f"Có {integer(flagged.height)}/{integer(rows)} dòng có tổng điểm khác tổng các nhóm: {name_list(names)}."
    return f"{flagged.height} of {rows} rows do not add up: {name_list(names, 'en')}."


def sources_sentence(compared: pl.DataFrame, language: str = "vi") -> str:
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
        names.append(f"{short_unit_name(row['unit_name'])} – {row['indicator']} ({gap})")
    if vi:
        return (f"Có {integer(differ.height)}/{integer(compared.height)} số liệu khác nhau giữa Cổng Dịch vụ công quốc gia và hệ thống "
                f"của tỉnh; lệch tỷ lệ nhiều nhất: {'; '.join(names)}. Đề nghị các đơn vị đối soát, đồng bộ lại hồ sơ.")
    return f"{differ.height} of {compared.height} figures differ between the national portal and the province's system; largest: {'; '.join(names)}."


def focus_heading(row: dict, *, chosen: bool, language: str = "vi") -> tuple[str, str]:
    """Heading and lead of the peer comparison: the unit chosen in the parameters, or the lowest-ranked one."""
    name = short_unit_name(row["unit_name"]) or row["unit_name"]
    total = number(row["total"], language=language)
    if language == "vi":
        why = (f"{name} đạt {total} điểm, xếp hạng {row['rank']}/{row['rank_of']} cùng cấp"
               + ("." if chosen else " — đơn vị có tổng điểm thấp nhất cùng cấp; chọn đơn vị khác bằng tham số `focus`."))
        return f"{name} so với các đơn vị cùng cấp và toàn tỉnh", why
    why = (f"{name} scores {total}, rank {row['rank']} of {row['rank_of']}"
           + ("." if chosen else " — the lowest total of its level; choose another unit with the parameter `focus`."))
    return f"{name} against its peers and the province", why
