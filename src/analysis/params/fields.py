"""The checks of single parameter values, shared by the file and the notebooks.

Each check is a pydantic validator ``(value, info)`` that returns the typed value or raises
:func:`~analysis.params.problems.bad` with the words a user reads.  How a value is read depends on
where it comes from (:class:`Reading`): a parameters file gives YAML values and reads relative
paths from its project root, only inside the allowed folders; a notebook gets papermill's
strings (``"0,9"``, ``"a.csv;b.csv"``) and reads relative paths from the project root.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationInfo

from analysis.contract import LANGUAGES, Language
from analysis.contract.periods import parse_period
from analysis.errors import InputError, quote_cell
from analysis.params.problems import bad, did_you_mean
from analysis.paths import ROOT
from analysis.scoring.history import parse_as_of
from analysis.scoring.methodology import Methodology, available_methodologies, load_methodology

HISTORY_SEPARATOR = ";"
"""``history`` reaches a notebook as one string, its paths joined by this separator."""
DEFAULT_METHODOLOGY = "portal-2025"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^\S+$")
_DOCUMENT_CODE = re.compile(r"[A-ZĐ0-9][A-ZĐ0-9&.\-]*")


@dataclass
class Reading:
    """Where the values being checked come from (the validation context)."""

    notebook: bool = False
    """True: a notebook's values (strings from papermill; paths from the project root)."""
    root: Path = ROOT
    """Relative paths are read from here."""
    allowed: tuple[Path, ...] = ()
    """A file named must lie under one of these (or a listed ``data_folders`` entry); empty: no rule."""
    raw: Mapping[str, Any] = field(default_factory=dict)
    """The values as given, for the checks that look at another key."""
    source: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)
    methodology: Methodology | None = None
    """Filled by the methodology check: the methodology loaded once, kept by the parameters."""
    data_folders: list[Path] = field(default_factory=list)
    """Filled by the ``data_folders`` check (the first key): seen by every later check, nested
    sections (``service_centre``) included."""


def reading(info: ValidationInfo) -> Reading:
    """The :class:`Reading` of a validation (a default one when the model is built directly)."""
    context = info.context if isinstance(info.context, dict) else {}
    found = context.get("reading")
    return found if isinstance(found, Reading) else Reading()


def empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def given(info: ValidationInfo, key: str) -> bool:
    """Whether ``key`` was given a value (whether or not it passed its own check)."""
    return not empty(reading(info).raw.get(key))


# --------------------------------------------------------------------------------------------
# words and codes


def text(value: object, info: ValidationInfo) -> str:
    """A required text value, stripped."""
    if empty(value):
        raise bad("required" if reading(info).notebook else "must not be empty")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise bad(f"must be text (got {type(value).__name__} {value!r})")
    return str(value).strip()


def optional_text(value: object, info: ValidationInfo) -> str | None:
    return None if empty(value) else text(value, info)


def portal_code(value: str) -> str:
    if not _CODE.match(value):
        raise bad(f"a portal code has no spaces (got {quote_cell(value)}; e.g. H44)")
    return value


def unit_code(value: str | None) -> str | None:
    if value is not None and not _CODE.match(value):
        raise bad(f"a unit code has no spaces (got {quote_cell(value)}; e.g. H44.100)")
    return value


def slug(value: str) -> str:
    if not _SLUG.match(value):
        raise bad(f"use lower-case letters, digits and hyphens (got {quote_cell(value)}; e.g. phu-tho)")
    return value


def document_code(value: str | None) -> str | None:
    if value is not None and not _DOCUMENT_CODE.fullmatch(value):
        raise bad(f"a document code such as BC-VP: capitals, digits and hyphens (got '{value}')")
    return value


SOURCE_LENGTH = 160
"""Longest name of a source (``data_source``): a document's or a system's name, said in a sentence."""


