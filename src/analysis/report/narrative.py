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

from analysis.contract import Language
from analysis.contract.periods import Period, parse_period
from analysis.report import tables
from analysis.report.findings import (
    Finding,
    change_findings,
    concentration_finding,
    few_cases_finding,
    good_news,
    level_points_finding,
    level_words,
    points_lost_finding,
    province_finding,
)
from analysis.report.formatting import bilingual, class_name, date_vi, integer, number, percent, signed
from analysis.report.messages import text, words
from analysis.report.names import unit_name
from analysis.report.wording import in_sentence, join, lower_first, source_words
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED

TARGET_INDICATORS = {
    "on_time": "ON_TIME",
    "online_dossier": "ONLINE_DOSSIER",
    "online_payment": "PAYMENT_DOSSIER",
    "satisfaction": "DOSSIER_RECEIVING_SATISFACTION",
    "digitised": "SO_HOA_GIAY_TO_GIAI_QUYET",
}
"""Report targets (parameters ``targets``) and the indicator whose ratio each one is about
(their words: ``narrative.target_words`` in the catalogue)."""

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


def name_list(names: Sequence[str], language: Language = "vi") -> str:
    """``A, B và C``: every name (an official document names every unit it speaks of)."""
    return join(names, language)


def _name(name: str | None) -> str:
    return unit_name(name, start=True)


def _class(methodology: Methodology, code: str | None, language: Language) -> str:
    return class_name(methodology, code, language) or "-"


def _change(points: float | None, before: Period, language: Language) -> str | None:
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
    language: Language = "vi",
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
    values = {"name": name, "period": period.label(language), "total": number(root["total"], language=language), "change": change}
    if root["class"] is None:
        sentence = text("narrative.headline_unclassed", language, **values)
    else:
        sentence = text("narrative.headline", language, klass=_class(methodology, root["class"], language), **values)
    if standing is not None:
        day = date_vi(standing.as_of, language)
        if standing.is_of(period.code):
            sentence += text("narrative.rank_same_period", language, period=period.label(language), date=day, rank=standing.rank, of=standing.of)
        else:
            sentence += text("narrative.rank_not_held", language, period=period.label(language), date=day)
    return sentence[0].upper() + sentence[1:]


def group_sentences(groups: pl.DataFrame, language: Language = "vi") -> list[str]:
    """``Nhóm chỉ số …: 7,96/18 điểm (44,22 % số điểm tối đa).`` for each group."""
    return [
        text("narrative.group_line", language, name=row["name"], name_lower=row["name"].lower(),
             score=f"{number(row['score'], language=language)}/{number(row['max'], decimals=0, language=language)}",
             share=percent(row["share"], language=language))
        for row in groups.iter_rows(named=True)
    ]


def class_sentence(scorecard: pl.DataFrame, methodology: Methodology, level: str, language: Language = "vi") -> str:
    """``Kết quả xếp loại sở, ban, ngành: 1/13 đơn vị xếp loại Khá, …; 2 đơn vị không phát sinh hồ sơ …``.

    Only units with dossiers are classed; the others are named as not classed.
    """
    units = scorecard.filter(pl.col("level") == level)
    active = units.filter(GRADED)
    counts = [(c, n) for c, n in tables.class_counts(scorecard, methodology, level).iter_rows() if n]
    inactive = units.filter(~GRADED)
    names = join([_name(n) for n in sorted(inactive["unit_name"].to_list())], language)
    parts = [text("narrative.class_first", language, n=n, of=active.height, klass=_class(methodology, c, language)) if i == 0
             else text("narrative.class_next", language, n=n, klass=_class(methodology, c, language)) for i, (c, n) in enumerate(counts)]
    sentence = text("narrative.classes", language, words=level_words(level, language),
                    parts="; ".join(parts) or text("narrative.classes_none", language))
    if inactive.height:
        sentence += "; " + text("narrative.inactive_units", language, n=inactive.height, names=names)
    return sentence + "."


