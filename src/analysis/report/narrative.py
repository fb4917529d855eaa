"""Findings and recommendations as sentences (nhận xét, đề xuất), numbers filled in.

These are the paragraphs an office copies into the official report unchanged, so they follow the
rules those reports need (shared/seeds): every figure carries its period; a rank is stated only
for the period it belongs to; a figure resting on a provisional denominator is never stated as a
fact; every unit a sentence is about is named (no "và N đơn vị khác"); a unit with no dossiers
in the period is given no class; readers see names, never codes. Words come from
:mod:`analysis.report.wording` in either language.

The Word report calls the same functions: :func:`report_text` returns the headline, caveats,
findings and addressed recommendations as :class:`ReportText`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from analysis.contract.periods import Period, parse_period
from analysis.report import tables
from analysis.report.findings import (
    LEVEL_WORDS,
    Finding,
    change_findings,
    concentration_finding,
    few_cases_finding,
    good_news,
    level_points_finding,
    points_lost_finding,
    province_finding,
)
from analysis.report.formatting import class_name, integer, number, percent, signed
from analysis.report.messages import text
from analysis.report.names import unit_name
from analysis.report.wording import join, lower_first
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED

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
        "satisfaction": "tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính",
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

PROVISIONAL_DENOMINATORS = tables.PROVISIONAL_DENOMINATORS


@dataclass(frozen=True)
class Recommendation:
    """One recommendation (đề xuất) addressed as the reports address them (``Đối với các sở, ban, ngành``)."""

    addressee: str
    text: str

    def __str__(self) -> str:
        return f"{self.addressee}: {self.text}"


@dataclass(frozen=True)
class ReportText:
    """Every sentence of the report's overview, findings and recommendations, ready to paste."""

    headline: str
    caveats: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    counts: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recommendations_intro: str = ""
    recommendations: list[Recommendation] = field(default_factory=list)


def name_list(names: Sequence[str], language: str = "vi") -> str:
    """``A, B và C``: every name (an official document names every unit it speaks of)."""
    return join(names, language)


def _name(name: str | None) -> str:
    return unit_name(name, start=True)


def _class(methodology: Methodology, label: str | None, language: str) -> str:
    return class_name(methodology, label, language) or "-"


def _change(points: float | None, before: Period, language: str) -> str | None:
    if points is None:
        return None
    if round(points, 2) == 0:
        return text("narrative.unchanged_against", language, period=before.label(language))
    verb = text("narrative.up" if points > 0 else "narrative.down", language)
    return text("narrative.change_against", language, verb=verb, points=number(abs(points), language=language), period=before.label(language))


def _total_in(series: pl.DataFrame | None, unit_code: str, period: str) -> float | None:
    if series is None or series.is_empty():
        return None
    row = series.filter((pl.col("unit_code") == unit_code) & (pl.col("period") == period))
    return None if row.is_empty() else row["total"][0]


def headline(
    root: dict,
    methodology: Methodology,
    period: Period,
    *,
    standing: tables.NationalStanding | None = None,
    series: pl.DataFrame | None = None,
    language: str = "vi",
) -> str:
    """The report's first sentence: total, class, the change against the previous period and the
    same period a year earlier (when ``series``, the multi-period scorecard, holds them), and the
    national rank only when it is the rank of this very period.
    """
    name = unit_name(root["unit_name"], start=False)
    changes = []
    before = period.previous()
    delta = root.get("delta_total")
    if delta is None and (then := _total_in(series, root["unit_code"], before.code)) is not None:
        delta = root["total"] - then
    if (sentence := _change(delta, before, language)) is not None:
        changes.append(sentence)
    if period.kind in ("month", "quarter"):
        year_code = tables.same_period_year_before(period.code)
        if (then := _total_in(series, root["unit_code"], year_code)) is not None:
            changes.append(_change(root["total"] - then, parse_period(year_code), language))
    change = f" ({'; '.join(changes)})" if changes else ""
    sentence = text("narrative.headline" if root["class"] is not None else "narrative.headline_unclassed", language, name=name,
               period=period.label(language), total=number(root["total"], language=language),
               klass=_class(methodology, root["class"], language), change=change)
    if standing is not None:
        day = f"{standing.as_of:%d/%m/%Y}" if language == "vi" else standing.as_of.isoformat()
        if standing.is_of(period.code):
            sentence += text("narrative.rank_same_period", language, period=period.label(language), date=day, rank=standing.rank, of=standing.of)
        else:
            sentence += text("narrative.rank_not_held", language, period=period.label(language), date=day)
    return sentence[0].upper() + sentence[1:]


