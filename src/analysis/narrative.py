"""Findings and recommendations as sentences (nhận xét, đề xuất), numbers filled in.

These are the paragraphs an office copies into the official report, so they are written the
way those reports are (shared/seeds): Vietnamese by default, numbers in Vietnamese style,
units named, lists cut after a few names with "và N đơn vị khác".
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from analysis import tables
from analysis.formatting import integer, number, percent, short_unit_name
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
    """Findings for each level: classes, units below each target, overdue dossiers, units that fell."""
    out: list[str] = []
    for level in levels:
        if scorecard.filter(pl.col("level") == level).is_empty():
            continue
        table = tables.unit_table(scorecard, detail, level)
        out.append(class_sentence(scorecard, methodology, level, language))
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