def _rate_list(rows: pl.DataFrame, ratio: str, language: Language) -> list[str]:
    return [f"{unit_name(n, start=False)} ({percent(r, language=language)})" for n, r in rows.select("unit_name", ratio).iter_rows()]


def target_sentence(table: pl.DataFrame, target_key: str, target: float, level: str, language: Language = "vi") -> str | None:
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
    named = {"measured": measured_rows.height, "what": words("narrative.target_words", language)[target_key],
             "words": level_words(level, language), "goal": percent(target, decimals=0, language=language)}
    if low.is_empty():
        return text("narrative.target_all", language, **named)
    if low.height == measured_rows.height:
        best = measured_rows.sort(ratio, descending=True).head(1)
        return text("narrative.target_none", language, top=_rate_list(best, ratio, language)[0], **named)
    return text("narrative.target_some", language, n=low.height, names=join(_rate_list(low, ratio, language), language), **named)


def overdue_sentence(table: pl.DataFrame, level: str, language: Language = "vi", *, limit: int = 5) -> str:
    """Overdue dossiers of a level, and the ``limit`` units with most of them (said to be the top ones)."""
    overdue = tables.overdue_by_unit(table)
    level_text = level_words(level, language)
    unknown = table.filter(pl.col("ON_TIME_den").is_null()).height
    if overdue.is_empty():
        if unknown == table.height:  # published group scores without counts: not known, not none
            return text("narrative.overdue_unknown", language, words=level_text)
        if unknown:
            return text("narrative.overdue_partly_known", language, known=table.height - unknown, words=level_text, unknown=unknown)
        return text("narrative.overdue_none", language, words=level_text)
    top = overdue.head(limit)
    names = join([f"{unit_name(n, start=False)} ({integer(v, language=language)})" for n, v in top.select("unit_name", "overdue").iter_rows()], language)
    return text("narrative.overdue_some", language, words=level_text, words_start=level_text.capitalize(),
                total=integer(overdue["overdue"].sum(), language), units=overdue.height, top=top.height, names=names)


def movers_sentence(scorecard: pl.DataFrame, level: str, period: Period, language: Language = "vi", *, limit: int = 5) -> str:
    """Units whose total fell (giảm điểm) against the previous period, or that there is nothing to compare."""
    moved = tables.movers(scorecard.filter(GRADED), level)
    named = {"words": level_words(level, language), "before": period.previous().label(language)}
    if moved.is_empty():
        return text("narrative.movers_none", language, **named)
    fell = moved.filter(pl.col("delta_total") < 0)
    if fell.is_empty():
        return text("narrative.movers_no_fall", language, **named)
    top = fell.head(limit)
    names = join([f"{unit_name(n, start=False)} ({number(d, language=language)})" for n, d in top.select("unit_name", "delta_total").iter_rows()], language)
    return text("narrative.movers_some", language, n=fell.height, of=moved.height, top=top.height, names=names, **named)


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
    language: Language = "vi",
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
    code: str = root["unit_code"]
    for item in (points_lost_finding(detail, methodology, code, language), concentration_finding(scorecard, detail, code, language)):
        if item is not None:
            out.append(item)
    for level in levels:
        if scorecard.filter(pl.col("level") == level).is_empty():
            continue
        if (item := province_finding(scorecard, detail, methodology, code, level, language)) is not None:
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


def no_recommendations(language: Language = "vi") -> str:
    """What the recommendations say when the figures name nothing to act on (published group scores without counts)."""
    return text("narrative.no_recommendations", language)


def no_units_sentence(language: Language = "vi") -> str:
    """Under a per-unit section when the source has the province alone (no department or commune)."""
    return text("narrative.no_units", language)


def recommendations_intro(period: Period, language: Language = "vi") -> str:
    """The sentence that opens the recommendations, as the provincial office writes it."""
    return text("narrative.recommendations_intro", language, period=period.label(language))