def group_sentences(groups: pl.DataFrame, language: str = "vi") -> list[str]:
    """``Nhóm chỉ số …: 7,96/18 điểm (44,22 % số điểm tối đa).`` for each group."""
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
    """``Kết quả xếp loại sở, ban, ngành: 1/13 đơn vị xếp loại Khá, …; 2 đơn vị không phát sinh hồ sơ …``.

    Only units with dossiers are classed; the others are named as not classed.
    """
    units = scorecard.filter(pl.col("level") == level)
    active = units.filter(GRADED)
    counts = [(c, n) for c, n in tables.class_counts(scorecard, methodology, level).iter_rows() if n]
    inactive = units.filter(~GRADED)
    names = join([_name(n) for n in sorted(inactive["unit_name"].to_list())], language)
    words = LEVEL_WORDS[language].get(level, level)
    if language == "vi":
        parts = [f"{n}/{active.height} đơn vị xếp loại {c}" if i == 0 else f"{n} đơn vị xếp loại {c}" for i, (c, n) in enumerate(counts)]
        sentence = f"Kết quả xếp loại {words}: " + ("; ".join(parts) or "không có đơn vị nào phát sinh hồ sơ")
    else:
        parts = [f"{n} of {active.height} {_class(methodology, c, 'en')}" if i == 0 else f"{n} {_class(methodology, c, 'en')}"
                 for i, (c, n) in enumerate(counts)]
        sentence = f"Classes of {words}: " + ("; ".join(parts) or "no unit received dossiers")
    if inactive.height:
        sentence += "; " + text("narrative.inactive_units", language, n=inactive.height, names=names)
    return sentence + "."


def _rate_list(rows: pl.DataFrame, ratio: str, language: str) -> list[str]:
    return [f"{unit_name(n, start=False)} ({percent(r, language=language)})" for n, r in rows.select("unit_name", ratio).iter_rows()]


def target_sentence(table: pl.DataFrame, target_key: str, target: float, level: str, language: str = "vi") -> str | None:
    """Units of a level below a target, every one named with its rate; ``None`` when the indicator is absent.

    When no unit reaches the target the sentence says so and names the best one, rather than
    listing the whole level.
    """
    indicator = TARGET_INDICATORS[target_key]
    ratio = f"{indicator}_ratio"
    if ratio not in table.columns or table[ratio].is_null().all():
        return None
    low = tables.below_target(table, indicator, target)
    measured_rows = table.filter(GRADED & pl.col(ratio).is_not_null())
    measured = measured_rows.height
    what = TARGET_WORDS[language][target_key]
    words = LEVEL_WORDS[language].get(level, level)
    goal = percent(target, decimals=0, language=language)
    if low.is_empty():
        if language == "vi":
            return f"Tất cả {measured} {words} có số liệu đều đạt {what} từ {goal} trở lên."
        return f"All {measured} {words} with figures reach {what} of at least {goal}."
    if low.height == measured:
        best = measured_rows.sort(ratio, descending=True).head(1)
        top = _rate_list(best, ratio, language)[0]
        if language == "vi":
            return f"Chưa có {words} nào đạt {what} từ {goal} ({measured} đơn vị có số liệu); cao nhất là {top}."
        return f"None of the {measured} {words} with figures reaches {what} of {goal}; the highest is {top}."
    names = join(_rate_list(low, ratio, language), language)
    if language == "vi":
        return f"Có {low.height}/{measured} {words} có {what} dưới {goal}: {names}."
    return f"{low.height} of {measured} {words} have {what} below {goal}: {names}."


