"""What the charts share: choosing a level's units, their short names, class colours and bands,
search boxes, wrapped labels, value labels and reference rules (small typed builders)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import polars as pl

from analysis.contract import LEVELS
from analysis.report import formatting as fmt
from analysis.report.charts.theme import (
    CLASS_BAND_COLOURS,
    CLASS_COLOURS,
    REFERENCE_COLOUR,
    WIDTH,
    TopLevel,
    finish,
)
from analysis.report.formatting import bilingual, check_language, short_unit_names
from analysis.report.messages import text
from analysis.scoring.methodology import Methodology
from analysis.scoring.score import GRADED

# --------------------------------------------------------------------------------------------
# words and Vega expressions


def word(key: str, language: str, **values: object) -> str:
    """The charts' message ``key`` from the catalogue (``messages/charts.yaml``) in ``language``."""
    return text(f"charts.{key}", language, **values)


def js(value: object) -> str:
    """A Python value as a Vega expression literal."""
    return json.dumps(value, ensure_ascii=False)


def search_param(language: str) -> alt.Parameter:
    """A search box (ô tìm đơn vị) bound to the page: filters the units whose name holds the text."""
    return alt.param(
        value="",
        bind=alt.binding(input="search", placeholder="…", name=word("search_unit", language)),
    )


def matches(param: alt.Parameter, field: str = "unit_name") -> str:
    """A Vega test: the datum's ``field`` holds the search box's text (any case)."""
    return f"indexof(lower(datum[{js(field)}]), lower({param.name})) >= 0"


def bold_label(highlighted: str | None) -> Any:
    """An axis ``labelFontWeight``: bold for the highlighted unit (nothing when there is none)."""
    if not highlighted:
        return alt.Undefined
    return alt.expr(f"datum.value === {js(highlighted)} ? 'bold' : 'normal'")


# --------------------------------------------------------------------------------------------
# selecting units


def level_rows(scorecard: pl.DataFrame, level: str) -> pl.DataFrame:
    """The scorecard's units of ``level`` (one period); a clear error when there are none."""
    rows = scorecard.filter(pl.col("level") == level)
    if rows.is_empty():
        levels = sorted(set(scorecard.get_column("level").to_list()))
        raise ValueError(f"no units of level {level!r} in the scorecard (levels: {levels})")
    if rows.get_column("period").n_unique() > 1:
        raise ValueError("the scorecard holds several periods: filter one period first")
    return rows


def missing_chart(title: str, sentence: str, language: str = "vi") -> TopLevel:
    """A chart's place when its data is missing: the sentence saying what is missing (never zeros)."""
    check_language(language)
    chart = alt.Chart(pl.DataFrame({"text": [sentence]})).mark_text(
        align="left", baseline="middle", fontSize=13, color=REFERENCE_COLOUR, x=0,
    ).encode(text="text:N").properties(
        width=WIDTH - 100, height=40, title=alt.Title(title, subtitle=[word("no_chart", language)]))
    return finish(chart, language)


def absent_level(scorecard: pl.DataFrame, level: str, language: str, title: str) -> TopLevel | None:
    """When the data holds no unit of ``level`` (a source without departments or communes), the
    chart's place says so (never a crash, never zeros); ``None`` when the level is there."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r} (levels: {', '.join(LEVELS)})")
    if scorecard.filter(pl.col("level") == level).height:
        return None
    name = fmt.level_name(level, language)
    sentence = word("level_missing", language, level=name.lower())
    return missing_chart(f"{word(title, language)}: {name}", sentence, language)


def with_short_names(frame: pl.DataFrame, source: str = "unit_name") -> pl.DataFrame:
    """``frame`` with a ``unit`` column: the short names the axes show."""
    return frame.with_columns(pl.Series("unit", short_unit_names(frame.get_column(source).to_list()),
                                        dtype=pl.String))


def reference_row(scorecard: pl.DataFrame, rows: pl.DataFrame) -> dict[str, Any] | None:
    """The parent (province) row the units of a level are compared with, when present."""
    parents = [p for p in rows.get_column("parent_code").unique().to_list() if p is not None]
    if len(parents) != 1:
        return None
    parent = scorecard.filter(pl.col("unit_code") == parents[0])
    return parent.row(0, named=True) if parent.height else None


def highlight_name(frame: pl.DataFrame, highlight: str | None) -> str | None:
    """The short label of the unit named by ``highlight`` (a unit code or a full/short name)."""
    if highlight is None:
        return None
    for column in ("unit_code", "unit_name", "unit"):
        if column in frame.columns:
            hit = frame.filter(pl.col(column) == highlight)
            if hit.height:
                return hit.get_column("unit").item(0)
    raise ValueError(f"highlighted unit {highlight!r} is not among the charted units")


def province_label(name: str) -> str:
    """``Tỉnh Phú Thọ`` → ``Phú Thọ`` (axis labels of the provinces)."""
    short = fmt.short_unit_name(name) or name
    for prefix in ("Tỉnh ", "Thành phố ", "TP "):
        if short.startswith(prefix):
            return short[len(prefix):]
    return short


def value_title(value: str, language: str, methodology: Methodology | None) -> str:
    """The reader's name of a charted value: the total, the rank or a group of the methodology."""
    if value == "total":
        return word("total", language)
    if value == "rank":
        return word("rank", language)
    if methodology is not None:
        try:
            return fmt.group_name(methodology, value, language)
        except KeyError:
            pass
    return value


