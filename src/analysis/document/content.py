"""What the official report says (nội dung báo cáo), gathered from what the run already computed.

Every figure and sentence here comes from the scorecard, the indicator detail and the functions
the notebooks call (:mod:`analysis.tables` for the tables, :mod:`analysis.narrative` for the
sentences): the Word document and the HTML pages are made from the same values, so they cannot
disagree.  This module only chooses and orders them; :mod:`analysis.document.word` lays them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analysis import narrative, tables
from analysis.formatting import class_name, level_name, number, percent, short_unit_name
from analysis.methodology import Methodology
from analysis.periods import Period

LEVELS = ("department", "district", "commune")

CHARTS = {
    # chart file (charts/<name>.png|svg, written by the notebooks) → its caption
    "diem-nhom-chi-so": {"vi": "Điểm các nhóm chỉ số so với điểm tối đa", "en": "Group scores against their maxima"},
    "xep-hang-so-nganh": {"vi": "Tổng điểm các sở, ban, ngành", "en": "Departments' totals"},
    "phan-bo-xep-loai": {"vi": "Phân bố xếp loại các cơ quan, đơn vị", "en": "Classes of agencies and localities"},
}


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

    language: str
    scope_name: str
    period: Period
    headline: str
    group_sentences: list[str]
    count_sentences: list[str]
    groups: Table  # the six groups against their maxima (leadership summary)
    total_text: str  # ``59,92/100``
    class_text: str
    indicators: Table
    levels: list[LevelPart]
    achievements: list[str]
    shortcomings: list[str]
    recommendations: list[str]
    weakest_units: Table
    top_findings: list[str]
    charts: dict[str, Path] = field(default_factory=dict)  # chart name → file (SVG preferred)


_COMMITTEE = re.compile(r"^(ubnd|uỷ ban nhân dân|ủy ban nhân dân)\s+", re.IGNORECASE)
_KIND = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


def area_name(unit_name: str) -> str:
    """``UBND tỉnh Phú Thọ`` → ``tỉnh Phú Thọ`` (the area a committee governs)."""
    return _COMMITTEE.sub("", unit_name.strip())


def place_name(unit_name: str) -> str:
    """``UBND tỉnh Phú Thọ`` → ``Phú Thọ`` (the place of the date line)."""
    return _KIND.sub("", area_name(unit_name))


def _level_words(level: str, language: str) -> str:
    return level_name(level, language)


def group_rows(scorecard: pl.DataFrame, methodology: Methodology, scope: str, language: str) -> Table:
    """The groups of the scope against their maxima, plus the total (from :func:`tables.group_table`)."""
    groups = tables.group_table(scorecard, methodology, scope, language)
    root = tables.root_unit(scorecard, scope)
    vi = language == "vi"
    rows = [
        (row["name"], number(row["score"], language=language), number(row["max"], decimals=0, language=language),
         percent(row["share"], language=language))
        for row in groups.iter_rows(named=True)
    ]
    rows.append(("Tổng điểm" if vi else "Total", number(root["total"], language=language), "100",
                 percent(root["total"] / 100, language=language)))
    header = ["Nhóm chỉ số", "Điểm đạt", "Tối đa", "Tỷ lệ"] if vi else ["Indicator group", "Score", "Maximum", "Share"]
    return Table("", pl.DataFrame(rows, schema=header, orient="row"), name_column=0)


def weakest_units(scorecard: pl.DataFrame, methodology: Methodology, language: str, n: int = 5) -> Table:
    """The ``n`` units with the lowest totals among those that had dossiers (:func:`tables.weakest_units`)."""
    vi = language == "vi"
    weakest = tables.weakest_units(scorecard, n=n)
    rows = [
        (short_unit_name(r["unit_name"]) or r["unit_name"], _level_words(r["level"], language),
         f"{r['rank']}/{r['rank_of']}", number(r["total"], language=language),
         class_name(methodology, r["class"], language) or "-")
        for r in weakest.iter_rows(named=True)
    ]
    header = (["Đơn vị", "Cấp", "Hạng cùng cấp", "Tổng điểm", "Xếp loại"] if vi
              else ["Unit", "Level", "Rank in level", "Total", "Class"])
    return Table("", pl.DataFrame(rows, schema=header, orient="row"), name_column=0)


def assessment(
    scorecard: pl.DataFrame, detail: pl.DataFrame, period: Period, targets: dict[str, float], levels: list[str], language: str,
) -> tuple[list[str], list[str]]:
    """Section IV: what went well (targets every unit met, no overdue dossiers, no unit fell) and what did not.

    The sentences are :mod:`analysis.narrative`'s; a sentence is a shortcoming when the table it
    tells about (:func:`tables.below_target`, :func:`tables.overdue_by_unit`, :func:`tables.movers`)
    names units.
    """
    good: list[str] = []
    bad: list[str] = []
    for level in levels:
        table = tables.unit_table(scorecard, detail, level)
        for key, target in targets.items():
            if key not in narrative.TARGET_INDICATORS:
                continue
            sentence = narrative.target_sentence(table, key, target, level, language)
            if sentence:
                low = tables.below_target(table, narrative.TARGET_INDICATORS[key], target)
                (bad if low.height else good).append(sentence)
        (bad if tables.overdue_by_unit(table).height else good).append(narrative.overdue_sentence(table, level, language))
        moved = tables.movers(scorecard, level)
        if moved.height:
            fell = moved.filter(pl.col("delta_total") < 0).height
            (bad if fell else good).append(narrative.movers_sentence(scorecard, level, period, language))
    return good, bad


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
    language: str = "vi",
    national: pl.DataFrame | None = None,
    charts: Path | None = None,
) -> ReportContent:
    """The document's content for ``scope`` and ``period``; ``charts`` is the run's ``charts/`` folder."""
    root = tables.root_unit(scorecard, scope)
    levels = [lv for lv in LEVELS if scorecard.filter(pl.col("level") == lv).height]
    standing = tables.national_standing(national, scope) if national is not None else None
    vi = language == "vi"
    note = tables.NO_ACTIVITY_NOTE[language]
    parts: list[LevelPart] = []
    for i, level in enumerate(levels):  # Biểu số 01 is the indicators; then the unit tables, then the classifications
        heading = narrative.level_heading(level, language)
        units = Table(
            _table_title("units", heading, 2 + i, language),
            tables.display_unit_table(tables.unit_table(scorecard, detail, level), language),
            note,
        )
        classification = Table(
            _table_title("classes", heading, 2 + len(levels) + i, language),
            tables.display_classification(tables.classification_table(scorecard, methodology, level), methodology, language),
            note,
        )
        parts.append(LevelPart(level, heading, units, classification, narrative.class_sentence(scorecard, methodology, level, language)))
    good, bad = assessment(scorecard, detail, period, dict(targets), levels, language)
    recommendations = narrative.recommendations(scorecard, detail, methodology, scope=scope, language=language)
    indicators = tables.display_indicators(tables.indicator_table(detail, methodology, scope, language), language)
    return ReportContent(
        language=language,
        scope_name=root["unit_name"],
        period=period,
        headline=narrative.headline(root, methodology, period, standing=standing, language=language),
        group_sentences=narrative.group_sentences(tables.group_table(scorecard, methodology, scope, language), language),
        count_sentences=narrative.count_sentences(detail, scope, language),
        groups=group_rows(scorecard, methodology, scope, language),
        total_text=f"{number(root['total'], language=language)}/100",
        class_text=class_name(methodology, root["class"], language) or "-",
        indicators=Table(
            ("Biểu số 01\nCÁC CHỈ SỐ THÀNH PHẦN CỦA " if vi else "Table 01\nINDICATORS OF ") + area_name(root["unit_name"]).upper(),
            indicators,
        ),
        levels=parts,
        achievements=good,
        shortcomings=bad,
        recommendations=recommendations,
        weakest_units=weakest_units(scorecard, methodology, language),
        top_findings=recommendations[:3],
        charts=_chart_files(charts),
    )


def _table_title(kind: str, heading: str, n: int, language: str) -> str:
    if language == "vi":
        what = "KẾT QUẢ GIẢI QUYẾT HỒ SƠ TTHC" if kind == "units" else "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI"
        return f"Biểu số {n:02d}\n{what} — {heading.upper()}"
    what = "DOSSIERS AND ONLINE SERVICES" if kind == "units" else "SCORES AND CLASSES"
    return f"Table {n:02d}\n{what} — {heading.upper()}"
