"""The official report as a Word document (báo cáo theo thể thức Nghị định 30/2020/NĐ-CP).

Each report run writes ``bao-cao-<scope_slug>-<period>.docx`` (``report-…docx`` in English): a
one-page summary for the leadership, then the report a clerk numbers, signs and sends — national
heading and motto, issuing body, ``Số: …/BC-…``, place and date; the title; I. the overall result,
II. the per-unit tables, III. the classification, IV. the assessment, V. the proposals; the
recipients and the signature as placeholders.  Its content is :mod:`analysis.report.document.content`
(the scorecard, the detail and the report's sentences); its layout :mod:`analysis.report.document.word`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from analysis.contract.periods import parse_period
from analysis.io.load import write_bytes_atomic
from analysis.report.document import word
from analysis.report.document.content import ReportContent, Table, area_name, gather, place_name
from analysis.report.formatting import date_vi
from analysis.report.messages import text

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document

    from analysis.params import Parameters
    from analysis.scoring.methodology import Methodology
    from analysis.scoring.score import Scored

DEFAULT_DOCUMENT_CODE = "BC-VP"
"""``Số: …/BC-VP``: a report (BC) of the provincial committee's office (VP)."""

@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: the issuing body's lines (superior body first), its code, place and year."""

    issuing_body: tuple[str, ...]
    code: str = DEFAULT_DOCUMENT_CODE
    place: str = ""
    year: int = 0


def document_name(scope_slug: str, period: str, language: str = "vi") -> str:
    """``bao-cao-phu-tho-2026-08.docx`` (``report-phu-tho-2026-08.docx`` in English)."""
    return f"{text('document.file', language)}-{scope_slug}-{period}.docx"


def period_words(content: ReportContent) -> str:
    """``tháng 8 năm 2026`` (the title's form) or the period's label."""
    period = content.period
    if period.kind == "month":
        return text("document.period_in_title", content.language, month=str(period.start.month), year=str(period.start.year),
                    label=period.label(content.language))
    return period.label(content.language)


def _bullets(doc: Document, lines: list[str], none: str) -> None:
    for line in lines or [none]:
        word.paragraph(doc, f"- {line}" if lines else line)


def leadership_summary(doc: Document, content: ReportContent, width: int) -> None:
    """The one page a director reads: the headline, the six groups, the five weakest units, three findings."""
    word.paragraph(doc, text("document.summary_title", content.language), bold=True, align="center", after=0)
    word.paragraph(doc, f"{content.scope_name} — {content.period.label(content.language)}", italic=True, align="center")
    word.paragraph(doc, content.headline, size=13)
    word.paragraph(doc, text("document.summary_groups", content.language), bold=True, size=13, indent=False, after=3)
    word.word_table(doc, content.groups.frame, width=width, name_column=0, size=12)
    word.paragraph(doc, "", after=0)
    word.paragraph(doc, text("document.summary_weakest", content.language), bold=True, size=13, indent=False, after=3)
    for line in content.weakest_units:
        word.paragraph(doc, f"- {line}", size=13, after=2)
    word.paragraph(doc, text("document.summary_findings", content.language), bold=True, size=13, indent=False, after=3)
    for i, line in enumerate(content.top_findings, start=1):
        word.paragraph(doc, f"{i}. {line}", size=13)


def _letterhead(doc: Document, content: ReportContent, head: Letterhead, width: int) -> None:
    """The national heading and motto beside the issuing body and number; the place and date line."""
    left, right = word.two_columns(doc, width, 0.4)
    s12, s13, s14 = (word.cell_style(doc, size) for size in (12, 13, 14))
    word.cell_text(left, "\n".join(head.issuing_body), style=s13, align="center")
    left.paragraphs[-1].runs[0].bold = True  # the issuing body itself; above it, its superior body
    word.rule(left, indent_cm=2.2)
    word.cell_line(left, text("document.number", content.language, code=head.code), style=s13, before=6)
    word.cell_text(right, text("document.nation", content.language), style=s12, bold=True, align="center")
    word.cell_line(right, text("document.motto", content.language), style=s13, bold=True)
    word.rule(right, indent_cm=2.2)
    word.cell_line(right, text("document.date", content.language, place=head.place, year=str(head.year)), style=s14, italic=True, before=6)


