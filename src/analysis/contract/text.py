"""The one text normaliser for Vietnamese headers, words and unit names (chuẩn hoá chữ tiếng Việt).

One chain, each step on top of the one before:

* :func:`normalise_header`: Unicode NFC, byte-order mark dropped, white space (also no-break
  spaces) collapsed, trimmed, case-folded (``' Mã  Hồ sơ '`` → ``'mã hồ sơ'``);
* :func:`fold_text` (and :func:`fold_expr`, the same on a polars column): also without tone
  marks, ``đ`` → ``d`` (``'Số hoá'`` → ``'so hoa'``), for headers and coded words, which
  exports write with or without marks;
* :func:`normalise_name`: a unit's name as a key for matching names across sources
  (``'UBND Xã Hòa Bình - Tỉnh Phú Thọ'`` → ``'xã hoà bình'``), tone marks kept.

The tone-mark rule.  Vietnamese writes the syllables ending in *oa*, *oe* and *uy* two ways:
the old style puts the mark on the first vowel (``hòa``, ``khỏe``, ``thủy``), the new style
(Bộ Giáo dục, the 1980s rule, and the statistics office's 2025 lists) on the second
(``hoà``, ``khoẻ``, ``thuỷ``).  Both are found in the same sources (the bundled 2025 commune
lists hold ``Hòa`` about four times as often as ``Hoà``), so a key must give both one form.
The key uses the **new style**: moving the mark to the second vowel is unambiguous, whereas
the reverse would wrongly move it in ``quý``, ``quả``, ``quẻ`` (where ``u`` belongs to ``qu``).
Only an open syllable moves: ``hoàn``, ``toán``, ``khuyến`` keep their mark.  The key is for
matching only; names are always shown as their source writes them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import polars as pl

_OLD_TO_NEW = {
    f"{first}{second}": f"{base}{toned}"
    for base, second, pairs in (
        ("o", "a", (("ò", "à"), ("ó", "á"), ("ỏ", "ả"), ("õ", "ã"), ("ọ", "ạ"))),
        ("o", "e", (("ò", "è"), ("ó", "é"), ("ỏ", "ẻ"), ("õ", "ẽ"), ("ọ", "ẹ"))),
        ("u", "y", (("ù", "ỳ"), ("ú", "ý"), ("ủ", "ỷ"), ("ũ", "ỹ"), ("ụ", "ỵ"))),
    )
    for first, toned in pairs
}
_OPEN_SYLLABLE = re.compile("(" + "|".join(_OLD_TO_NEW) + r")(?![a-zà-ỹ])")
_PREFIX = re.compile(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+")
_PROVINCE_SUFFIX = re.compile(r"\s+-\s+(tỉnh|thành phố)\s+.*$")
_PROVINCE_WORD = re.compile(r"^(tỉnh|thành phố|tp\.?)\s+")


def normalise_header(text: object) -> str:
    """NFC, case-folded, trimmed, inner white space collapsed (``' Mã  Hồ sơ '`` → ``'mã hồ sơ'``)."""
    value = unicodedata.normalize("NFC", str(text if text is not None else ""))
    value = value.replace("\ufeff", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", value).strip().casefold()


def fold_text(text: object) -> str:
    """A normalised header without tone marks (``'Số hoá'`` → ``'so hoa'``, ``'Đ'`` → ``'d'``)."""
    return _fold(text) if isinstance(text, str) else _fold_uncached(text)


def _fold_uncached(text: object) -> str:
    value = unicodedata.normalize("NFD", normalise_header(text))
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", value).replace("đ", "d")


_fold = functools.lru_cache(maxsize=2**14)(_fold_uncached)
"""Headers and words repeat (every export of a folder has the same ones): each is folded once."""


def fold_expr(column: str | pl.Expr) -> pl.Expr:
    """:func:`fold_text` on every cell of a column (text cells; null stays null)."""
    text = pl.col(column) if isinstance(column, str) else column
    return (
        text.cast(pl.String).str.replace_all("\ufeff", "", literal=True).str.to_lowercase().str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "").str.replace_all("đ", "d", literal=True)
        .str.replace_all(r"\s+", " ").str.strip_chars()
    )


def new_style_tones(text: str) -> str:
    """Open *oa*, *oe*, *uy* syllables with the mark on the second vowel (``hòa`` → ``hoà``)."""
    return _OPEN_SYLLABLE.sub(lambda m: _OLD_TO_NEW[m.group(1)], unicodedata.normalize("NFC", text))


def normalise_name(name: str) -> str:
    """A unit's name as a matching key: case, white space, the ``UBND`` prefix, the
    ``- Tỉnh …`` suffix and tone placement (``'UBND Xã Hòa Bình - Tỉnh Phú Thọ'`` → ``'xã hoà bình'``)."""
    text = normalise_header(name)
    text = _PROVINCE_SUFFIX.sub("", _PREFIX.sub("", text))
    return new_style_tones(text)


def province_key(name: str) -> str:
    """A province's name as a matching key, without ``tỉnh`` / ``thành phố`` / ``TP.``
    (``'UBND tỉnh Hòa Bình'`` → ``'hoà bình'``)."""
    return _PROVINCE_WORD.sub("", normalise_name(name))
