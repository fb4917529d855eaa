"""The words of the report's sentences, Vietnamese and English, in one place (câu chữ của báo cáo).

:mod:`analysis.report.narrative` builds every sentence from the templates of :data:`PHRASES` through
:func:`say`, so a sentence has one wording per language and no branch on the language elsewhere.
Unit names are written as an official document writes them (:func:`unit_name`): without the
portal's `` - Tỉnh Phú Thọ`` suffix, with the capitals of the official name
(``Sở Nông nghiệp và Môi trường``, ``Văn phòng UBND tỉnh``), and lists of names are never cut
(:func:`join`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.report.formatting import check_language

PHRASES: dict[str, dict[str, str]] = {
    "vi": {
        "and": " và ",
        "headline": "Tổng điểm của {name} {period} đạt {total}/100 điểm, xếp loại {klass}{change}.",
        "headline_unclassed": "Tổng điểm của {name} {period} đạt {total}/100 điểm{change}.",
        "published_scores": ("Điểm nhóm, tổng điểm và xếp loại của {n} đơn vị ({names}) là điểm đã công bố, giữ đúng như bảng in, "
                             "không tính lại từ tử số, mẫu số (tệp số liệu không có đủ các chỉ số); nhóm, xếp loại bảng không ghi "
                             "để trống, không suy ra. Các tỷ lệ và số hồ sơ tính từ số liệu có trong tệp."),
        "change_against": "{verb} {points} điểm so với {period}",
        "unchanged_against": "không đổi so với {period}",
        "no_previous": "Chưa có số liệu {period} để so sánh.",
        "rank_same_period": (" Trên bảng xếp hạng của Cổng Dịch vụ công quốc gia {period} (số liệu ngày {date}), "
                             "tỉnh xếp hạng {rank}/{of} tỉnh, thành phố."),
        "rank_not_held": (" Báo cáo không nêu thứ hạng toàn quốc: Cổng Dịch vụ công quốc gia chưa có bảng xếp hạng "
                          "riêng của {period} (bảng xếp hạng hiện có, ngày {date}, là điểm lũy kế từ đầu năm)."),
        "up": "tăng",
        "down": "giảm",
        "up_cell": "Tăng {points}",
        "down_cell": "Giảm {points}",
        "same_cell": "Không đổi",
        "units": "đơn vị",
        "inactive_units": "{n} đơn vị không phát sinh hồ sơ trong kỳ, không xếp hạng, xếp loại ({names})",
    },
    "en": {
        "and": " and ",
        "headline": "{name} scored {total}/100 in {period}, class {klass}{change}.",
        "headline_unclassed": "{name} scored {total}/100 in {period}{change}.",
        "published_scores": ("The group scores, totals and classes of {n} units ({names}) are the published ones, as printed, "
                             "not recomputed from counts (the facts do not hold every indicator); a group or class the table "
                             "leaves empty stays empty, not inferred. Rates and dossier counts come from the counts in the file."),
        "change_against": "{verb} {points} points on {period}",
        "unchanged_against": "unchanged on {period}",
        "no_previous": "No figures for {period} to compare with.",
        "rank_same_period": (" On the national portal's ranking for {period} (captured {date}) the province ranks "
                             "{rank} of {of}."),
        "rank_not_held": (" No national rank is stated: the national portal holds no ranking of {period} alone "
                          "(its ranking, captured {date}, is year to date)."),
        "up": "up",
        "down": "down",
        "up_cell": "Up {points}",
        "down_cell": "Down {points}",
        "same_cell": "Unchanged",
        "units": "units",
        "inactive_units": "{n} units received no dossiers in the period and are neither ranked nor classed ({names})",
    },
}
"""Sentence templates by language; :func:`say` fills them."""


def say(key: str, language: str = "vi", **values: object) -> str:
    """The template ``key`` of the language, filled with ``values``."""
    return PHRASES[check_language(language)][key].format(**values)


def join(names: Iterable[str], language: str = "vi") -> str:
    """``A, B và C`` — every name, never cut short (an official document names every unit)."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + say("and", language) + items[-1]


def lower_first(text: str) -> str:
    """An indicator's name inside a sentence: ``Tỷ lệ TTHC …`` → ``tỷ lệ TTHC …`` (abbreviations kept)."""
    first, _, rest = text.partition(" ")
    if len(first) > 1 and first.isupper():
        return text
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")


# --------------------------------------------------------------------------------------------
# unit names as an official document writes them

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


def no_recommendations(language: str = "vi") -> str:
    """What the recommendations say when the figures name nothing to act on (a source of published
    group scores without counts: which indicator lost the points is not known)."""
    if language == "vi":
        return ("Chưa nêu được đề xuất: số liệu của kỳ không cho biết tỉnh mất điểm ở chỉ số nào và đơn vị nào có hồ sơ "
                "quá hạn (nguồn chỉ có điểm nhóm Cổng công bố, không có tử số, mẫu số của từng chỉ số).")
    return ("No recommendations: the period's figures do not say which indicators lost the points or which units have "
            "overdue dossiers (the source has the published group scores only, no counts per indicator).")


def no_units_sentence(language: str = "vi") -> str:
    """Under a per-unit section when the source has the province alone (no department or commune)."""
    if language == "vi":
        return "Nguồn số liệu chỉ có cấp tỉnh: không có số liệu của sở, ban, ngành hay xã, phường trong kỳ."
    return "The source has the province alone: no figures for departments or communes this period."
