"""Sentence helpers of the report (câu chữ của báo cáo): lists of names and names inside a sentence.

The sentences themselves are messages of the catalogue (:func:`analysis.report.messages.text`);
unit names are written as an official document writes them by :func:`analysis.report.names.unit_name`
(kept importable from here). Lists of names are never cut (:func:`join`).
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.report.formatting import check_language
from analysis.report.messages import text
from analysis.report.names import unit_name

__all__ = ["in_sentence", "join", "lower_first", "source_words", "unit_name"]


def join(names: Iterable[str], language: str = "vi") -> str:
    """``A, B và C`` — every name, never cut short (an official document names every unit)."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + text("narrative.and", language) + items[-1]


def lower_first(name: str) -> str:
    """An indicator's name inside a sentence: ``Tỷ lệ TTHC …`` → ``tỷ lệ TTHC …`` (abbreviations kept)."""
    first, _, rest = name.partition(" ")
    if len(first) > 1 and first.isupper():
        return name
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")


def in_sentence(name: str, language: str = "vi") -> str:
    """A name inside a sentence: Vietnamese writes a common noun's first letter small
    (``tỷ lệ hồ sơ …``), English keeps the name's capitals."""
    return lower_first(name) if check_language(language) == "vi" else name


def source_words(source: str | None, language: str = "vi") -> str:
    """The name of the run's figures' source (the ``data_source`` parameter), the national portal by default."""
    return source or text("narrative.source_portal", language)