def _figure(doc: Document, content: ReportContent, name: str, width: int, counter: list[int]) -> None:
    path = content.charts.get(name)
    if path is None:
        return
    counter[0] += 1
    word.picture(doc, path, width=width)
    caption = text(f"document.chart_caption.{name}", content.language)
    word.paragraph(doc, text("document.figure", content.language, n=counter[0], caption=caption), italic=True,
                   align="center", size=12)


def _table(doc: Document, table: Table, width: int, *, size: int = word.TABLE_PT) -> None:
    title, *rest = table.title.split("\n")
    lines = [word.paragraph(doc, title, bold=True, align="center", after=0, size=13)]
    lines += [word.paragraph(doc, line, bold=True, align="center", after=4, size=13) for line in rest]
    for p in lines:
        p.paragraph_format.keep_with_next = True  # a table's title never ends a page without the table
    word.word_table(doc, table.frame, width=width, name_column=table.name_column, size=size)
    if table.footnote:
        word.paragraph(doc, table.footnote, italic=True, size=11, indent=False)
    else:
        word.paragraph(doc, "", after=0, size=6)


def _signature(doc: Document, content: ReportContent, width: int) -> None:
    """"Nơi nhận" and the signature block, placeholders the clerk fills in."""
    left, right = word.two_columns(doc, width, 0.4)
    word.cell_text(left, text("document.recipients", content.language), style=word.cell_style(doc, 12), bold=True, italic=True)
    for line in text("document.recipient_lines", content.language).split("\n"):
        word.cell_line(left, line, style=word.cell_style(doc, 11), align="left")
    s13 = word.cell_style(doc, 13)
    word.cell_text(right, text("document.signer_title", content.language), style=s13, bold=True, align="center")
    word.cell_line(right, text("document.signer_note", content.language), style=word.cell_style(doc, 12), italic=True)
    word.cell_line(right, text("document.signer_name", content.language), style=s13, bold=True, before=60)


def _overall(doc: Document, content: ReportContent, width: int, figures: list[int]) -> None:
    """I. the overall result: headline, groups, counts, the group chart, caveats, Biểu số 01."""
    word.heading(doc, text("document.I", content.language))
    word.paragraph(doc, content.headline)
    word.paragraph(doc, text("document.groups_lead", content.language))
    _bullets(doc, content.group_sentences, text("document.none", content.language))
    if content.count_sentences:
        word.paragraph(doc, text("document.counts_lead", content.language))
        _bullets(doc, content.count_sentences, text("document.none", content.language))
    _figure(doc, content, "diem-nhom-chi-so", int(width * 0.85), figures)
    if content.caveats:
        word.paragraph(doc, text("document.caveats", content.language), italic=True, bold=True)
        for line in content.caveats:
            word.paragraph(doc, f"- {line}", italic=True)
    _table(doc, content.indicators, width)


def _units_and_classes(doc: Document, content: ReportContent, width: int, figures: list[int]) -> None:
    """II. the per-unit tables by level and III. the classification (landscape pages)."""
    word.heading(doc, text("document.II", content.language))
    for i, part in enumerate(content.levels, start=1):  # each level's table from the top of a page
        word.heading(doc, f"{i}. {part.heading}", level=2).paragraph_format.page_break_before = i > 1
        _table(doc, part.units, width, size=10)
        if part.level == "department":
            _figure(doc, content, "so-nganh-xep-hang", int(width * 0.75), figures)
    word.heading(doc, text("document.III", content.language)).paragraph_format.page_break_before = True
    for i, part in enumerate(content.levels, start=1):
        word.heading(doc, f"{i}. {part.heading}", level=2).paragraph_format.page_break_before = i > 1
        word.paragraph(doc, part.class_sentence).paragraph_format.keep_with_next = True
        _table(doc, part.classification, width, size=10)
    _figure(doc, content, "phan-bo-xep-loai", int(width * 0.6), figures)


def _assessment_and_proposals(doc: Document, content: ReportContent) -> None:
    """IV. the assessment (the causes left for the clerk) and V. the proposals, addressed."""
    word.heading(doc, text("document.IV", content.language))
    word.heading(doc, text("document.good", content.language), level=2)
    _bullets(doc, content.achievements, text("document.none", content.language))
    word.heading(doc, text("document.bad", content.language), level=2)
    _bullets(doc, content.shortcomings, text("document.none", content.language))
    word.heading(doc, text("document.causes", content.language), level=2)
    word.paragraph(doc, text("document.causes_text", content.language), italic=True)
    word.heading(doc, text("document.V", content.language))
    word.paragraph(doc, content.recommendations_intro)
    for i, (addressee, asks) in enumerate(content.recommendations, start=1):
        word.heading(doc, f"{i}. {addressee}", level=2)
        _bullets(doc, asks, text("document.none", content.language))


