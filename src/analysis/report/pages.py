"""The report's pages: each bundled notebook's title and opening paragraph, Vietnamese and English.

A page's heading is shown by the notebook's setup cell (:func:`heading`), so an English run reads an
English page from its first line, and the index and navigation use the same titles (:func:`title`).
"""

from __future__ import annotations

from analysis.report.messages import text

PAGES = ("scorecard", "comparison", "trends", "data_quality", "service_centre")
"""The bundled pages; each one's title and opening paragraph are ``pages.<name>.title`` and
``pages.<name>.intro`` in the message catalogue."""


def title(name: str, language: str = "vi") -> str | None:
    """A bundled page's title in the run's language (None for a page of the user's own)."""
    return text(f"pages.{name}.title", language) if name in PAGES else None


def heading(name: str, language: str = "vi") -> str:
    """The page's first lines as Markdown: ``# title`` and its opening paragraph."""
    return f"# {text(f'pages.{name}.title', language)}\n\n{text(f'pages.{name}.intro', language)}"