def data_source(value: str | None) -> str | None:
    """``báo cáo tháng 9/2024 của Văn phòng UBND tỉnh Bắc Kạn``: a part of a sentence, so one line
    (any run of spaces, tabs, line breaks or non-breaking spaces becomes one space)."""
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > SOURCE_LENGTH:
        raise bad(f"the name of the figures' source: at most {SOURCE_LENGTH} characters (got {len(value)})")
    hidden = next((i for i, c in enumerate(value) if not c.isprintable()), None)
    if hidden is not None:
        raise bad(f"the name of the figures' source has a character that cannot be shown "
                  f"(U+{ord(value[hidden]):04X}, character {hidden + 1})")
    return value


def issuing_body(value: object) -> tuple[str, ...]:
    """``VĂN PHÒNG`` or ``[UBND TỈNH PHÚ THỌ, VĂN PHÒNG]``: the Word report's letterhead."""
    lines = [] if empty(value) else [value] if isinstance(value, str) else value
    if not isinstance(lines, list) or len(lines) > 2 or not all(isinstance(x, str) and x.strip() for x in lines):
        raise bad("must be the issuing body's name, or two lines [superior body, issuing body]")
    return tuple(str(x).strip() for x in lines)


def period(value: object, info: ValidationInfo) -> str:
    """A period code (``2026-08``, ``2026-Q3``, ``2026``, ``a..b``) in its canonical form."""
    if empty(value):
        raise bad("required" if reading(info).notebook else "must not be empty")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        hint = ' (quote it: period: "2026-08")' if hasattr(value, "year") else ""
        raise bad(f'must be a period code such as "2026-08" (got {value!r}){hint}')
    try:
        return parse_period(value).code
    except ValueError as exc:
        raise bad(str(exc)) from None


def language(value: object) -> Language:
    chosen = "vi" if empty(value) else str(value).strip()
    for known in LANGUAGES:
        if chosen == known:
            return known
    raise bad(f"must be one of {', '.join(LANGUAGES)} (got '{chosen}'){did_you_mean(chosen, LANGUAGES)}")