def _level_recommendations(scorecard: pl.DataFrame, detail: pl.DataFrame, level: str, language: Language) -> list[Recommendation]:
    """A level's recommendations: clear the overdue dossiers (the units holding half of them named),
    watch the few cases that cost many points, and check the units that received no dossiers."""
    to = text(f"narrative.addressee.{level}", language)
    out: list[Recommendation] = []
    overdue = tables.overdue_by_unit(tables.unit_table(scorecard, detail, level))
    if overdue.height:
        held = float(overdue["overdue"].sum())
        half = overdue.filter(pl.col("overdue").cum_sum().shift(1, fill_value=0) < held / 2)
        names = join([f"{unit_name(x, start=False)} ({integer(v, language)})" for x, v in half.select("unit_name", "overdue").iter_rows()], language)
        share = percent(float(half["overdue"].sum()) / held, decimals=0, language=language)
        out.append(Recommendation(to, text("narrative.rec_overdue", language, units=overdue.height, half=half.height, share=share, names=names)))
    few = tables.few_case_losses(detail, scorecard, level)
    if few.height:
        names = join([unit_name(x, start=False) for x in few["unit_name"].to_list()], language)
        out.append(Recommendation(to, text("narrative.rec_few_cases", language, names=names)))
    inactive = scorecard.filter((pl.col("level") == level) & ~GRADED)
    if inactive.height:
        names = join([unit_name(x, start=False) for x in inactive["unit_name"].to_list()], language)
        out.append(Recommendation(to, text("narrative.rec_inactive", language, names=names, names_start=names[:1].upper() + names[1:])))
    return out


def recommendations(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    scope: str,
    targets: dict[str, float] | None = None,
    language: Language = "vi",
    n: int = 4,
    source: str | None = None,
) -> list[Recommendation]:
    """What to act on, addressed as the reports address it, every unit concerned named (``source``:
    the figures' source, see :func:`source_words`)."""
    out: list[Recommendation] = []
    weakest = tables.weakest_indicators(detail, methodology, scope, n=n)
    measured = [r for r in weakest.iter_rows(named=True) if r["ratio"] is not None]
    missing = [r for r in weakest.iter_rows(named=True) if r["ratio"] is None]
    if measured:
        items = join([text("narrative.rec_indicator", language, indicator=_indicator(r, language), ratio=percent(r["ratio"], language=language),
                           lost=number(r["lost"], language=language)) for r in measured], language)
        out.append(Recommendation(text("narrative.addressee.all", language), text("narrative.rec_weakest", language, items=items)))
    for level in ("department", "district", "commune"):
        if scorecard.filter(pl.col("level") == level).height:
            out.extend(_level_recommendations(scorecard, detail, level, language))
    if missing:
        items = join([_indicator(r, language) for r in missing], language)
        out.append(Recommendation(text("narrative.addressee.system", language), text(
            "narrative.rec_missing", language, items=items, lost=number(sum(r["lost"] for r in missing), language=language),
            source=source_words(source, language))))
    return out


def _indicator(row: dict, language: Language) -> str:
    """An indicator's name inside a sentence, from a row of :func:`tables.weakest_indicators`."""
    return in_sentence(bilingual(row, "indicator_name", language), language)


def _capture_caveat(period: Period, as_of: date | None, language: Language, source: str | None = None) -> str:
    """When the figures were captured, and whether the period had closed then."""
    named = source_words(source, language)
    if as_of is None:
        span = text("narrative.span", language, start=date_vi(period.start, language), end=date_vi(period.end, language))
        return text("narrative.no_capture_date", language, period=period.label(language), span=span, source=named)
    closed = as_of > period.end
    return text("narrative.captured_closed" if closed else "narrative.captured_open", language,
                date=date_vi(as_of, language), source=named)


