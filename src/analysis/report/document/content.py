"""What the official report says (nội dung báo cáo), gathered from what the run already computed.

Every figure and sentence here comes from the scorecard, the indicator detail and the functions
the notebooks call (:mod:`analysis.report.tables` for the tables, :mod:`analysis.report.narrative` for the
sentences): the Word document and the HTML pages are made from the same values, so they cannot
disagree.  This module only chooses and orders them; :mod:`analysis.report.document.word` lays them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from analysis.contract import Language
from analysis.contract.periods import Period
from analysis.report import narrative, tables
from analysis.report.formatting import number, percent
from analysis.report.messages import text, words
from analysis.scoring.methodology import Methodology

LEVELS = ("department", "district", "commune")

CHARTS = ("diem-nhom-chi-so", "so-nganh-xep-hang", "phan-bo-xep-loai")
"""Chart files (``charts/<name>.png|svg``, written by the notebooks) the document shows; their
captions are ``document.chart_caption.<name>`` in the message catalogue."""


@dataclass(frozen=True)
class Table:
    """A table of the document (Biểu số NN): title, header and rows of text, a footnote."""

    title: str
    frame: pl.DataFrame  # every cell text (numbers already in the report's style), header = columns
    footnote: str | None = None
    name_column: int = 1  # the column that holds names (left-aligned, widest)


@dataclass(frozen=True)
class LevelPart:
    """One level's part of sections II and III: its unit table, classification and class sentence."""

    level: str
    heading: str
    units: Table
    classification: Table
    class_sentence: str


@dataclass(frozen=True)
class ReportContent:
    """Everything the document shows, as text and small frames of text."""

    language: Language
    scope_name: str
    period: Period
    headline: str
    caveats: list[str]
    group_sentences: list[str]
    count_sentences: list[str]
    groups: Table  # the six groups against their maxima (leadership summary)
    indicators: Table
    levels: list[LevelPart]
    achievements: list[str]
    shortcomings: list[str]
    recommendations_intro: str
    recommendations: list[tuple[str, list[str]]]  # addressee → what is asked of them
    weakest_units: list[str]
    top_findings: list[str]
    charts: dict[str, Path] = field(default_factory=dict)  # chart name → file (SVG preferred)
    published_scores: bool = False  # the scope's scores are a published table's, not the portal's recomputed
    source: str | None = None  # where the figures come from (the ``data_source`` parameter): None for the portal


_COMMITTEE = re.compile(r"^(ubnd|uỷ ban nhân dân|ủy ban nhân dân)\s+", re.IGNORECASE)
_KIND = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


def area_name(unit_name: str) -> str:
    """``UBND tỉnh Phú Thọ`` → ``tỉnh Phú Thọ`` (the area a committee governs)."""
    return _COMMITTEE.sub("", unit_name.strip())


def place_name(unit_name: str) -> str:
    """``UBND tỉnh Phú Thọ`` → ``Phú Thọ`` (the place of the date line)."""
    return _KIND.sub("", area_name(unit_name))


def group_rows(scorecard: pl.DataFrame, methodology: Methodology, scope: str, language: Language) -> Table:
    """The groups of the scope against their maxima, plus the total (from :func:`tables.group_table`)."""
    groups = tables.group_table(scorecard, methodology, scope, language)
    root = tables.root_unit(scorecard, scope)
    rows = [
        (row["name"], number(row["score"], language=language), number(row["max"], decimals=0, language=language),
         percent(row["share"], language=language))
        for row in groups.iter_rows(named=True)
    ]
    rows.append((text("document.groups_total", language), number(root["total"], language=language), "100",
                 percent(root["total"] / 100, language=language)))
    header = list(words("document.groups_header", language).values())
    return Table("", pl.DataFrame(rows, schema=header, orient="row"), name_column=0)


GOOD_TOPICS = frozenset({"good_news", "rose"})
"""Findings that tell what went well (``analysis.report.findings`` topics)."""