def overdue_sentence(table: pl.DataFrame, level: str, language: str = "vi", *, limit: int = 5) -> str:
    """Overdue dossiers of a level, and the ``limit`` units with most of them (said to be the top ones)."""
    overdue = tables.overdue_by_unit(table)
    words = LEVEL_WORDS[language].get(level, level)
    unknown = table.filter(pl.col("ON_TIME_den").is_null()).height
    if overdue.is_empty():
        if unknown == table.height:  # published group scores without counts: not known, not none
            return (f"Nguồn số liệu không có số hồ sơ đúng hạn, quá hạn của các {words} (chỉ có điểm Cổng công bố): "
                    "chưa biết số hồ sơ quá hạn." if language == "vi" else
                    f"The source gives no on-time and overdue counts for the {words} (published scores only): "
                    "overdue dossiers are not known.")
        if unknown:
            return (f"Không có hồ sơ quá hạn tại {table.height - unknown} {words} có số liệu; {unknown} đơn vị "
                    "không có số hồ sơ đúng hạn, quá hạn." if language == "vi" else
                    f"No overdue dossiers in the {table.height - unknown} {words} with figures; {unknown} units have "
                    "no on-time and overdue counts.")
        return f"Không có hồ sơ quá hạn tại các {words}." if language == "vi" else f"No overdue dossiers in {words}."
    total = int(overdue["overdue"].sum())
    top = overdue.head(limit)
    names = join([f"{unit_name(n, start=False)} ({integer(v, language=language)})" for n, v in top.select("unit_name", "overdue").iter_rows()], language)
    if language == "vi":
        return (f"Các {words} có {integer(total, 'vi')} hồ sơ quá hạn tại {overdue.height} đơn vị; "
                f"{top.height} đơn vị có nhiều hồ sơ quá hạn nhất là {names}.")
    return f"{words.capitalize()} have {integer(total, 'en')} overdue dossiers in {overdue.height} units; the {top.height} with most: {names}."


def movers_sentence(scorecard: pl.DataFrame, level: str, period: Period, language: str = "vi", *, limit: int = 5) -> str:
    """Units whose total fell (giảm điểm) against the previous period, or that there is nothing to compare."""
    moved = tables.movers(scorecard.filter(GRADED), level)
    words = LEVEL_WORDS[language].get(level, level)
    before = period.previous().label(language)
    if moved.is_empty():
        if language == "vi":
            return f"Chưa có số liệu {before} để so sánh mức tăng, giảm điểm của các {words}."
        return f"No figures for {before} to compare the {words} with."
    fell = moved.filter(pl.col("delta_total") < 0)
    if fell.is_empty():
        return (f"Không có {words} nào giảm điểm so với {before}." if language == "vi" else f"No {words} fell against {before}.")
    top = fell.head(limit)
    names = join([f"{unit_name(n, start=False)} ({number(d, language=language)})" for n, d in top.select("unit_name", "delta_total").iter_rows()], language)
    if language == "vi":
        return f"Có {fell.height}/{moved.height} {words} giảm điểm so với {before}; {top.height} đơn vị giảm nhiều nhất là {names}."
    return f"{fell.height} of {moved.height} {words} fell against {before}; the {top.height} that fell most: {names}."


def findings(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    period: Period,
    targets: dict[str, float],
    levels: Sequence[str] = ("department", "commune"),
    scope: str | None = None,
    series: pl.DataFrame | None = None,
    language: str = "vi",
) -> list[Finding]:
    """The findings (nhận xét): where the province lost its points, who holds most of the overdue
    dossiers, why the province scores below its units; then per level the units below each target,
    the good news, overdue dossiers, units that lost many points over a few cases, and the change
    against the previous period (fell most, rose most, changed class; from ``series``, the
    multi-period scorecard, else from the scorecard's ``delta_total``).

    (The classes of each level are told with the classification table, :func:`class_sentence`.)
    """
    out: list[Finding] = []
    root = tables.root_unit(scorecard, scope)
    scope = root["unit_code"]
    for item in (points_lost_finding(detail, methodology, scope, language), concentration_finding(scorecard, detail, scope, language)):
        if item is not None:
            out.append(item)
    for level in levels:
        if scorecard.filter(pl.col("level") == level).is_empty():
            continue
        if (item := province_finding(scorecard, detail, methodology, scope, level, language)) is not None:
            out.append(item)
    for level in levels:
        if scorecard.filter(pl.col("level") == level).is_empty():
            continue
        table = tables.unit_table(scorecard, detail, level)
        if (item := level_points_finding(detail, scorecard, methodology, level, language)) is not None:
            out.append(item)
        for key, target in targets.items():
            if key in TARGET_INDICATORS and (sentence := target_sentence(table, key, target, level, language)):
                out.append(Finding(sentence, f"target_{key}", level))
        out.extend(good_news(table, level, language, methodology=methodology))
        out.append(Finding(overdue_sentence(table, level, language), "overdue", level))
        if (item := few_cases_finding(scorecard, detail, methodology, level, language)) is not None:
            out.append(item)
        history = series if series is not None else scorecard
        out.extend(change_findings(_with_previous(history, scorecard), period, level, language, methodology=methodology))
    return out


