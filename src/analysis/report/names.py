"""Unit names as an official document writes them (tên cơ quan, đơn vị trong văn bản).

Without the portal's `` - Tỉnh Phú Thọ`` suffix, with the capitals of the official name
(``Sở Nông nghiệp và Môi trường``, ``Văn phòng UBND tỉnh``), ``xã``/``phường`` in lower case inside
a sentence. Tables, sentences, charts' axes and workbooks all name units through :func:`unit_name`.
"""

from __future__ import annotations

import re

_SUFFIX = re.compile(r"\s+-\s+(Tỉnh|Thành phố|TP\.?)\s+[^-]+$", re.IGNORECASE)
_PREFIX = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_ADMIN = re.compile(r"^(xã|phường|thị trấn|đặc khu|huyện|thị xã|thành phố|tỉnh)\s+(.+)$", re.IGNORECASE)
_AGENCY = re.compile(r"^(Sở|Ban|Thanh tra|Văn phòng|Bộ)\s+(.+)$")
_PROPER_TERMS = ("Công Thương", "UBND", "HĐND", "TTHC")
"""Words that keep their capitals inside an agency's name (Sở Công Thương is spelled so officially)."""


def _sentence_case(part: str) -> str:
    """``Nông Nghiệp`` → ``Nông nghiệp``; a term of :data:`_PROPER_TERMS` is kept as it is."""
    for term in _PROPER_TERMS:
        if part.lower() == term.lower():
            return term
    words = part.split(" ")
    if not words or not words[0]:
        return part
    rest = [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:], *rest])


def _agency(kind: str, body: str) -> str:
    if kind in ("Thanh tra", "Văn phòng"):
        # Thanh tra tỉnh, Văn phòng UBND tỉnh: the place word stays lower case
        return f"{kind} " + re.sub(r"\b(Tỉnh|Thành Phố)\b", lambda m: m.group(1).lower(), body)
    parts = re.split(r"(, | và )", body)
    return f"{kind} " + "".join(p if p in (", ", " và ") else _sentence_case(p) for p in parts)


def unit_name(name: str | None, *, start: bool = True) -> str:
    """A unit's name for a sentence or a table: ``Sở Nông nghiệp và Môi trường``, ``xã Lâm Thao``.

    The portal's province suffix (`` - Tỉnh Phú Thọ``) and the ``UBND`` prefix of a commune are
    dropped; an agency's name takes its official capitals; a commune or ward keeps its proper name
    and writes ``xã``/``phường`` in lower case inside a sentence (``start=False``) and with a
    capital at the start of a sentence or a table cell.
    """
    if name is None:
        return ""
    text = _SUFFIX.sub("", name.strip())
    agency = _AGENCY.match(text)
    if agency:
        text = _agency(agency.group(1), agency.group(2))
        return text
    admin = _ADMIN.match(_PREFIX.sub("", text))
    if admin and _PREFIX.match(text) or admin and text.lower().startswith(admin.group(1).lower()):
        word = admin.group(1).lower()
        text = f"{word} {admin.group(2)}"
    if text.startswith("UBND tỉnh") or text.startswith("UBND Tỉnh"):
        return "UBND tỉnh" + text[len("UBND tỉnh"):]
    return text[:1].upper() + text[1:] if start else text