def _platform_caveat(scorecard: pl.DataFrame, methodology: Methodology, language: Language) -> str:
    """The 2026 platform change, and why most units of a level may share one class."""
    sentence = text("narrative.platform_2026", language)
    for level in ("department", "commune"):
        counts = tables.class_counts(scorecard, methodology, level)
        active = int(counts["units"].sum())
        if active >= 10:
            top = counts.sort("units", descending=True).row(0, named=True)
            if top["units"] * 10 >= active * 8:
                sentence += text("narrative.platform_same_class", language, n=top["units"], of=active,
                                 words=level_words(level, language), klass=_class(methodology, top["class"], language))
    return sentence


def caveats(
    scorecard: pl.DataFrame,
    methodology: Methodology,
    *,
    period: Period,
    as_of: date | None = None,
    language: Language = "vi",
    source: str | None = None,
) -> list[str]:
    """What a reader must know before quoting the figures: capture date and whether the period is
    closed, the 2026 platform change, and that the class bands are not from an official text
    (``source``: the figures' source, see :func:`source_words`)."""
    out = []
    shown = scorecard.filter(pl.col("published_groups").str.contains("total").fill_null(False)) if "published_groups" in scorecard.columns else scorecard.clear()
    if shown.height:
        names = join([unit_name(n, start=False) for n in shown["unit_name"].head(3).to_list()]
                     + ([f"{shown.height - 3} {text('narrative.units', language)}"] if shown.height > 3 else []), language)
        out.append(text("narrative.published_scores", language, n=shown.height, names=names))
    if as_of is not None or not shown.height:  # (a table transcribed from a report has no portal capture to date)
        out.append(_capture_caveat(period, as_of, language, source))
    if period.start.year >= 2026:
        out.append(_platform_caveat(scorecard, methodology, language))
    bands = ", ".join(text("narrative.band", language, klass=_class(methodology, b.code, language),
                           min=number(b.min, decimals=0, language=language))
                      for b in sorted(methodology.classes, key=lambda b: -b.min) if b.min > 0)
    out.append(text("narrative.bands", language, bands=bands))
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
    language: Language = "vi",
    source: str | None = None,
) -> ReportText:
    """Every sentence of the report's text for one period, ready for the HTML page or a Word document
    (``source``: the ``data_source`` parameter, where the figures come from; the national portal by default)."""
    root = tables.root_unit(scorecard, scope)
    standing = tables.national_standing(national, scope) if national is not None else None
    levels = [lv for lv in ("department", "district", "commune") if scorecard.filter(pl.col("level") == lv).height]
    recs = recommendations(scorecard, detail, methodology, scope=scope, targets=targets, language=language, source=source)
    return ReportText(
        headline=headline(root, methodology, period, standing=standing, series=series, language=language),
        caveats=caveats(scorecard, methodology, period=period, as_of=as_of, language=language, source=source),
        groups=group_sentences(tables.group_table(scorecard, methodology, scope, language), language),
        counts=count_sentences(detail, scope, language),
        findings=findings(scorecard, detail, methodology, period=period, targets=targets, levels=levels, scope=scope,
                          series=series, language=language),
        recommendations_intro=recommendations_intro(period, language) if recs else no_recommendations(language),
        recommendations=recs,
    )


def weakest_units(scorecard: pl.DataFrame, methodology: Methodology, language: Language = "vi", *, n: int = 5) -> list[str]:
    """The ``n`` units with the lowest totals among those with dossiers, one line each:
    ``Xã Tam Dương Bắc: 48,47 điểm, Yếu, hạng 148/148 xã, phường``."""
    graded = tables.graded(scorecard).filter(pl.col("parent_code").is_not_null() & GRADED).sort("total").head(n)
    return [
        text("narrative.weakest_unit", language, unit=unit_name(r["unit_name"]), total=number(r["total"], language=language),
             klass_then=f"{_class(methodology, r['class'], language)}, " if r["class"] else "", rank=r["rank"], rank_of=r["rank_of"],
             words=level_words(r["level"], language))
        for r in graded.iter_rows(named=True)
    ]