def _with_previous(series: pl.DataFrame, scorecard: pl.DataFrame) -> pl.DataFrame:
    """The multi-period scorecard, or the one-period scorecard when no other period is at hand."""
    return series if series.select("period").n_unique() > 1 else scorecard


def no_recommendations(language: str = "vi") -> str:
    """What the recommendations say when the figures name nothing to act on (published group scores without counts)."""
    return text("narrative.no_recommendations", language)


def no_units_sentence(language: str = "vi") -> str:
    """Under a per-unit section when the source has the province alone (no department or commune)."""
    return text("narrative.no_units", language)


def recommendations_intro(period: Period, language: str = "vi") -> str:
    """The sentence that opens the recommendations, as the provincial office writes it."""
    if language == "vi":
        return (f"Trên cơ sở kết quả Bộ chỉ số {period.label('vi')}, để duy trì các chỉ số đã đạt và khắc phục các chỉ số "
                "chưa đạt trong các kỳ tiếp theo, Văn phòng UBND tỉnh đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị "
                "thực hiện các nội dung sau:")
    return (f"On the results of {period.label('en')}, to keep the indicators reached and recover the others, the Provincial "
            "People's Committee Office asks the Committee to direct the agencies and localities as follows:")


ADDRESSEES = {
    "vi": {"all": "Đối với các sở, ban, ngành và UBND các xã, phường", "department": "Đối với các sở, ban, ngành",
           "commune": "Đối với UBND các xã, phường", "district": "Đối với UBND các huyện, thành phố",
           "system": "Đối với Văn phòng UBND tỉnh và cơ quan quản lý Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh"},
    "en": {"all": "To the departments and the communes", "department": "To the departments", "commune": "To the communes",
           "district": "To the districts", "system": "To the Office and the agency running the province's one-stop system"},
}


