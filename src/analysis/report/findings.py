"""The findings of the report (nhận xét): where the points were lost, on how few cases, who holds
most of a problem, why the province scores below its own units, the good news, and what changed
against the previous period. Each function returns :class:`Finding` sentences (or ``None`` when
there is nothing to say); :func:`analysis.report.narrative.findings` puts them in order.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.contract import LANGUAGES, LEVELS, level_words
from analysis.contract.periods import Period
from analysis.report import tables
from analysis.report.formatting import class_name, indicator_name, integer, number, percent, signed
from analysis.report.wording import join, lower_first, unit_name
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED

LEVEL_WORDS = {language: {level: level_words(level, language) for level in LEVELS} for language in LANGUAGES}


@dataclass(frozen=True)
class Finding:
    """One finding (nhận xét): its sentence, what it is about and the level it concerns."""

    text: str
    topic: str
    level: str | None = None

    def __str__(self) -> str:
        return self.text



def change_findings(
    series: pl.DataFrame | None, period: Period, level: str, language: str = "vi", *, n: int = 5,
    methodology: Methodology | None = None,
) -> list[Finding]:
    """Against the previous period (from the multi-period scorecard): the units that fell most,
    rose most and changed class, every one named; a sentence saying so when that period is not held.
    """
    before = period.previous()
    words = LEVEL_WORDS[language].get(level, level)
    moved = tables.compared(series, period.code, before.code, level) if series is not None else pl.DataFrame()
    if moved.is_empty():
        return [Finding(f"Chưa có số liệu {before.label('vi')} để so sánh mức tăng, giảm điểm của các {words}."
                        if language == "vi" else f"No figures for {before.label('en')} to compare the {words} with.",
                        "change", level)]
    out: list[Finding] = []
    vi = language == "vi"
    label = before.label(language)

    def listed(rows: pl.DataFrame) -> str:
        return join([f"{unit_name(r['unit_name'], start=False)} ({signed(r['change'], language=language)})" for r in rows.iter_rows(named=True)], language)

    fell = moved.filter(pl.col("change") < 0).sort("change").head(n)
    rose = moved.filter(pl.col("change") > 0).sort("change", descending=True).head(n)
    n_fell = moved.filter(pl.col("change") < 0).height
    n_rose = moved.filter(pl.col("change") > 0).height
    if fell.height:
        out.append(Finding(
            f"So với {label}, {n_fell}/{moved.height} {words} giảm điểm; {fell.height} đơn vị giảm nhiều nhất là {listed(fell)}."
            if vi else f"Against {label}, {n_fell} of {moved.height} {words} fell; the {fell.height} that fell most: {listed(fell)}.",
            "fell", level))
    if rose.height:
        out.append(Finding(
            f"So với {label}, {n_rose}/{moved.height} {words} tăng điểm; {rose.height} đơn vị tăng nhiều nhất là {listed(rose)}."
            if vi else f"Against {label}, {n_rose} of {moved.height} {words} rose; the {rose.height} that rose most: {listed(rose)}.",
            "rose", level))
    if not fell.height and not rose.height:
        out.append(Finding(f"Điểm của các {words} không đổi so với {label}." if vi else f"The {words} scored as in {label}.", "change", level))
    changed = moved.filter(pl.col("class_changed"))
    if changed.height:
        items = join([
            f"{unit_name(r['unit_name'], start=False)} ({_class_word(r['class_before'], methodology, language)} → {_class_word(r['class'], methodology, language)})"
            for r in changed.iter_rows(named=True)
        ], language)
        out.append(Finding(
            f"Có {changed.height} {words} thay đổi xếp loại so với {label}: {items}." if vi
            else f"{changed.height} {words} changed class against {label}: {items}.", "class_changed", level))
    elif moved.height:
        out.append(Finding(f"Không có {words} nào thay đổi xếp loại so với {label}." if vi
                           else f"No {words} changed class against {label}.", "class_changed", level))
    return out


def _class_word(label: str | None, methodology: Methodology | None, language: str) -> str:
    if label is None:
        return "-"
    return (class_name(methodology, label, language) if methodology is not None else label) or label


def concentration_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, scope: str, language: str = "vi") -> Finding | None:
    """Who holds most of the province's overdue dossiers (Sở … giữ 13.928/39.888 hồ sơ quá hạn, 35 %)."""
    row = detail.filter((pl.col("unit_code") == scope) & (pl.col("indicator") == "ON_TIME"))
    if row.is_empty() or row["denominator"][0] is None or row["numerator"][0] is None:
        return None
    province = row["denominator"][0] - row["numerator"][0]
    if province <= 0:
        return None
    levels = [lv for lv in ("department", "district", "commune") if scorecard.filter(pl.col("level") == lv).height]
    if not levels:  # a source of the province alone: no unit to hold its overdue dossiers
        return None
    units = pl.concat([tables.overdue_concentration(tables.unit_table(scorecard, detail, lv), province) for lv in levels])
    if units.is_empty():
        return None
    top = units.sort("overdue", descending=True).row(0, named=True)
    name = unit_name(top["unit_name"])
    if language == "vi":
        text = (f"{name} có {integer(top['overdue'])}/{integer(province)} hồ sơ quá hạn của toàn tỉnh "
                f"({percent(top['share'], decimals=0)}), nhiều nhất trong các cơ quan, đơn vị; "
                f"đơn vị này tiếp nhận {integer(top['ON_TIME_den'])} hồ sơ, đúng hạn {percent(top['ON_TIME_ratio'])}.")
    else:
        text = (f"{name} holds {integer(top['overdue'], 'en')} of the province's {integer(province, 'en')} overdue dossiers "
                f"({percent(top['share'], decimals=0, language='en')}), more than any other unit; it received "
                f"{integer(top['ON_TIME_den'], 'en')} dossiers, {percent(top['ON_TIME_ratio'], language='en')} on time.")
    return Finding(text, "overdue_concentration", None)