def channel_source_sentence(level: str, origin: str | None, language: Language = "vi", *, source: str | None = None) -> str:
    """Where the per-unit online and in-person counts come from: the facts (``origin`` ``"portal"``:
    the run's figures, from ``source``, the national portal by default), the province's own
    system (``"local"``), or nowhere."""
    level_text = level_words(level, language)
    named = source_words(source, language)
    if origin in ("portal", "local"):
        return text(f"narrative.channels_{origin}", language, words=level_text, source=named)
    return text("narrative.channels_none", language, words=level_text, word=level_text.split(",")[0], source=named)


def addressed(recs: Sequence[Recommendation]) -> str:
    """Recommendations grouped under their addressees, numbered as the reports number them (Markdown)."""
    blocks: dict[str, list[str]] = {}
    for rec in recs:
        blocks.setdefault(rec.addressee, []).append(rec.text)
    return "\n\n".join(f"{i}. **{who}**\n\n" + "\n".join(f"   - {t}" for t in texts) for i, (who, texts) in enumerate(blocks.items(), start=1))


def section(key: str, language: Language = "vi") -> str:
    """A section heading of the reports, in the report's language."""
    return text(f"narrative.section.{key}", language)


def level_heading(level: str, language: Language = "vi") -> str:
    return section({"department": "departments", "commune": "communes", "district": "districts"}[level], language)


def count_sentences(
    detail: pl.DataFrame, unit_code: str, language: Language = "vi", *, provisional: Collection[str] = PROVISIONAL_DENOMINATORS,
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

    def shown(num: float, den: float) -> dict[str, str]:
        return {"n": integer(num, language), "of": integer(den, language), "share": percent(num / den, language=language)}

    out: list[str] = []
    if c := counts("ON_TIME"):
        num, den = c
        out.append(text("narrative.count_on_time", language, received=integer(den, language), on_time=integer(num, language),
                        share=percent(num / den, language=language), overdue=integer(den - num, language)))
    if c := counts("DOSSIER_SYNC"):
        num, den = c
        if "DOSSIER_SYNC" in provisional and num == den:  # the portal's provisional denominator equals the numerator
            out.append(text("narrative.count_sync_provisional", language, synced=integer(num, language)))
        else:
            out.append(text("narrative.count_sync", language, synced=integer(num, language), not_synced=integer(den - num, language)))
    if c := counts("ONLINE_DOSSIER"):
        num, den = c
        parts = [text("narrative.channel_online", language, n=integer(num, language), share=percent(num / den, language=language))]
        for channel, indicator in (("direct", "DIRECT_DOSSIER"), ("postal", "POSTAL_DOSSIER")):
            if found := counts(indicator):
                parts.append(text(f"narrative.channel_{channel}", language, n=integer(found[0], language)))
        out.append(text("narrative.count_channels", language, known=integer(den, language), parts=", ".join(parts)))
    if c := counts("PAYMENT_DOSSIER"):
        num, den = c
        out.append(text("narrative.count_payment", language, fees=integer(den, language), paid=integer(num, language),
                        share=percent(num / den, language=language)))
    if c := counts("SO_HOA_GIAY_TO_GIAI_QUYET"):
        sentence = text("narrative.count_digitised", language, **shown(*c))
        if result := counts("ORIGINAL_RESULT_AVAILABLE"):
            sentence += text("narrative.count_results", language, **shown(*result))
        out.append(sentence + ".")
    if c := counts("PETITION_PROCESSING_ON_TIME"):
        num, den = c
        out.append(text("narrative.count_petitions", language, received=integer(den, language), on_time=integer(num, language),
                        share=percent(num / den, language=language)))
    return out


def bullets(lines: Sequence[object]) -> str:
    """Markdown bullet list (of sentences, :class:`Finding` or :class:`Recommendation`)."""
    return "\n".join(f"- {line}" for line in lines)


def national_movers(national: pl.DataFrame, scope: str, language: Language = "vi", *, n: int = 3) -> list[str]:
    """Between the first and last national capture: the province's change, and the biggest risers and fallers."""
    frame = national.with_columns(pl.col("date").cast(pl.String).str.to_date())
    first, last = frame["date"].min(), frame["date"].max()
    if first == last:
        return []
    a = frame.filter(pl.col("date") == first).select("unit_code", "unit_name", pl.col("total").alias("a"), pl.col("rank").alias("ra"))
    b = frame.filter(pl.col("date") == last).select("unit_code", pl.col("total").alias("b"), pl.col("rank").alias("rb"))
    moved = a.join(b, on="unit_code").with_columns((pl.col("b") - pl.col("a")).round(2).alias("change")).sort("change", descending=True)
    span = text("narrative.national_span", language, first=date_vi(first, language), last=date_vi(last, language))
    out: list[str] = []
    own = moved.filter(pl.col("unit_code") == scope)
    if own.height:
        r = own.row(0, named=True)
        out.append(text("narrative.national_own", language, name=r["unit_name"], span=span, before=number(r["a"], language=language),
                        after=number(r["b"], language=language), change=signed_words(r["change"], language),
                        rank_before=r["ra"], rank_after=r["rb"], of=b.height))
    up = [f"{unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") > 0).head(n).select("unit_name", "change").iter_rows()]
    down = [f"{unit_name(x)} ({signed(c, language=language)})" for x, c in moved.filter(pl.col("change") < 0).sort("change").head(n).select("unit_name", "change").iter_rows()]
    if up:
        out.append(text("narrative.national_risers", language, span=span, names=", ".join(up)))
    if down:
        out.append(text("narrative.national_fallers", language, span=span, names=", ".join(down)))
    return out