def recommendations(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    scope: str,
    targets: dict[str, float] | None = None,
    language: str = "vi",
    n: int = 4,
) -> list[Recommendation]:
    """What to act on, addressed as the reports address it, every unit concerned named."""
    words = ADDRESSEES[language]
    vi = language == "vi"
    out: list[Recommendation] = []
    weakest = tables.weakest_indicators(detail, methodology, scope, n=n)
    measured = [r for r in weakest.iter_rows(named=True) if r["ratio"] is not None]
    missing = [r for r in weakest.iter_rows(named=True) if r["ratio"] is None]
    if measured:
        items = join([f"{lower_first(r['indicator_name']) if vi else r['indicator_name_en']} "
                      f"({'toàn tỉnh đạt' if vi else 'province at'} {percent(r['ratio'], language=language)}, "
                      f"{'mất' if vi else 'lost'} {number(r['lost'], language=language)} {'điểm' if vi else 'points'})" for r in measured], language)
        out.append(Recommendation(words["all"], f"Tập trung cải thiện các chỉ số mất nhiều điểm nhất: {items}." if vi
                                  else f"Work first on the indicators that lost most points: {items}."))
    levels = [lv for lv in ("department", "district", "commune") if scorecard.filter(pl.col("level") == lv).height]
    for level in levels:
        table = tables.unit_table(scorecard, detail, level)
        overdue = tables.overdue_by_unit(table)
        if overdue.height:
            half = overdue.filter(pl.col("overdue").cum_sum().shift(1, fill_value=0) < overdue["overdue"].sum() / 2)
            names = join([f"{unit_name(x, start=False)} ({integer(v, language)})" for x, v in half.select("unit_name", "overdue").iter_rows()], language)
            share = percent(half["overdue"].sum() / overdue["overdue"].sum(), decimals=0, language=language)
            out.append(Recommendation(words[level], (
                f"Rà soát, xử lý dứt điểm hồ sơ quá hạn; không yêu cầu bổ sung hồ sơ quá một lần (từ lần thứ hai hồ sơ bị tính quá hạn). "
                f"{overdue.height} đơn vị có hồ sơ quá hạn trong kỳ; {half.height} đơn vị giữ {share} số hồ sơ quá hạn của cấp này "
                f"cần ưu tiên: {names}.") if vi else
                f"Clear the overdue dossiers; ask for supplements at most once (a second request counts as overdue). {overdue.height} units "
                f"have overdue dossiers; the {half.height} holding {share} of them come first: {names}."))
        few = tables.few_case_losses(detail, scorecard, level)
        if few.height:
            names = join([unit_name(x, start=False) for x in few["unit_name"].to_list()], language)
            out.append(Recommendation(words[level], (
                f"Theo dõi, xử lý đúng hạn từng hồ sơ và phản ánh, kiến nghị: chỉ 1 đến 3 trường hợp đã làm {names} mất từ 4 điểm trở lên.")
                if vi else f"Handle every dossier and petition on time: 1 to 3 cases cost {names} 4 points or more."))
        inactive = scorecard.filter((pl.col("level") == level) & ~GRADED)
        if inactive.height:
            names = join([unit_name(x, start=False) for x in inactive["unit_name"].to_list()], language)
            out.append(Recommendation(words[level], (
                f"{names[:1].upper() + names[1:]} không phát sinh hồ sơ trong kỳ: rà soát việc tiếp nhận, cập nhật và đồng bộ hồ sơ "
                "lên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.") if vi else
                f"{names} received no dossiers: check that dossiers are received, recorded and synchronised in the province's system."))
    if missing:
        items = join([(lower_first(r["indicator_name"]) if vi else r["indicator_name_en"]) for r in missing], language)
        out.append(Recommendation(words["system"], (
            f"Phối hợp với Cổng Dịch vụ công quốc gia rà soát, cập nhật số liệu các chỉ số chưa có số liệu trong kỳ ({items}); "
            f"tỉnh đang mất {number(sum(r['lost'] for r in missing))} điểm ở các chỉ số này.") if vi else
            f"Check with the national portal the indicators without figures this period ({items}); they cost the province "
            f"{number(sum(r['lost'] for r in missing), language='en')} points."))
    return out


def caveats(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    period: Period,
    as_of: date | None = None,
    language: str = "vi",
) -> list[str]:
    """What a reader must know before quoting the figures: capture date and whether the period is
    closed, the 2026 platform change, and that the class bands are not from an official text."""
    vi = language == "vi"
    out = []
    span = (f" (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})" if vi
            else f" ({period.start.isoformat()} to {period.end.isoformat()})")
    shown = scorecard.filter(pl.col("published_groups").str.contains("total").fill_null(False)) if "published_groups" in scorecard.columns else scorecard.clear()
    if shown.height:
        names = join([unit_name(n, start=False) for n in shown["unit_name"].head(3).to_list()]
                     + ([f"{shown.height - 3} {text('narrative.units', language)}"] if shown.height > 3 else []), language)
        out.append(text("narrative.published_scores", language, n=shown.height, names=names))
    if as_of is None and not shown.height:  # (a table transcribed from a report has no portal capture to date)
        out.append(f"Số liệu {period.label('vi')}{span} lấy từ Cổng Dịch vụ công quốc gia; tệp số liệu không ghi ngày lấy số liệu, "
                   "nên chưa xác định được số liệu đã chốt hay còn tạm tính. Cổng có thể cập nhật số liệu của một kỳ sau khi kỳ kết thúc."
                   if vi else f"Figures for {period.label('en')}{span} from the national portal; the file gives no capture date, so it is not "
                   "known whether they are final. The portal may revise a period after it closes.")
    elif as_of is not None:
        closed = as_of > period.end
        day = f"{as_of:%d/%m/%Y}" if vi else as_of.isoformat()
        out.append((f"Số liệu lấy ngày {day}, " + ("sau khi kỳ đã kết thúc; Cổng vẫn có thể cập nhật lại." if closed
                    else "khi kỳ chưa kết thúc: số liệu tạm tính, sẽ còn thay đổi.")) if vi else
                   (f"Captured {day}, " + ("after the period closed; the portal may still revise it." if closed
                    else "before the period closed: provisional figures that will change.")))
    if period.start.year >= 2026:
        sentence = ("Từ năm 2026 Cổng Dịch vụ công quốc gia chuyển sang nền tảng mới với cách tính mới; một số chỉ số chưa có số liệu "
                "và điểm không so sánh trực tiếp được với các kỳ trước năm 2026." if vi else
                "Since 2026 the national portal runs on a new platform with new scoring; some indicators have no figures yet and "
                "scores are not directly comparable with periods before 2026.")
        for level in ("department", "commune"):
            counts = tables.class_counts(scorecard, methodology, level)
            active = int(counts["units"].sum())
            if active >= 10:
                top = counts.sort("units", descending=True).row(0, named=True)
                if top["units"] * 10 >= active * 8:
                    label = _class(methodology, top["class"], language)
                    words = LEVEL_WORDS[language][level]
                    sentence += (f" Vì vậy {top['units']}/{active} {words} cùng xếp loại {label}." if vi else
                             f" This is why {top['units']} of {active} {words} share the class {label}.")
        out.append(sentence)
    bands = ", ".join(f"{b.label if vi else b.label_en} {'từ' if vi else 'from'} {number(b.min, decimals=0, language=language)}"
                      for b in sorted(methodology.classes, key=lambda b: -b.min) if b.min > 0)
    out.append(f"Ngưỡng xếp loại ({bands} điểm) là ngưỡng các báo cáo và trang tổng hợp công khai sử dụng, chưa có văn bản "
               "chính thức quy định; là tham số của phương pháp chấm điểm." if vi else
               f"The class bands ({bands} points) are those used by reports and public collectors; no official text sets "
               "them, and they are a setting of the methodology.")
    return out