def few_cases_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, level: str,
                      language: str = "vi", *, max_cases: int = 3, min_points: float = 4.0) -> Finding | None:
    """Units that lost many points over one to three cases (one late petition of one: the whole indicator)."""
    rows = tables.few_case_losses(detail, scorecard, level, max_cases=max_cases, min_points=min_points)
    if rows.is_empty():
        return None
    words = LEVEL_WORDS[language].get(level, level)
    items = []
    for r in rows.iter_rows(named=True):
        what = join([
            f"{lower_first(indicator_name(methodology, i, language)) if language == 'vi' else indicator_name(methodology, i, language)} "
            f"({integer(c, language)}/{integer(d, language)} {'không đạt' if language == 'vi' else 'failed'})"
            for i, c, d in zip(r["indicators"], r["indicator_cases"], r["denominators"])
        ], language)
        if language == "vi":
            items.append(f"{unit_name(r['unit_name'], start=False)} mất {number(r['lost'])} điểm (xếp hạng {r['rank']}/{r['rank_of']}): {what}")
        else:
            items.append(f"{unit_name(r['unit_name'])} lost {number(r['lost'], language='en')} points (rank {r['rank']} of {r['rank_of']}): {what}")
    if language == "vi":
        return Finding(f"Có {rows.height} {words} mất từ {number(min_points, decimals=0)} điểm trở lên ở các chỉ số mà mỗi chỉ số "
                       f"chỉ có 1 đến {max_cases} hồ sơ hoặc phản ánh, kiến nghị không đạt: {'; '.join(items)}.", "few_cases", level)
    return Finding(f"{rows.height} {words} lost {number(min_points, decimals=0, language='en')} points or more on indicators failed "
                   f"by only 1 to {max_cases} dossiers or petitions each: {'; '.join(items)}.", "few_cases", level)


def province_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, scope: str, level: str,
                     language: str = "vi") -> Finding | None:
    """When the province scores below most of its own units, why: the indicators it loses and they do not."""
    above, active, gaps = tables.province_against_level(scorecard, detail, scope, level)
    if not active or above * 2 <= active or gaps.is_empty():
        return None
    root = tables.root_unit(scorecard, scope)
    words = LEVEL_WORDS[language].get(level, level)
    reasons = join([
        (f"{lower_first(indicator_name(methodology, r['indicator'], language))} (tỉnh mất {number(r['lost'])} điểm, "
         f"đơn vị giữa bảng mất {number(r['lost_median'])})") if language == "vi" else
        (f"{indicator_name(methodology, r['indicator'], language)} (the province loses {number(r['lost'], language='en')}, "
         f"the median unit {number(r['lost_median'], language='en')})")
        for r in gaps.iter_rows(named=True)
    ], language)
    if language == "vi":
        return Finding(f"Tổng điểm của tỉnh ({number(root['total'])}) thấp hơn {above}/{active} {words} có phát sinh hồ sơ. "
                       f"Điểm của tỉnh tính trên số liệu của toàn tỉnh, gồm cả các chỉ số cấp tỉnh; tỉnh mất nhiều điểm hơn "
                       f"các {words} ở: {reasons}.", "province_below_units", level)
    return Finding(f"The province's total ({number(root['total'], language='en')}) is below {above} of {active} active {words}. "
                   f"It is scored on the whole province's figures, province-level indicators included; it loses more than "
                   f"the {words} on: {reasons}.", "province_below_units", level)


