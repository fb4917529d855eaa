"""Word layout of an administrative document (thể thức văn bản, Nghị định 30/2020/NĐ-CP), with python-docx.

A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, body 14 pt, tables
11 pt; page numbers centred at the top from the second page; the national heading and motto,
the issuing body and the document number side by side; real Word tables whose header row
repeats on every page; pictures at print resolution.
"""

from __future__ import annotations

import re
from datetime import UTC
from io import BytesIO
from pathlib import Path

import polars as pl
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from analysis.report import messages

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
SMALL_PT = 12
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PRINT_PPI = 300
"""Pictures are rendered for 300 pixels per inch at their printed size."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: object) -> str:
    """Text a Word file can hold: control characters (which XML cannot carry) left out."""
    return _NOT_XML.sub("", str(text))


# --------------------------------------------------------------------------------------------
# page and styles


def set_page(section, *, landscape: bool = False) -> None:
    """A4 with the decree's margins, portrait or landscape."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = Mm(210), Mm(297)
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)


def text_width(section) -> int:
    """The width between the margins, in EMU."""
    return section.page_width - section.left_margin - section.right_margin


def _plain_font(style, size: int, *, bold: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False if bold is not None else None
    style.font.color.rgb = None
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    color = r_pr.find(qn("w:color"))
    if color is not None:
        r_pr.remove(color)


def set_properties(doc: Document, *, title: str, author: str, language: str) -> None:
    """The file's own title, author and language (spelling is checked in Vietnamese for a Vietnamese report)."""
    from datetime import datetime

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments, props.subject, props.keywords, props.category = "", "", "", ""
    props.language = messages.text("document.locale", language)
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.revision = 1
    lang = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), props.language)