def report_text(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    scope: str,
    period: Period,
    targets: dict[str, float],
    national: pl.DataFrame | None = None,
    series: pl.DataFrame | None = None,
    as_of: date | None = None,
    language: str = "vi",
) -> ReportText:
    """Every sentence of the report's text for one period, ready for the HTML page or a Word document."""
    root = tables.root_unit(scorecard, scope)
    standing = tables.national_standing(national, scope) if national is not None else None
    levels = [lv for lv in ("department", "district", "commune") if scorecard.filter(pl.col("level") == lv).height]
    recs = recommendations(scorecard, detail, methodology, scope=scope, targets=targets, language=language)
    return ReportText(
        headline=headline(root, methodology, period, standing=standing, series=series, language=language),
        caveats=caveats(scorecard, methodology, period=period, as_of=as_of, language=language),
        groups=group_sentences(tables.group_table(scorecard, methodology, scope, language), language),
        counts=count_sentences(detail, scope, language),
        findings=findings(scorecard, detail, methodology, period=period, targets=targets, levels=levels, scope=scope,
                          series=series, language=language),
        recommendations_intro=recommendations_intro(period, language) if recs else no_recommendations(language),
        recommendations=recs,
    )


def weakest_units(scorecard: pl.DataFrame, language: str = "vi", *, n: int = 5) -> list[str]:
    """The ``n`` units with the lowest totals among those with dossiers, one line each:
    ``Xã Tam Dương Bắc: 48,47 điểm, Yếu, hạng 148/148 xã, phường``."""
    graded = tables.graded(scorecard).filter(pl.col("parent_code").is_not_null() & GRADED).sort("total").head(n)
    return [
        (f"{unit_name(r['unit_name'])}: {number(r['total'])} điểm, {r['class'] + ', ' if r['class'] else ''}hạng {r['rank']}/{r['rank_of']} "
         f"{LEVEL_WORDS['vi'].get(r['level'], r['level'])}") if language == "vi" else
        (f"{unit_name(r['unit_name'])}: {number(r['total'], language='en')} points, rank {r['rank']} of {r['rank_of']} "
         f"{LEVEL_WORDS['en'].get(r['level'], r['level'])}")
        for r in graded.iter_rows(named=True)
    ]