def build_document(content: ReportContent, head: Letterhead) -> Document:
    """The Word document: the leadership summary, then the official report (see the module docs)."""
    import docx

    doc = docx.Document()
    word.set_styles(doc)
    word.set_properties(doc, title=f"{text('document.kind', content.language)} {text('document.title', content.language, period=period_words(content))}",
                        author=head.issuing_body[-1] if head.issuing_body else "", language=content.language)
    first = doc.sections[0]
    word.set_page(first)
    portrait = word.text_width(first)
    leadership_summary(doc, content, portrait)

    report = word.new_section(doc, landscape=False)
    word.number_pages(report, restart=True)
    _letterhead(doc, content, head, portrait)
    period = period_words(content)
    area = _area(content.scope_name, content.language)
    word.paragraph(doc, text("document.kind", content.language), bold=True, align="center", after=0, style="Title").paragraph_format.space_before = word.Pt(12)
    word.paragraph(doc, text("document.title", content.language, period=period), bold=True, align="center", after=0)
    word.rule(doc, indent_cm=6.0)
    word.paragraph(doc, "", after=0)
    dates = {"start": date_vi(content.period.start, content.language), "end": date_vi(content.period.end, content.language)}
    # scores as published, or computed from counts; from a named source, or the portal
    kind = ("opening_published" if content.published_scores else "opening") + ("_source" if content.source else "")
    word.paragraph(doc, text(f"document.{kind}", content.language, period=period, area=area, **dates,
                             **({"source": content.source} if content.source else {})))
    figures = [0]  # pictures are numbered through the document: Hình 1, Hình 2, …
    _overall(doc, content, portrait, figures)
    _units_and_classes(doc, content, word.text_width(word.new_section(doc, landscape=True)), figures)
    word.new_section(doc, landscape=False)
    _assessment_and_proposals(doc, content)
    word.paragraph(doc, text("document.closing", content.language, period=period, area=area)).paragraph_format.keep_with_next = True
    _signature(doc, content, portrait)
    return doc


def _area(scope_name: str, language: str) -> str:
    """The area the report is about: ``tỉnh Phú Thọ`` in Vietnamese, ``Phú Thọ`` in English."""
    return text("document.area", language, area=area_name(scope_name), place=place_name(scope_name))


def letterhead_for(parameters: Parameters, scope_name: str, *, today: date | None = None) -> Letterhead:
    """The run's letterhead: the parameters' issuing body and code, else the provincial office's."""
    area = _area(scope_name, parameters.language)
    body = tuple(parameters.issuing_body) or tuple(text("document.default_body", parameters.language, AREA=area.upper()).split("\n"))
    return Letterhead(body, parameters.document_code or DEFAULT_DOCUMENT_CODE, place_name(scope_name),
                      (today or date.today()).year)


def write_report_document(
    folder: Path, scored: Scored, methodology: Methodology, parameters: Parameters, *,
    series: pl.DataFrame | None = None, as_of: date | None = None,
) -> Path:
    """Write the run's Word document into ``folder`` (atomically) from its scores and charts; returns its path.

    ``series`` is the run's multi-period scorecard and ``as_of`` the capture date, as the notebooks get them.
    """
    from io import BytesIO

    national = pl.read_csv(parameters.national) if parameters.national else None
    content = gather(
        scored.scorecard, scored.detail, methodology, scope=parameters.scope, period=parse_period(parameters.period),
        targets=dict(parameters.targets), language=parameters.language, national=national, series=series, as_of=as_of,
        charts=folder / "charts", source=parameters.data_source,
    )
    doc = build_document(content, letterhead_for(parameters, content.scope_name))
    buffer = BytesIO()
    doc.save(buffer)
    return write_bytes_atomic(_alike(buffer.getvalue()), folder / document_name(parameters.scope_slug, parameters.period, parameters.language))


def _alike(docx_bytes: bytes) -> bytes:
    """The file with a fixed time on each of its parts, so identical runs give identical files
    (apart from the creation time the document states in its properties)."""
    import zipfile
    from io import BytesIO

    source, out = zipfile.ZipFile(BytesIO(docx_bytes)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            part.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(part, source.read(info.filename))
    return out.getvalue()


__all__ = ["Letterhead", "build_document", "document_name", "gather", "letterhead_for", "write_report_document"]