def points_lost_finding(detail: pl.DataFrame, methodology: Methodology, scope: str, language: str = "vi", *, n: int = 4) -> Finding | None:
    """Where the province lost its points, largest first."""
    weakest = tables.weakest_indicators(detail, methodology, scope, n=n)
    if weakest.is_empty():
        return None
    items = []
    for r in weakest.iter_rows(named=True):
        name = r["indicator_name"] if language == "vi" else r["indicator_name_en"]
        lost = number(r["lost"], language=language)
        if r["ratio"] is None:
            items.append(f"{name} ({'mất' if language == 'vi' else 'lost'} {lost}; "
                         f"{'Cổng chưa có số liệu trong kỳ' if language == 'vi' else 'no figures on the portal this period'})")
        else:
            items.append(f"{name} ({'mất' if language == 'vi' else 'lost'} {lost}; {'đạt' if language == 'vi' else 'at'} "
                         f"{percent(r['ratio'], language=language)})")
    total = number(weakest["lost"].sum(), language=language)
    if language == "vi":
        return Finding(f"Tỉnh mất nhiều điểm nhất ở {weakest.height} chỉ số, cộng lại {total} điểm: {'; '.join(items)}.", "points_lost")
    return Finding(f"The province lost most on {weakest.height} indicators, {total} points together: {'; '.join(items)}.", "points_lost")


GOOD_NEWS = (("ON_TIME", "100 % hồ sơ đúng hạn", "100% of dossiers on time"),
             ("DOSSIER_RECEIVING_SATISFACTION", "100 % hài lòng", "100% satisfaction"))


def good_news(table: pl.DataFrame, level: str, language: str = "vi", *, methodology: Methodology | None = None) -> list[Finding]:
    """Units at full marks on time and on satisfaction (the seeds' "7 sở đạt 100 % đúng hạn"), every one
    named, and the unit with the highest total."""
    out = []
    words = LEVEL_WORDS[language].get(level, level)
    for indicator, vi_words, en_words in GOOD_NEWS:
        rows = tables.full_marks(table, indicator)
        if rows.is_empty():
            continue
        names = join([unit_name(n, start=False) for n in rows["unit_name"].to_list()], language)
        text = (f"Có {rows.height} {words} đạt {vi_words}: {names}." if language == "vi"
                else f"{rows.height} {words} reached {en_words}: {names}.")
        out.append(Finding(text, "good_news", level))
    best = table.filter(GRADED & (pl.col("rank") == 1))
    if best.height:
        names = join([unit_name(n, start=False) for n in best["unit_name"].to_list()], language)
        total = number(best["total"][0], language=language)
        label = _class_word(best["class"][0], methodology, language)
        out.append(Finding(f"Tổng điểm cao nhất trong các {words}: {names}, {total} điểm, xếp loại {label}." if language == "vi"
                           else f"Highest total among the {words}: {names}, {total} points, class {label}.", "good_news", level))
    return out


def level_points_finding(detail: pl.DataFrame, scorecard: pl.DataFrame, methodology: Methodology, level: str,
                         language: str = "vi") -> Finding | None:
    """Where the units of a level lose their points: the indicators with the largest mean loss per unit."""
    rows = tables.level_points_lost(detail, scorecard, level)
    if rows.is_empty():
        return None
    words = LEVEL_WORDS[language].get(level, level)
    items = join([
        (f"{lower_first(indicator_name(methodology, r['indicator'], 'vi'))} (bình quân mất {number(r['mean_lost'])}/"
         f"{number(r['max_score'], decimals=0)} điểm mỗi đơn vị; {r['units_losing']}/{r['units']} đơn vị có số liệu mất điểm)") if language == "vi" else
        (f"{indicator_name(methodology, r['indicator'], 'en')} ({number(r['mean_lost'], language='en')} of "
         f"{number(r['max_score'], decimals=0, language='en')} points lost per unit on average; {r['units_losing']} of {r['units']} units with figures lose points)")
        for r in rows.iter_rows(named=True)
    ], language)
    return Finding(f"Các {words} mất nhiều điểm nhất ở: {items}." if language == "vi"
                   else f"The {words} lose most points on: {items}.", "level_points_lost", level)