def assessment(findings: list, scorecard: pl.DataFrame, detail: pl.DataFrame, targets: dict[str, float]) -> tuple[list[str], list[str]]:
    """Section IV: the report's findings split into what went well and what did not.

    Good news and units that rose are achievements; so is a target every unit of a level met
    (:func:`tables.below_target` names none) and a level with no overdue dossier
    (:func:`tables.overdue_by_unit` names none).  Every other finding is a shortcoming.
    """
    good: list[str] = []
    bad: list[str] = []
    units = {}
    for finding in findings:
        level = finding.level
        if level is not None and level not in units:
            units[level] = tables.unit_table(scorecard, detail, level)
        well = finding.topic in GOOD_TOPICS
        if finding.topic.startswith("target_") and level is not None:
            key = finding.topic.removeprefix("target_")
            indicator = narrative.TARGET_INDICATORS.get(key)
            well = indicator is not None and key in targets and tables.below_target(units[level], indicator, targets[key]).is_empty()
        elif finding.topic == "overdue" and level is not None:
            well = tables.overdue_by_unit(units[level]).is_empty()
        (good if well else bad).append(finding.text)
    return good, bad


def addressed(recommendations: list) -> list[tuple[str, list[str]]]:
    """Recommendations grouped under their addressees, in the order they first appear."""
    blocks: dict[str, list[str]] = {}
    for rec in recommendations:
        blocks.setdefault(rec.addressee, []).append(rec.text)
    return list(blocks.items())


def _chart_files(charts: Path | None) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for name in CHARTS:
        for suffix in (".svg", ".png"):
            path = charts / f"{name}{suffix}" if charts else None
            if path is not None and path.is_file():
                found[name] = path
                break
    return found


def gather(
    scorecard: pl.DataFrame,
    detail: pl.DataFrame,
    methodology: Methodology,
    *,
    scope: str,
    period: Period,
    targets: dict[str, float],
    language: Language = "vi",
    national: pl.DataFrame | None = None,
    series: pl.DataFrame | None = None,
    as_of: date | None = None,
    charts: Path | None = None,
    source: str | None = None,
) -> ReportContent:
    """The document's content for ``scope`` and ``period``; ``charts`` is the run's ``charts/`` folder.

    The sentences are :func:`analysis.report.narrative.report_text`'s, called as the scorecard notebook calls it.
    """
    root = tables.root_unit(scorecard, scope)
    levels = [lv for lv in LEVELS if scorecard.filter(pl.col("level") == lv).height]
    said = narrative.report_text(scorecard, detail, methodology, scope=scope, period=period, targets=dict(targets),
                                 national=national, series=series, as_of=as_of, language=language, source=source)
    parts: list[LevelPart] = []
    for i, level in enumerate(levels):  # Biểu số 01 is the indicators; then the unit tables, then the classifications
        heading = narrative.level_heading(level, language)
        unit_table = tables.unit_table(scorecard, detail, level)
        units = Table(
            _table_title("units", heading, 2 + i, language),
            tables.display_unit_table(unit_table, language),
            tables.unit_table_note(unit_table, language),
        )
        classification = Table(
            _table_title("classes", heading, 2 + len(levels) + i, language),
            tables.display_classification(tables.classification_table(scorecard, methodology, level), methodology, language),
            text("tables.no_activity_note", language),
        )
        parts.append(LevelPart(level, heading, units, classification, narrative.class_sentence(scorecard, methodology, level, language)))
    good, bad = assessment(said.findings, scorecard, detail, dict(targets))
    indicators = tables.display_indicators(tables.indicator_table(detail, methodology, scope, language), language)
    return ReportContent(
        language=language,
        scope_name=root["unit_name"],
        period=period,
        headline=said.headline,
        caveats=said.caveats,
        group_sentences=said.groups,
        count_sentences=said.counts,
        groups=group_rows(scorecard, methodology, scope, language),
        indicators=Table(
            text("document.indicators_title", language, AREA=area_name(root["unit_name"]).upper()),
            indicators,
        ),
        levels=parts,
        achievements=good,
        shortcomings=bad,
        recommendations_intro=said.recommendations_intro,
        recommendations=addressed(said.recommendations),
        weakest_units=narrative.weakest_units(scorecard, methodology, language),
        top_findings=[f.text for f in said.findings[:3]],
        charts=_chart_files(charts),
        published_scores="total" in (root.get("published_groups") or "").split(","),
        source=source,
    )


def _table_title(kind: str, heading: str, n: int, language: Language) -> str:
    return text(f"document.{kind}_title", language, n=f"{n:02d}", HEADING=heading.upper())