def channel_source_sentence(level: str, source: str | None, language: str = "vi") -> str:
    """Where the per-unit online and in-person counts come from: the portal, the province's own system, or nowhere."""
    words = LEVEL_WORDS[language].get(level, level)
    if language == "vi":
        if source == "portal":
            return f"Số hồ sơ trực tuyến, trực tiếp của các {words} theo Cổng Dịch vụ công quốc gia."
        if source == "local":
            return (f"Cổng Dịch vụ công quốc gia không công bố số hồ sơ trực tuyến, trực tiếp của từng đơn vị; bảng dưới lấy số liệu "
                    f"của các {words} từ Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.")
        return (f"Cổng Dịch vụ công quốc gia không công bố số hồ sơ trực tuyến, trực tiếp của từng {words.split(',')[0]} và lần chạy "
                "này không có số liệu từ hệ thống của tỉnh, nên báo cáo chưa có bảng số hồ sơ trực tuyến, trực tiếp theo đơn vị.")
    if source == "portal":
        return f"Online and in-person dossiers of the {words}, from the national portal."
    if source == "local":
        return f"The national portal gives no online and in-person counts per unit; the table takes the {words}' counts from the province's own system."
    return (f"The national portal gives no online and in-person counts per unit and this run has no figures from the province's "
            f"system, so there is no per-unit table of online and in-person dossiers for the {words}.")


def addressed(recs: Sequence[Recommendation]) -> str:
    """Recommendations grouped under their addressees, numbered as the reports number them (Markdown)."""
    blocks: dict[str, list[str]] = {}
    for rec in recs:
        blocks.setdefault(rec.addressee, []).append(rec.text)
    return "\n\n".join(f"{i}. **{who}**\n\n" + "\n".join(f"   - {t}" for t in texts) for i, (who, texts) in enumerate(blocks.items(), start=1))