# --------------------------------------------------------------------------------------------
# classes and groups


def class_domain(methodology: Methodology, language: str) -> list[str]:
    """The class names in the methodology's order (best first)."""
    return fmt.class_names(methodology, language)


def class_label(methodology: Methodology, language: str) -> pl.Expr:
    """The ``class`` code of each row as the reader's class name."""
    return fmt.class_column(methodology, language)


def graded_class_label(methodology: Methodology, language: str) -> pl.Expr:
    """The class name of a graded unit, *no dossiers* for the others (column ``class_label``)."""
    return (pl.when(GRADED).then(class_label(methodology, language))
            .otherwise(pl.lit(word("inactive", language))).alias("class_label"))


def class_colours(n: int) -> tuple[list[str], list[str]]:
    """Bar and band colours for ``n`` classes, the best and the worst kept at the ends."""
    if n <= len(CLASS_COLOURS):
        idx = [round(i * (len(CLASS_COLOURS) - 1) / max(n - 1, 1)) for i in range(n)]
        return [CLASS_COLOURS[i] for i in idx], [CLASS_BAND_COLOURS[i] for i in idx]
    reps = math.ceil(n / len(CLASS_COLOURS))
    return (CLASS_COLOURS * reps)[:n], (CLASS_BAND_COLOURS * reps)[:n]


def class_bands(methodology: Methodology, language: str = "vi", top: float = 100.0) -> pl.DataFrame:
    """The class bands as intervals ``[start, end)``: class, start, end, middle (for labels)."""
    bands = sorted(methodology.classes, key=lambda b: b.min)
    rows = []
    for i, band in enumerate(bands):
        end = bands[i + 1].min if i + 1 < len(bands) else top
        rows.append({"band": fmt.class_name(methodology, band.code, language),
                     "start": float(band.min), "end": float(end),
                     "middle": (float(band.min) + float(end)) / 2})
    return pl.DataFrame(rows, schema={"band": pl.String, "start": pl.Float64, "end": pl.Float64,
                                      "middle": pl.Float64})


def group_labels(methodology: Methodology, language: str, with_max: bool = True) -> list[str]:
    """The groups' names, with their maximum (``Công khai, minh bạch (18)``) unless ``with_max`` is off."""
    out = []
    for group in methodology.groups:
        name = bilingual(group, "name", language)
        out.append(f"{name} ({fmt.number(group.max, 2, language, trim=True)})" if with_max else name)
    return out


# --------------------------------------------------------------------------------------------
# labels


def wrap(text: str, width: int) -> list[str]:
    """Words of ``text`` in lines of about ``width`` characters (for axis labels)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def wrap_table(labels: Sequence[str], width: int) -> tuple[dict[str, list[str]], int]:
    """Each label in lines, padded with empty lines at the top to the same count."""
    table = {text: wrap(text, width) for text in labels}
    lines = max(len(v) for v in table.values())
    return {k: [""] * (lines - len(v)) + v for k, v in table.items()}, lines


def wrap_expr(table: dict[str, list[str]]) -> str:
    """A Vega ``labelExpr`` that shows each label on several lines."""
    return f"{js(table)}[datum.label] || datum.label"


def halo_text(base: alt.Chart, **encoding: Any) -> list[alt.Chart]:
    """A value label at the end of a bar, on a white halo so that a reference rule never hides it."""
    halo = base.mark_text(align="left", dx=3, fontSize=10, stroke="white", strokeWidth=3,
                          strokeJoin="round", color="white").encode(**encoding)
    text = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(**encoding)
    return [halo, text]


def reference_rule(value: float, text: str, tooltip_title: str, *, above: bool = False) -> list[alt.Chart]:
    """A dashed vertical rule at ``value`` (the province, the mean) and its bold label: beside the
    rule's top, or centred ``above`` it (over the class bands' names)."""
    ref = pl.DataFrame({"total": [value], "text": [text]})
    rule = alt.Chart(ref).mark_rule(strokeDash=[5, 3], color=REFERENCE_COLOUR, size=1.5).encode(
        x="total:Q", tooltip=[alt.Tooltip("text:N", title=tooltip_title)])
    place: dict[str, Any] = {"align": "center", "dy": -20} if above else {"align": "left", "dx": 4, "dy": -4}
    words = alt.Chart(ref).mark_text(baseline="bottom", fontSize=10, fontWeight="bold",
                                     color=REFERENCE_COLOUR, **place).encode(
        x="total:Q", y=alt.value(0), text="text:N")
    return [rule, words]