def timeout(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise bad(f"must be a whole number of seconds > 0 (got {value!r})")
    return value


# --------------------------------------------------------------------------------------------
# numbers and dates


def number_text(value: str) -> float:
    """``0,9`` or ``0.9`` (a notebook's value arrives as text)."""
    cleaned = value.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return float(cleaned)


def _as_fraction(value: object, info: ValidationInfo, words: str) -> float:
    if reading(info).notebook and isinstance(value, str):
        try:
            value = number_text(value)
        except ValueError:
            raise bad(f"must be a number between 0 and 1 (got {value!r})") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise bad(f"must be a number between 0 and 1 (got {value!r})")
    if not 0 <= value <= 1:
        hint = f" (write {value / 100:g} for {value:g} %)" if 1 < value <= 100 else ""
        raise bad(f"{words} (got {value:g}){hint}")
    return float(value)


def target(value: object, info: ValidationInfo) -> float:
    """A target (chỉ tiêu): a fraction 0..1."""
    return _as_fraction(value, info, "must be between 0 and 1")


def optional_share(value: object, info: ValidationInfo) -> float | None:
    """The service centre's online or postal target, a fraction 0..1."""
    return None if empty(value) else _as_fraction(value, info, "must be a number between 0 and 1")


def day(value: object) -> date | None:
    """A day written ISO (2025-12-15), or YAML's own date."""
    if empty(value):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise bad(f"must be a date written 2025-12-15 (got {value!r})") from None


def as_of(value: object, info: ValidationInfo) -> date | None:
    """The capture date the figures are read as of; it needs a history store."""
    if empty(value):
        return None
    if isinstance(value, date):
        found: date | None = value
    else:
        try:
            found = parse_as_of(str(value), where="as_of")
        except InputError as exc:
            raise bad(exc.problems[0].message) from None
    if not given(info, "store"):
        raise bad("the figures as they stood on a date come from a history store (store: data/history)")
    return found


def mapping(value: object, info: ValidationInfo, example: str) -> Mapping[str, Any]:
    """A mapping; a notebook's may arrive as YAML text."""
    if empty(value):
        return {}
    if reading(info).notebook and isinstance(value, str):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            pass
    if not isinstance(value, Mapping):
        raise bad(f"must be a mapping such as {example}" + (f" (got {value!r})" if reading(info).notebook else ""))
    return value


# --------------------------------------------------------------------------------------------
# files and folders


def _inside_allowed(path: Path, info: ValidationInfo) -> None:
    """A named file must lie under the project, the parameters file's folder, or a listed folder."""
    allowed = reading(info).allowed
    if not allowed:
        return
    folders = (*allowed, *reading(info).data_folders)
    real = path.resolve()
    if not any(real == folder or real.is_relative_to(folder) for folder in folders):
        raise bad(f"{real} is outside the project ({ROOT}), the parameters file's folder and the "
                  "folders listed in data_folders")


def resolve(value: object, info: ValidationInfo, words: str = "a file path") -> Path:
    """A path read from the project root, inside the allowed folders."""
    if isinstance(value, bool) or not isinstance(value, (str, Path)):
        raise bad(f"must be {words} (got {type(value).__name__} {value!r})")
    path = Path(str(value).strip())
    path = path if path.is_absolute() else reading(info).root / path
    _inside_allowed(path, info)
    return path


def existing(value: object, info: ValidationInfo) -> Path:
    """A file (or folder of exports) that must exist."""
    path = resolve(value, info)
    if not path.exists():
        where = "" if reading(info).notebook else f" (relative paths are read from {reading(info).root})"
        raise bad(f"file not found: {value}{where}")
    return path


def optional_existing(value: object, info: ValidationInfo) -> Path | None:
    return None if empty(value) else existing(value, info)


def listed(value: object, info: ValidationInfo, words: str) -> list[Any]:
    """A list of items: one item alone is a list of one; a notebook's may be joined by ``;``."""
    if empty(value):
        return []
    if isinstance(value, str):
        if reading(info).notebook:
            return [item.strip() for item in value.split(HISTORY_SEPARATOR) if item.strip()]
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise bad(f"must be a list of {words} ([] for none)")


def data_folder(value: object, info: ValidationInfo) -> Path:
    """A folder whose files a parameters file may name."""
    folder = (reading(info).root / value).resolve() if isinstance(value, str) and value.strip() else None
    if folder is None or not folder.is_dir():
        raise bad(f"not a folder: {value!r}")
    if folder == Path(folder.anchor):
        raise bad("the whole file system cannot be a data folder")
    reading(info).data_folders.append(folder)
    return folder


def store(value: object, info: ValidationInfo) -> Path | None:
    """A history store: a folder (it may not exist yet when ``history`` files will fill it)."""
    if empty(value):
        return None
    path = resolve(value, info, "a folder path")
    if path.exists() and not path.is_dir():
        raise bad(f"a history store is a folder: {value}")
    if not path.exists() and not given(info, "history"):
        raise bad(f"folder not found: {value} (fill it with 'python -m analysis history add', "
                  "or list files under history: to add)")
    return path


def facts(value: object, info: ValidationInfo) -> Path | None:
    """The period's facts file; without one the run reads a history store."""
    if not empty(value):
        return existing(value, info)
    if reading(info).notebook:
        raise bad("required")
    if not given(info, "store"):
        raise bad("required (or a history store: store: data/history)")
    return None


def methodology(value: object, info: ValidationInfo) -> str:
    """A bundled methodology id (with ``+alternatives``) or a methodology file; loaded once here."""
    spec = DEFAULT_METHODOLOGY if empty(value) else text(value, info)
    base = spec.split("+")[0]
    if base.endswith((".yaml", ".yml")):
        spec = str(resolve(base, info)) + spec[len(base):]
    try:
        reading(info).methodology = load_methodology(spec)
    except InputError as exc:
        choices = available_methodologies()
        hint = did_you_mean(spec.split("+")[0], choices)
        raise bad(f"{exc.problems[0].message}{hint}; bundled: {', '.join(choices)}") from None
    except Exception as exc:  # noqa: BLE001 - an unreadable methodology is a parameter problem, not a crash
        raise bad(f"cannot load methodology '{spec}': {exc}") from None
    return spec
