"""How numbers, dates and words look to a reader (định dạng số, ngày tháng kiểu Việt Nam).

Vietnamese first: thousands separated by ``.``, decimals by ``,`` (``77,59``, ``12.135``,
``98,02 %``), dates ``05/10/2026``, months ``tháng 8/2026``; English (``77.59``, ``12,135``) as
an option with ``language="en"``.

Rounding is *half up* (làm tròn nửa lên, away from zero for negatives) on the number as it is
written in decimal, the way the portal rounds scores: ``2.675`` → ``2,68``, ``0.125`` → ``0,13``,
``-1.955`` → ``−1,96``. (Python's ``format`` gives ``2.67``, the binary float being slightly
below 2.675, and ``0.12``, ties going to even.) Charts format numbers in the browser with
d3-format, which rounds the binary value; the scores the engine produces already carry at most
two decimals, so both agree on them.

A missing value (``None``, NaN) prints as ``-``, the mark the hand-written reports use for a unit
with no figures. Negative numbers use the minus sign ``−`` (U+2212), as d3-format does in charts.

The same conventions for charts are the d3 locales :data:`D3_FORMAT_LOCALE` and
:data:`D3_TIME_FORMAT_LOCALE`, passed to Vega-Embed by :func:`embed_options` and to
``vl_convert`` by :func:`analysis.report.charts.save_chart`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import polars as pl

from analysis import contract
from analysis.report.names import unit_name

LANGUAGES = ("vi", "en")
MISSING = "-"
MINUS = "\u2212"

# --------------------------------------------------------------------------------------------
# d3 locales (Vega-Lite / Vega-Embed)

D3_FORMAT_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " ₫"],
    "minus": MINUS,
    "percent": " %",
}
"""d3-format locale for Vietnamese (d3 ships none): ``,.2f`` renders ``12.135,00``, ``.2%`` ``98,02 %``."""

D3_FORMAT_LOCALE_EN: dict[str, Any] = {
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],
    "currency": ["$", ""],
    "minus": MINUS,
}

D3_TIME_FORMAT_LOCALE: dict[str, Any] = {
    "dateTime": "%H:%M:%S, %d/%m/%Y",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
}
"""d3-time-format locale for vi-VN. Months are numbered (``Tháng 8``, short ``Th8``), as
Vietnamese administrative documents write them ("tháng 9 năm 2024"), rather than d3's
spelled-out ``Tháng tám``."""

D3_TIME_FORMAT_LOCALE_EN: dict[str, Any] = {
    "dateTime": "%x, %X",
    "date": "%-m/%-d/%Y",
    "time": "%-I:%M:%S %p",
    "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"],
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                    "Nov", "Dec"],
}

MONTHS_EN = D3_TIME_FORMAT_LOCALE_EN["months"]


def check_language(language: str) -> str:
    """``"vi"`` or ``"en"``; anything else is a programming error (ValueError)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def format_locale(language: str = "vi") -> dict[str, Any]:
    """The d3-format locale for a language."""
    return D3_FORMAT_LOCALE if check_language(language) == "vi" else D3_FORMAT_LOCALE_EN


def time_format_locale(language: str = "vi") -> dict[str, Any]:
    """The d3-time-format locale for a language."""
    return D3_TIME_FORMAT_LOCALE if check_language(language) == "vi" else D3_TIME_FORMAT_LOCALE_EN


def embed_options(language: str = "vi") -> dict[str, Any]:
    """Vega-Embed options: SVG renderer (text in the page), the language's locales, export only."""
    return {
        "renderer": "svg",
        "formatLocale": format_locale(language),
        "timeFormatLocale": time_format_locale(language),
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
    }


# --------------------------------------------------------------------------------------------
# numbers


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    return False


def _decimal(x: object) -> Decimal | None:
    if _is_missing(x):
        return None
    if isinstance(x, bool):
        x = int(x)
    try:
        value = Decimal(repr(x)) if isinstance(x, float) else Decimal(str(x))
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {x!r}") from None
    if not value.is_finite():
        return None
    return value


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def number(x: object, decimals: int = 2, language: str = "vi", *, trim: bool = False) -> str:
    """A number for a reader: ``77,59``, ``12.135,00`` (vi) or ``77.59``, ``12,135.00`` (en).

    Rounded half up to ``decimals`` places; ``trim=True`` drops trailing zeros (``10,5``);
    ``None``/NaN → ``-``. Negative numbers use ``−``; a value that rounds to zero has no sign.
    """
    value = _decimal(x)
    if value is None:
        return MISSING
    check_language(language)
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    text = f"{abs(rounded):.{max(decimals, 0)}f}"
    whole, _, fraction = text.partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    thousands, decimal_mark = (".", ",") if language == "vi" else (",", ".")
    out = _group(whole, thousands)
    if fraction:
        out += decimal_mark + fraction
    return (MINUS + out) if negative else out


def integer(x: object, language: str = "vi") -> str:
    """A whole number with thousands separators: ``12.135`` (vi), ``12,135`` (en); half up."""
    return number(x, 0, language)


