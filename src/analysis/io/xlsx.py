"""The parts of an XLSX workbook a cell reader does not show (tệp Excel): formulas never calculated.

A workbook is a zip of XML files; this reads only the sheet's XML, within a size limit.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_SHEET_XML = 200_000_000
"""A sheet's XML larger than this (bytes, unpacked) is not scanned here; the reader's own limits apply."""

_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')


def uncached_formulas(path: Path, sheet: str | None) -> list[tuple[int, str]]:
    """(row, column letter) of every formula cell of the sheet whose value was never calculated.

    A workbook written by a program rather than saved by Excel or LibreOffice may hold formulas
    without a saved result (no ``<v>``, or ``fullCalcOnLoad`` with placeholder zeros): reading
    them would give 0 or nothing, so they are refused cell by cell.
    """
    try:
        with zipfile.ZipFile(path) as book:
            workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            sheets = re.findall(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', workbook)
            if not sheets:
                return []
            wanted = next((rid for name, rid in sheets if name == sheet), sheets[0][1]) if sheet else sheets[0][1]
            target = re.search(rf'Id="{re.escape(wanted)}"[^>]*?Target="([^"]*)"|Target="([^"]*)"[^>]*?Id="{re.escape(wanted)}"', rels)
            if target is None:
                return []
            name = (target.group(1) or target.group(2)).lstrip("/")
            member = name if name.startswith("xl/") else f"xl/{name}"
            if book.getinfo(member).file_size > MAX_SHEET_XML:
                return []  # too large to scan here; the reader's own limits apply
            xml = book.read(member).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    recalc = 'fullCalcOnLoad="1"' in workbook
    found = []
    for attributes, inner in _CELL.findall(xml):
        if inner and "<f" in inner and (recalc or "<v>" not in inner and "<v " not in inner):
            ref = _REF.search(attributes)
            if ref:
                found.append((int(ref.group(2)), ref.group(1)))
    return found

