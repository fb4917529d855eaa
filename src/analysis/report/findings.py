"""The findings of the report (nhận xét): where the points were lost, on how few cases, who holds
most of a problem, why the province scores below its own units, the good news, and what changed
against the previous period. Each function returns :class:`Finding` sentences (or ``None`` when
there is nothing to say); :func:`analysis.report.narrative.findings` puts them in order.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.contract import Language, level_words
from analysis.contract.periods import Period
from analysis.report import tables
from analysis.report.formatting import class_name, indicator_name, integer, number, percent, signed
from analysis.report.messages import text, words
from analysis.report.names import unit_name
from analysis.report.wording import in_sentence, join
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED


@dataclass(frozen=True)
class Finding:
    """One finding (nhận xét): its sentence, what it is about and the level it concerns."""

    text: str
    topic: str
    level: str | None = None

    def __str__(self) -> str:
        return self.text


def change_findings(
    series: pl.DataFrame | None, period: Period, level: str, language: Language = "vi", *, n: int = 5,
    methodology: Methodology,
) -> list[Finding]:
    """Against the previous period (from the multi-period scorecard): the units that fell most,
    rose most and changed class, every one named; a sentence saying so when that period is not held.
    """
    before = period.previous()
    named = {"words": level_words(level, language), "before": before.label(language)}
    moved = tables.compared(series, period.code, before.code, level) if series is not None else pl.DataFrame()
    if moved.is_empty():
        # nothing to compare: the same words as the narrative's
        return [Finding(text("narrative.movers_none", language, **named), "change", level)]
    out: list[Finding] = []

    def listed(rows: pl.DataFrame) -> str:
        return join([text("findings.unit_change", language, unit=unit_name(r["unit_name"], start=False),
                          change=signed(r["change"], language=language)) for r in rows.iter_rows(named=True)], language)

    for topic, rows in (("fell", moved.filter(pl.col("change") < 0).sort("change")),
                        ("rose", moved.filter(pl.col("change") > 0).sort("change", descending=True))):
        if rows.height:
            top = rows.head(n)
            out.append(Finding(text(f"findings.{topic}", language, n=rows.height, of=moved.height, top=top.height,
                                    names=listed(top), **named), topic, level))
    if not out:
        out.append(Finding(text("findings.unchanged", language, **named), "change", level))
    changed = moved.filter(pl.col("class_changed"))
    if changed.height:
        items = join([
            text("findings.class_change", language, unit=unit_name(r["unit_name"], start=False),
                 was=_class_word(r["class_before"], methodology, language), now=_class_word(r["class"], methodology, language))
            for r in changed.iter_rows(named=True)
        ], language)
        out.append(Finding(text("findings.class_changed", language, n=changed.height, items=items, **named), "class_changed", level))
    elif moved.height:
        out.append(Finding(text("findings.class_unchanged", language, **named), "class_changed", level))
    return out


def _class_word(code: str | None, methodology: Methodology, language: Language) -> str:
    return class_name(methodology, code, language) or "-"


def concentration_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, scope: str, language: Language = "vi") -> Finding | None:
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
    sentence = text("findings.concentration", language, name=unit_name(top["unit_name"]),
                    overdue=integer(top["overdue"], language), province=integer(province, language),
                    share=percent(top["share"], decimals=0, language=language),
                    received=integer(top["ON_TIME_den"], language), on_time=percent(top["ON_TIME_ratio"], language=language))
    return Finding(sentence, "overdue_concentration", None)


def few_cases_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, level: str,
                      language: Language = "vi", *, max_cases: int = 3, min_points: float = 4.0) -> Finding | None:
    """Units that lost many points over one to three cases (one late petition of one: the whole indicator)."""
    rows = tables.few_case_losses(detail, scorecard, level, max_cases=max_cases, min_points=min_points)
    if rows.is_empty():
        return None
    items = []
    for r in rows.iter_rows(named=True):
        what = join([
            text("findings.few_cases_indicator", language, indicator=in_sentence(indicator_name(methodology, i, language), language),
                 cases=integer(c, language), of=integer(d, language))
            for i, c, d in zip(r["indicators"], r["indicator_cases"], r["denominators"], strict=True)
        ], language)
        items.append(text("findings.few_cases_unit", language, unit=unit_name(r["unit_name"], start=False),
                          unit_start=unit_name(r["unit_name"]), lost=number(r["lost"], language=language),
                          rank=r["rank"], rank_of=r["rank_of"], what=what))
    return Finding(text("findings.few_cases", language, n=rows.height, words=level_words(level, language),
                        points=number(min_points, decimals=0, language=language), max_cases=max_cases, items="; ".join(items)),
                   "few_cases", level)


def province_finding(scorecard: pl.DataFrame, detail: pl.DataFrame, methodology: Methodology, scope: str, level: str,
                     language: Language = "vi") -> Finding | None:
    """When the province scores below most of its own units, why: the indicators it loses and they do not."""
    above, active, gaps = tables.province_against_level(scorecard, detail, scope, level)
    if not active or above * 2 <= active or gaps.is_empty():
        return None
    root = tables.root_unit(scorecard, scope)
    reasons = join([
        text("findings.province_reason", language, indicator=in_sentence(indicator_name(methodology, r["indicator"], language), language),
             lost=number(r["lost"], language=language), median=number(r["lost_median"], language=language))
        for r in gaps.iter_rows(named=True)
    ], language)
    return Finding(text("findings.province_below", language, total=number(root["total"], language=language), above=above,
                        active=active, words=level_words(level, language), reasons=reasons), "province_below_units", level)


def points_lost_finding(detail: pl.DataFrame, methodology: Methodology, scope: str, language: Language = "vi", *, n: int = 4) -> Finding | None:
    """Where the province lost its points, largest first."""
    weakest = tables.weakest_indicators(detail, methodology, scope, n=n)
    if weakest.is_empty():
        return None
    items = []
    for r in weakest.iter_rows(named=True):
        name = indicator_name(methodology, r["indicator"], language)
        lost = number(r["lost"], language=language)
        if r["ratio"] is None:
            items.append(text("findings.lost_unmeasured", language, name=name, lost=lost))
        else:
            items.append(text("findings.lost_measured", language, name=name, lost=lost, ratio=percent(r["ratio"], language=language)))
    return Finding(text("findings.points_lost", language, n=weakest.height, total=number(weakest["lost"].sum(), language=language),
                        items="; ".join(items)), "points_lost")


GOOD_NEWS = ("ON_TIME", "DOSSIER_RECEIVING_SATISFACTION")
"""Indicators whose full marks are good news worth a sentence (findings.good_news_what names them)."""


def good_news(table: pl.DataFrame, level: str, language: Language = "vi", *, methodology: Methodology) -> list[Finding]:
    """Units at full marks on time and on satisfaction (the seeds' "7 sở đạt 100 % đúng hạn"), every one
    named, and the unit with the highest total."""
    out = []
    level_text = level_words(level, language)
    what = words("findings.good_news_what", language)
    for indicator in GOOD_NEWS:
        rows = tables.full_marks(table, indicator)
        if rows.is_empty():
            continue
        names = join([unit_name(n, start=False) for n in rows["unit_name"].to_list()], language)
        out.append(Finding(text("findings.good_news", language, n=rows.height, words=level_text, what=what[indicator], names=names),
                           "good_news", level))
    best = table.filter(GRADED & (pl.col("rank") == 1))
    if best.height:
        names = join([unit_name(n, start=False) for n in best["unit_name"].to_list()], language)
        out.append(Finding(text("findings.best_total", language, words=level_text, names=names,
                                total=number(best["total"][0], language=language),
                                klass=_class_word(best["class"][0], methodology, language)), "good_news", level))
    return out


def level_points_finding(detail: pl.DataFrame, scorecard: pl.DataFrame, methodology: Methodology, level: str,
                         language: Language = "vi") -> Finding | None:
    """Where the units of a level lose their points: the indicators with the largest mean loss per unit."""
    rows = tables.level_points_lost(detail, scorecard, level)
    if rows.is_empty():
        return None
    items = join([
        text("findings.level_lost_item", language, indicator=in_sentence(indicator_name(methodology, r["indicator"], language), language),
             lost=number(r["mean_lost"], language=language), max=number(r["max_score"], decimals=0, language=language),
             losing=r["units_losing"], units=r["units"])
        for r in rows.iter_rows(named=True)
    ], language)
    return Finding(text("findings.level_lost", language, words=level_words(level, language), items=items), "level_points_lost", level)