def percent(ratio: object, decimals: int = 2, language: str = "vi", *, trim: bool = False) -> str:
    """A ratio (fraction) as a percentage: ``0.9802`` → ``98,02 %`` (vi), ``98.02%`` (en)."""
    value = _decimal(ratio)
    if value is None:
        return MISSING
    text = number(value * 100, decimals, language, trim=trim)
    return f"{text} %" if language == "vi" else f"{text}%"


def score_of(x: object, maximum: object, language: str = "vi", decimals: int = 2) -> str:
    """Points against a maximum as the reports write them: ``10,5/18``, ``77,59/100``, ``8/12``."""
    return (f"{number(x, decimals, language, trim=True)}/"
            f"{number(maximum, decimals, language, trim=True)}")


def signed(x: object, decimals: int = 2, language: str = "vi") -> str:
    """A change with its sign: ``+1,25``, ``−0,40``; zero (after rounding) is ``0,00``."""
    text = number(x, decimals, language)
    if text == MISSING or text.startswith(MINUS):
        return text
    value = _decimal(x)
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    if value is not None and value.quantize(quantum, rounding=ROUND_HALF_UP) == 0:
        return text
    return "+" + text


# --------------------------------------------------------------------------------------------
# dates


def _as_date(d: object) -> date | None:
    if _is_missing(d):
        return None
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        text = d.strip()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
    raise ValueError(f"not a date: {d!r}")


def date_vi(d: object, language: str = "vi") -> str:
    """``05/10/2026`` (vi) or ``2026-10-05`` (en, ISO); accepts date, datetime or ISO text."""
    value = _as_date(d)
    if value is None:
        return MISSING
    if check_language(language) == "en":
        return value.isoformat()
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def month_name(m: int, language: str = "vi") -> str:
    """``tháng 8`` (vi, as written in running text: "tháng 8/2026"), ``August`` (en)."""
    if not 1 <= int(m) <= 12:
        raise ValueError(f"month must be 1..12, not {m!r}")
    return f"tháng {int(m)}" if check_language(language) == "vi" else MONTHS_EN[int(m) - 1]


def month_year(m: int, y: int, language: str = "vi") -> str:
    """``tháng 8/2026`` (vi), ``August 2026`` (en)."""
    return f"{month_name(m, 'vi')}/{y}" if check_language(language) == "vi" else f"{month_name(m, 'en')} {y}"


# --------------------------------------------------------------------------------------------
# words

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "unit": "Đơn vị",
        "units": "đơn vị",
        "score": "Điểm",
        "total": "Tổng điểm",
        "class": "Xếp loại",
        "rank": "Xếp hạng",
        "dossiers": "Số hồ sơ tiếp nhận",
        "numerator": "Tử số",
        "denominator": "Mẫu số",
        "change": "Thay đổi",
        "yes": "có",
        "no": "không",
    },
    "en": {
        "unit": "Unit",
        "units": "units",
        "score": "Score",
        "total": "Total score",
        "class": "Class",
        "rank": "Rank",
        "dossiers": "Dossiers received",
        "numerator": "Numerator",
        "denominator": "Denominator",
        "change": "Change",
        "yes": "yes",
        "no": "no",
    },
}
"""Words of table cells and of the explorer, by language (the charts' words, titles and notes are in
``messages/charts.yaml``; group and indicator names come from the methodology: :func:`group_name`,
:func:`indicator_name`)."""


def label(key: str, language: str = "vi") -> str:
    """A word from :data:`LABELS`."""
    return LABELS[check_language(language)][key]


def level_name(level: str, language: str = "vi") -> str:
    """``department`` → ``Sở, ban, ngành`` (vi) / ``Departments`` (en)."""
    return contract.level_name(level, "vi" if check_language(language) == "vi" else "en")


def bilingual(item: Any, field: str, language: str = "vi") -> Any:
    """A name the methodology gives in both languages, ``field`` (Vietnamese) or ``field_en``
    (``name``/``name_en``, ``label``/``label_en``), from an object or a row (dict)."""
    key = field if check_language(language) == "vi" else f"{field}_en"
    return item[key] if isinstance(item, dict) else getattr(item, key)


def group_name(methodology: Any, code: str, language: str = "vi") -> str:
    """A group's name from the methodology (``CKMB`` → ``Công khai, minh bạch``)."""
    return bilingual(methodology.group(code), "name", language)


def indicator_name(methodology: Any, indicator_id: str, language: str = "vi") -> str:
    """An indicator's name from the methodology; the id itself when the methodology lacks it."""
    try:
        item = methodology.indicator(indicator_id)
    except KeyError:
        return indicator_id
    return bilingual(item, "name", language)


def class_name(methodology: Any, code: str | None, language: str = "vi") -> str | None:
    """A class code of the scorecard (``good``) as the reader's word, from the methodology's bands
    (``Tốt`` / ``Good``); None for no class. The one place a class gets its words: a value that is
    no code of the methodology is an error, never shown as it is."""
    check_language(language)
    if code is None:
        return None
    for band in methodology.classes:
        if band.code == code:
            return bilingual(band, "label", language)
    raise ValueError(f"{code!r} is not a class code of {methodology.id} "
                     f"({', '.join(band.code for band in methodology.classes)})")