def set_styles(doc: Document) -> None:
    """Normal text 14 pt justified with a first-line indent; headings black, bold, same font."""
    normal = doc.styles["Normal"]
    _plain_font(normal, BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Title", BODY_PT)):
        style = doc.styles[name]
        _plain_font(style, size, bold=True)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.first_line_indent = Cm(1)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Cm(0)
    border = title.element.get_or_add_pPr().find(qn("w:pBdr"))
    if border is not None:  # the default template underlines titles in blue
        border.getparent().remove(border)


# --------------------------------------------------------------------------------------------
# paragraphs


def paragraph(
    container, text: str = "", *, size: int | None = None, bold: bool = False, italic: bool = False,
    align: str = "justify", indent: bool = True, after: float = 6, style: str | None = None,
) -> Paragraph:
    """A paragraph of one run (``**…**`` in the text is bold); ``container`` is the document or a cell."""
    p = container.add_paragraph(style=style) if style else container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.first_line_indent = Cm(1) if indent and align == "justify" else Cm(0)
    p.paragraph_format.space_after = Pt(after)
    for i, piece in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if piece:
            run = p.add_run(xml_text(piece))
            run.bold = bold or i % 2 == 1
            run.italic = italic
            if size:
                run.font.size = Pt(size)
    return p


def heading(doc: Document, text: str, level: int = 1) -> Paragraph:
    """A section heading (``I. …``, level 1) or a sub-heading (``1. …``, level 2)."""
    return doc.add_paragraph(text, style=f"Heading {level}")


def rule(container, *, indent_cm: float) -> Paragraph:
    """A short horizontal line (under the motto, the issuing body, the title): an empty paragraph's
    bottom border, ``indent_cm`` in from each side of ``container`` (the document or a cell)."""
    p = container.add_paragraph()
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
        "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    )
    p.paragraph_format.left_indent = Cm(indent_cm)
    p.paragraph_format.right_indent = Cm(indent_cm)
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(2)
    p.add_run("").font.size = Pt(1)
    return p


def new_section(doc: Document, *, landscape: bool):
    """A new section on a new page; its page numbers go on from the previous section's."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    end = doc.paragraphs[-1]  # the paragraph that closes the previous section: a sliver, never a page of its own
    end.paragraph_format.space_before = end.paragraph_format.space_after = Pt(0)
    end.paragraph_format.line_spacing = Pt(1)
    for inherited in ("w:pgNumType", "w:titlePg"):  # a new section copies the last one's settings
        for element in section._sectPr.findall(qn(inherited)):
            section._sectPr.remove(element)
    set_page(section, landscape=landscape)
    return section


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(SMALL_PT + 1)


def number_pages(section, *, restart: bool) -> None:
    """Page numbers centred at the top from the section's second page (the decree's rule), from 1."""
    section.header.is_linked_to_previous = False
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header, "PAGE")
    if restart:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        section._sectPr.insert_element_before(  # in the schema's order (Word refuses a file that is not)
            numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
            "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
        )


def cell_style(doc: Document, size: int):
    """The paragraph style of table cells in ``size`` points: single-spaced, no indent, no gap."""
    name = f"Cell {size}"
    if name not in [st.name for st in doc.styles]:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.first_line_indent, fmt.space_before, fmt.space_after, fmt.line_spacing = Cm(0), Pt(0), Pt(0), 1.0
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return doc.styles[name]


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def cell_text(cell, text: str, *, style, small=None, bold: bool = False, italic: bool = False, align: str = "left") -> None:
    """Fill a table cell: each ``\n``-separated line a paragraph, the later ones in ``small`` style."""
    first, *rest = str(text).split("\n")
    paragraphs = [cell.paragraphs[0]] + [cell.add_paragraph() for _ in rest]
    for i, (p, line) in enumerate(zip(paragraphs, [first, *rest])):
        p._p.get_or_add_pPr().style = (style if i == 0 or small is None else small).style_id  # (p.style = … looks up every style)
        if align != "left":
            p.alignment = ALIGN[align]
        run = p.add_run(xml_text(line))
        if bold:
            run.bold = True
        if italic:
            run.italic = True


def cell_line(cell, text: str, *, style, bold: bool = False, italic: bool = False, align: str = "center",
              before: float = 0) -> Paragraph:
    """One more line (paragraph) in a cell that already holds text."""
    p = cell.add_paragraph()
    p._p.get_or_add_pPr().style = style.style_id
    p.alignment = ALIGN[align]
    if before:
        p.paragraph_format.space_before = Pt(before)
    run = p.add_run(xml_text(text))
    run.bold, run.italic = bold or None, italic or None
    return p


def _repeat_header(row) -> None:
    """Repeat ``row`` at the top of every page the table runs over.

    (Body rows are not marked "can't split": LibreOffice then drops rows of a table longer than a page.)
    """
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _column_widths(frame: pl.DataFrame, total: int, name_column: int, size: int) -> list[int]:
    """Widths from the longest header word (bold capitals are wider) and the longest line of each
    column; the name column takes what is left (at least a fifth), the others shrinking together."""
    char = Pt(size * 0.55)  # an average character of Times New Roman
    widths = []
    for i, column in enumerate(frame.columns):
        header = max((len(word) for word in column.split()), default=1) * 1.1
        lines = [line for v in frame[column].to_list() for line in str(v).split("\n")]
        longest = max([header, *(len(v) for v in lines)])
        widths.append(max(Cm(1.1), Cm(0.45) + char * min(longest, 12 if i < name_column else 16)))
    if 0 <= name_column < len(widths):
        others = sum(w for i, w in enumerate(widths) if i != name_column)
        room = total - max(Cm(3.5), int(total * 0.2))
        if others > room:
            widths = [int(w * room / others) for w in widths]
        widths[name_column] = total - sum(w for i, w in enumerate(widths) if i != name_column)
    scale = total / sum(widths)
    return [int(w * scale) for w in widths]


def _alignments(frame: pl.DataFrame, name_column: int) -> list[str]:
    """Names left, figures right, other words (ranks, classes, groups) centred."""
    def figures(column: str) -> bool:
        values = [str(v) for v in frame[column].to_list() if v not in (None, "", "-")]
        return bool(values) and sum(bool(re.match(r"^[+−-]?\d", v)) for v in values) > len(values) / 2

    return ["left" if i == name_column else ("right" if i > name_column and figures(c) else "center")
            for i, c in enumerate(frame.columns)]


def word_table(doc: Document, frame: pl.DataFrame, *, width: int, name_column: int = 1, size: int = TABLE_PT) -> WordTable:
    """A bordered Word table of text cells: bold centred header repeated on each page, figures right-aligned."""
    table = doc.add_table(rows=frame.height + 1, cols=frame.width)
    table.style = doc.styles["Table Grid"]
    style, small = cell_style(doc, size), cell_style(doc, max(size - 1, 8))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(frame, width, name_column, size)
    for column, w in zip(table.columns, widths):
        column.width = w  # the grid LibreOffice lays the table out by
    rows = table.rows
    for cell, name, w in zip(rows[0].cells, frame.columns, widths):
        cell_text(cell, name, style=style, bold=True, align="center")
        cell.width = w
    _repeat_header(rows[0])
    aligns = _alignments(frame, name_column)
    for row, values in zip(rows[1:], frame.iter_rows()):
        for cell, value, w, align in zip(row.cells, values, widths, aligns):
            text = "-" if value is None else str(value).replace(" %", "\u00a0%")  # 96,43 % never broken before its sign
            cell_text(cell, text, style=style, small=small, align=align)
            cell.width = w
    return table


def picture(doc: Document, path: Path, *, width: int) -> Paragraph:
    """A chart as a picture, ``width`` EMU wide at most, rendered for print (SVG at 300 ppi)."""
    if path.suffix == ".svg":
        import vl_convert as vlc

        svg = path.read_text(encoding="utf-8")
        match = re.search(r'<svg[^>]*\swidth="([\d.]+)', svg)
        natural = Cm(float(match[1]) / 96 * 2.54) if match else width  # SVG pixels are 1/96 inch
        shown = min(width, natural)
        pixels = shown / 914400 * PRINT_PPI
        image = BytesIO(vlc.svg_to_png(svg, scale=pixels / float(match[1]) if match else 3.0))
    else:
        image, shown = path, width
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(image, width=shown)
    return p


def two_columns(container, width: int, share: float) -> tuple:
    """A borderless two-column table (the letterhead, the signature block); its two cells."""
    table = container.add_table(rows=1, cols=2)
    borderless(table)
    table.autofit = False
    widths = (int(width * share), width - int(width * share))
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths):
        column.width = w
        cell.width = w
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one block, never split over two pages
    return table.rows[0].cells


def borderless(table: WordTable) -> None:
    """No borders (the heading and the signature blocks are tables for their two columns only)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                 "w:tblDescription", "w:tblPrChange")