SECTIONS = {
    "vi": {
        "overview": "I. Kết quả chung",
        "groups": "II. Kết quả theo nhóm chỉ số",
        "units": "III. Kết quả theo cơ quan, đơn vị",
        "classes": "IV. Xếp loại",
        "findings": "V. Nhận xét",
        "recommendations": "VI. Đề xuất",
        "caveats": "Lưu ý khi sử dụng số liệu",
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
        "caveats": "Before quoting these figures",
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


def count_sentences(
    detail: pl.DataFrame, unit_code: str, language: str = "vi", *, provisional: Collection[str] = PROVISIONAL_DENOMINATORS,
) -> list[str]:
    """The counts behind the headline figures, as the reports write them, each saying which count it is.

    ``Tiếp nhận 184.513 hồ sơ: đúng hạn 144.625, quá hạn 39.888.`` — synchronised dossiers (the
    unsynchronised count only when the denominator is not ``provisional``) — dossiers by channel
    (the dossiers whose channel is known) — fee dossiers paid online — digitisation.
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
        if "DOSSIER_SYNC" in provisional and num == den:  # the portal's provisional denominator equals the numerator
            out.append(
                f"Số hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia là {integer(num)}; số hồ sơ chưa đồng bộ chưa xác định được: "
                "mẫu số của chỉ số này trên Cổng đang là số tạm (bằng tử số), nên tỷ lệ đồng bộ 100 % và 6/6 điểm chưa phản ánh thực tế."
                if vi else f"{integer(num, 'en')} dossiers synchronised to the national portal; the number not synchronised is unknown: "
                "the portal's denominator for this indicator is provisional (equal to the numerator), so its 100% is not a measurement."
            )
        else:
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
        out.append((f"Hồ sơ theo hình thức nộp ({integer(den)} hồ sơ có thông tin hình thức nộp): " if vi
                    else f"Dossiers by channel ({integer(den, 'en')} dossiers whose channel is recorded): ") + ", ".join(parts) + ".")
    if c := counts("PAYMENT_DOSSIER"):
        num, den = c
        out.append(
            f"Có {integer(den)} hồ sơ phải thực hiện nghĩa vụ tài chính, trong đó {integer(num)} hồ sơ thanh toán trực tuyến ({percent(num / den)})."
            if vi else f"{integer(den, 'en')} dossiers carried a fee; {integer(num, 'en')} were paid online ({percent(num / den, language='en')})."
        )
    if c := counts("SO_HOA_GIAY_TO_GIAI_QUYET"):
        num, den = c
        result = counts("ORIGINAL_RESULT_AVAILABLE")
        sentence = (f"Số hóa hồ sơ, kết quả giải quyết: {integer(num)}/{integer(den)} hồ sơ ({percent(num / den)})"
                if vi else f"Digitised dossiers: {integer(num, 'en')}/{integer(den, 'en')} ({percent(num / den, language='en')})")
        if result:
            sentence += (f"; cấp kết quả điện tử: {integer(result[0])}/{integer(result[1])} hồ sơ ({percent(result[0] / result[1])})"
                     if vi else f"; electronic results: {integer(result[0], 'en')}/{integer(result[1], 'en')} ({percent(result[0] / result[1], language='en')})")
        out.append(sentence + ".")
    if c := counts("PETITION_PROCESSING_ON_TIME"):
        num, den = c
        out.append(
            f"Tiếp nhận {integer(den)} phản ánh, kiến nghị; xử lý đúng hạn {integer(num)} ({percent(num / den)})."
            if vi else f"{integer(den, 'en')} petitions received; {integer(num, 'en')} handled on time ({percent(num / den, language='en')})."
        )
    return out


def bullets(lines: Sequence[object]) -> str:
    """Markdown bullet list (of sentences, :class:`Finding` or :class:`Recommendation`)."""
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
    up = [f"{unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") > 0).head(n).select("unit_name", "change").iter_rows()]
    down = [f"{unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") < 0).sort("change").head(n).select("unit_name", "change").iter_rows()]
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
                "tỉnh và từng đơn vị hiện ra khi khai báo thêm số liệu các kỳ khác trong tệp tham số của lần chạy."
            )
        return f"This run's data holds one period ({period.label('en')}); add other periods in the run's parameters file for unit trends."
    labels = join([parse_period(p).label(language) for p in periods], language)
    return (f"Bộ số liệu có {len(periods)} kỳ: {labels}." if language == "vi"
            else f"The data holds {len(periods)} periods: {labels}.")


def focus_heading(row: dict, *, chosen: bool, language: str = "vi") -> tuple[str, str]:
    """Heading and lead of the peer comparison: the unit chosen in the parameters, or the lowest-ranked one."""
    name = unit_name(row["unit_name"])
    total = number(row["total"], language=language)
    if row.get("rank_of") == 1 and row.get("level") == "province":  # a source of the province alone
        why = (f"Nguồn số liệu chỉ có cấp tỉnh, không có sở, ban, ngành hay xã, phường để so sánh: bảng dưới là điểm "
               f"từng nhóm của {lower_first(name)} so với điểm tối đa." if language == "vi" else
               f"The source has the province alone, no department or commune to compare with: the table shows "
               f"{name}'s group scores against the maximum.")
        return (f"{name}: điểm từng nhóm" if language == "vi" else f"{name}: group scores"), why
    if row.get("active") is False:
        why = (f"{name} không phát sinh hồ sơ trong kỳ: không xếp hạng, xếp loại." if language == "vi"
               else f"{name} received no dossiers in the period: neither ranked nor classed.")
        return (f"{name} so với các đơn vị cùng cấp và toàn tỉnh" if language == "vi" else f"{name} against its peers and the province"), why
    if language == "vi":
        why = (f"{name} đạt {total} điểm, xếp hạng {row['rank']}/{row['rank_of']} cùng cấp"
               + ("." if chosen else " — đơn vị có tổng điểm thấp nhất trong các đơn vị cùng cấp được xếp hạng; đơn vị cần xem có thể chọn trong tệp tham số của lần chạy."))
        return f"{name} so với các đơn vị cùng cấp và toàn tỉnh", why
    why = (f"{name} scores {total}, rank {row['rank']} of {row['rank_of']}"
           + ("." if chosen else " — the lowest total of its level among ranked units; another unit can be chosen in the run's parameters file."))
    return f"{name} against its peers and the province", why


# the data-quality page's sentences live with its checks; kept here under their former names
from analysis.scoring.quality import (  # noqa: E402
    component_sentence,
    display_path,
    indicator_reconcile_sentence,
    load_sentence,
    reconcile_sentence,
    sources_sentence,
)

__all__ = [
    "Finding", "Recommendation", "ReportText", "report_text", "headline", "findings", "recommendations",
    "recommendations_intro", "no_recommendations", "no_units_sentence", "caveats", "addressed", "weakest_units", "channel_source_sentence", "count_sentences", "group_sentences", "class_sentence",
    "component_sentence", "display_path", "indicator_reconcile_sentence", "load_sentence", "reconcile_sentence",
    "sources_sentence",
]