def class_names(methodology: Any, language: str = "vi") -> list[str]:
    """Every class's word in the methodology's order, best first (a chart's colour domain)."""
    return [name for band in methodology.classes if (name := class_name(methodology, band.code, language))]


def class_column(methodology: Any, language: str = "vi", column: str = "class") -> pl.Expr:
    """The class codes of ``column`` as the reader's words (:func:`class_name`); empty stays empty."""
    words = {band.code: class_name(methodology, band.code, language) for band in methodology.classes}
    return pl.col(column).cast(pl.String).replace_strict(words, return_dtype=pl.String)


# --------------------------------------------------------------------------------------------
# Vietnamese alphabetical order

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 2, "\u0301": 3, "\u0309": 4, "\u0303": 5, "\u0323": 6}  # huyền sắc hỏi ngã nặng


def sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key that sorts Vietnamese words in dictionary order (a ă â b c d đ e ê …, tones only
    after the letters), which Python's code-point order does not (it puts ``Đ`` after ``Z``)."""
    import unicodedata

    if text is None:
        return ((), ())
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", char)
        tone = next((_TONES[c] for c in parts if c in _TONES), 1)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        position = _ALPHABET.find(letter)
        letters.append(1000 + position if position >= 0 else ord(letter[0]) if letter else 0)
        tones.append(tone)
    return (tuple(letters), tuple(tones))


# --------------------------------------------------------------------------------------------
# unit names



def short_unit_name(name: str | None) -> str | None:
    """A compact name for axis labels: ``Sở Y tế - Tỉnh Phú Thọ`` → ``Sở Y tế``,
    ``UBND xã Yên Phú`` → ``Xã Yên Phú``, ``UBND tỉnh Phú Thọ`` → ``Tỉnh Phú Thọ``,
    ``Sở Nông Nghiệp và Môi Trường`` → ``Sở Nông nghiệp và Môi trường`` (:func:`analysis.report.names.unit_name`).

    Use :func:`short_unit_names` for a column, which keeps the labels unique.
    """
    if name is None:
        return None
    return unit_name(name) or name.strip()


def short_unit_names(names: Iterable[str | None]) -> list[str | None]:
    """:func:`short_unit_name` for every name, keeping the full name where two would collide."""
    names = list(names)
    short = [short_unit_name(n) for n in names]
    counts: dict[str | None, set[str | None]] = {}
    for full, s in zip(names, short, strict=True):
        counts.setdefault(s, set()).add(full)
    return [s if len(counts[s]) == 1 else full for full, s in zip(names, short, strict=True)]


# --------------------------------------------------------------------------------------------
# tables


def format_value(x: object, dtype: pl.DataType, language: str = "vi", decimals: int = 2) -> str:
    """One cell for display, by its column type."""
    if _is_missing(x):
        return MISSING
    if dtype == pl.Boolean:
        return label("yes" if x else "no", language)
    if dtype.is_integer():
        return integer(x, language)
    if dtype.is_float() or dtype.is_decimal():
        return number(x, decimals, language)
    if dtype == pl.Date or dtype == pl.Datetime or isinstance(x, (date, datetime)):
        return date_vi(x, language)
    return str(x)


def format_table(
    frame: pl.DataFrame,
    language: str = "vi",
    *,
    decimals: int | dict[str, int] = 2,
    percent_columns: Iterable[str] = (),
    integer_columns: Iterable[str] = (),
    rename: dict[str, str] | None = None,
) -> pl.DataFrame:
    """A display copy of ``frame``: every column a string formatted for the reader.

    Floats ``77,59`` (``decimals`` places, per column with a dict), integers ``12.135``, booleans
    ``có``/``không``, dates ``05/10/2026``, missing ``-``; ``percent_columns`` hold fractions shown
    as ``98,02 %``; ``integer_columns`` are floats shown as whole numbers (counts). Column names
    are kept unless ``rename`` maps them. The input is not changed.
    """
    check_language(language)
    percent_set = set(percent_columns)
    integer_set = set(integer_columns)
    unknown = (percent_set | integer_set) - set(frame.columns)
    if unknown:
        raise KeyError(f"columns not in the frame: {sorted(unknown)}")
    columns: dict[str, list[str]] = {}
    for name, dtype in frame.schema.items():
        places = decimals.get(name, 2) if isinstance(decimals, dict) else decimals
        values = frame.get_column(name).to_list()
        if name in percent_set:
            columns[name] = [percent(v, places, language) for v in values]
        elif name in integer_set:
            columns[name] = [integer(v, language) for v in values]
        else:
            columns[name] = [format_value(v, dtype, language, places) for v in values]
    out = pl.DataFrame(columns, schema={name: pl.String for name in frame.columns})
    return out.rename(rename) if rename else out