def signed_words(change: float, language: Language = "vi") -> str:
    """``tăng 0,13 điểm`` / ``giảm 0,40 điểm`` / ``không đổi``."""
    if not change:
        return text("narrative.points_unchanged", language)
    return text("narrative.points_change", language, verb=text("narrative.up" if change > 0 else "narrative.down", language),
                points=number(abs(change), language=language))


def periods_sentence(scorecard: pl.DataFrame, period: Period, language: Language = "vi") -> str:
    """Which periods the scored data holds, and what a trend needs."""
    periods = sorted(scorecard["period"].unique().to_list())
    if len(periods) <= 1:
        return text("narrative.one_period", language, period=period.label(language))
    labels = join([parse_period(p).label(language) for p in periods], language)
    return text("narrative.periods", language, n=len(periods), labels=labels)


def focus_heading(row: dict, *, chosen: bool, language: Language = "vi") -> tuple[str, str]:
    """Heading and lead of the peer comparison: the unit chosen in the parameters, or the lowest-ranked one."""
    name = unit_name(row["unit_name"])
    if row.get("rank_of") == 1 and row.get("level") == "province":  # a source of the province alone
        why = text("narrative.focus_province_alone", language, name=name, name_in_sentence=lower_first(name))
        return text("narrative.focus_groups_heading", language, name=name), why
    heading = text("narrative.focus_heading", language, name=name)
    if row.get("active") is False:
        return heading, text("narrative.focus_inactive", language, name=name)
    why = text("narrative.focus_chosen" if chosen else "narrative.focus_lowest", language, name=name,
               total=number(row["total"], language=language), rank=row["rank"], rank_of=row["rank_of"])
    return heading, why


__all__ = [
    "Finding", "Recommendation", "ReportText", "report_text", "headline", "findings", "recommendations",
    "recommendations_intro", "no_recommendations", "no_units_sentence", "caveats", "addressed", "weakest_units", "channel_source_sentence", "source_words", "count_sentences", "group_sentences", "class_sentence",
]
