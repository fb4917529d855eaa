"""The data-quality page for the reader (trang chất lượng số liệu): its tables and sentences.

The checks themselves (:mod:`analysis.scoring.quality`) compute frames; this module turns them
into text in the reader's language, every word from ``report/messages/quality.yaml``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from analysis.contract import Language, level_name
from analysis.contract.periods import parse_period
from analysis.paths import ROOT
from analysis.report.formatting import (
    MISSING,
    bilingual,
    date_vi,
    format_table,
    indicator_name,
    integer,
    number,
    percent,
    short_unit_name,
    signed,
)
from analysis.report.messages import text, words
from analysis.report.wording import join as name_list
from analysis.report.wording import source_words, unit_name
from analysis.scoring.methodology import Methodology
from analysis.scoring.quality import MEANS, dossier_totals

STORE_EXTRACT = ("scored", "facts.parquet")
"""Where a report run on a history store writes the period's facts for its notebooks (run/suite.py)."""


def _group_names(methodology: Methodology | None, language: str) -> dict[str, str]:
    """Group codes to their names, and ``total`` to the word for the total."""
    names = {g.code: bilingual(g, "name", language) for g in methodology.groups} if methodology is not None else {}
    return {**names, "total": text("quality.total", language)}


def display_overview(overview: pl.DataFrame, language: Language = "vi") -> pl.DataFrame:
    """:func:`analysis.scoring.quality.facts_overview` for the reader."""
    shown = overview.with_columns(pl.col("level").map_elements(lambda v: level_name(v, language), return_dtype=pl.String))
    return format_table(shown, language, rename=words("quality.overview_header", language))


def display_reconcile_summary(summary: pl.DataFrame, methodology: Methodology, language: str = "vi") -> pl.DataFrame:
    """:func:`analysis.scoring.quality.reconcile_summary` for the reader, groups by name."""
    shown = summary.with_columns(pl.col("group").replace_strict(_group_names(methodology, language), default=pl.col("group")))
    return format_table(shown, language, rename=words("quality.summary_header", language))


def display_differences(differences: pl.DataFrame, language: str = "vi", *, methodology: Methodology | None = None) -> pl.DataFrame:
    """Units whose recomputed score is not the published one to the cent (groups by name)."""
    shown = differences.select(
        pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String),
        pl.col("group").replace_strict(_group_names(methodology, language), default=pl.col("group")),
        "recomputed", "published", "difference",
    )
    return format_table(shown, language, rename=words("quality.differences_header", language))


def display_published_sums(flagged: pl.DataFrame, language: str = "vi") -> pl.DataFrame:
    """:func:`analysis.scoring.quality.component_sums` rows for the reader: unit, published total,
    sum of its groups, difference."""
    shown = flagged.select(pl.col("unit_name").map_elements(unit_name, return_dtype=pl.String), "total", "sum_of_groups", "difference")
    return format_table(shown, language, rename=words("quality.published_sums_header", language))


def _counts(n: float | None, d: float | None, r: float | None, indicator: str, language: str) -> str:
    """One source's figure: ``numerator/denominator (rate)``, or a mean in days."""
    if d is None:
        return MISSING
    if indicator in MEANS:
        return text("quality.days", language, days=number(r, language=language)) if r is not None else MISSING
    return f"{integer(n, language)}/{integer(d, language)}" + (f" ({percent(r, language=language)})" if r is not None else "")


def _rate_gap(v: float | None, indicator: str, language: str) -> str:
    """The gap between two sources' rates, in percentage points (or days for a mean)."""
    if v is None:
        return MISSING
    if indicator in MEANS:
        return text("quality.days", language, days=signed(v, language=language))
    return text("quality.points_gap", language, gap=signed(v * 100, language=language))


def display_sources(
    compared: pl.DataFrame,
    language: str = "vi",
    *,
    only_differences: bool = True,
    limit: int | None = 30,
    methodology: Methodology | None = None,
    source: str | None = None,
) -> pl.DataFrame:
    """:func:`analysis.scoring.quality.compare_sources` for the reader: each source's counts and
    rate, the largest gaps first. ``limit`` rows at most (the sentence above the table gives the
    full count)."""
    rows = compared.filter(pl.col("differs")) if only_differences else compared
    # shares first (largest gap in percentage points first), then means in days
    rows = rows.sort(pl.col("indicator").is_in(list(MEANS)), -pl.col("ratio_difference").abs(), nulls_last=True)
    if limit is not None:
        rows = rows.head(limit)
    header = words("quality.sources_header", language)
    facts_header = header["named"] if source else header["portal"]  # a named source is named above the table
    names = {i.id: bilingual(i, "name", language) for i in methodology.indicators} if methodology is not None else {}
    return rows.select(
        pl.col("unit_name").map_elements(lambda n: short_unit_name(n) or n, return_dtype=pl.String).alias(header["unit"]),
        pl.col("indicator").replace_strict(names, default=pl.col("indicator")).alias(header["indicator"]),
        pl.struct(n="numerator_portal", d="denominator_portal", r="ratio_portal", i="indicator")
        .map_elements(lambda x: _counts(x["n"], x["d"], x["r"], x["i"], language), return_dtype=pl.String).alias(facts_header),
        pl.struct(n="numerator_local", d="denominator_local", r="ratio_local", i="indicator")
        .map_elements(lambda x: _counts(x["n"], x["d"], x["r"], x["i"], language), return_dtype=pl.String).alias(header["local"]),
        pl.struct(v="ratio_difference", i="indicator").map_elements(lambda x: _rate_gap(x["v"], x["i"], language), return_dtype=pl.String)
        .alias(header["rate_gap"]),
        pl.col("denominator_difference").map_elements(lambda v: signed(v, decimals=0, language=language), return_dtype=pl.String)
        .fill_null(MISSING).alias(header["denominator_gap"]),
    )


# --------------------------------------------------------------------------------------------
# sentences of the data-quality page


def display_path(path: object) -> str:
    """A path as the reader should see it: relative to the project when inside it."""
    try:
        return str(Path(str(path)).resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def load_sentence(facts: pl.DataFrame, source: object, language: str = "vi") -> str:
    """What was loaded: file, periods, rows and units."""
    periods = name_list([parse_period(p).label(language) for p in sorted(facts["period"].unique().to_list())], language)
    # a report run on a history store (store:) reads the period from the store, extracted for its notebooks
    from_store = Path(str(source)).name == STORE_EXTRACT[1] and Path(str(source)).parent.name == STORE_EXTRACT[0]
    where = (text("quality.load_from_store", language) if from_store
             else text("quality.load_from_file", language, path=display_path(source)))
    loaded = text("quality.load", language, rows=facts.height, units=facts["unit_code"].n_unique(), periods=periods, source=where)
    latest = facts["as_of"].drop_nulls().max()
    if not isinstance(latest, date):  # no capture date in the file
        return f"{loaded} {text('quality.no_capture_date', language)}"
    return f"{loaded} {text('quality.captured', language, day=date_vi(latest, language))}"


def reconcile_sentence(reconciled: pl.DataFrame, language: str = "vi") -> str:
    """How many recomputed scores agree with the published ones; published-only scores are said apart."""
    compared = reconciled.filter(pl.col("difference").is_not_null())
    only = reconciled.filter(pl.col("published_only")).height if "published_only" in reconciled.columns else 0
    if compared.is_empty():
        return text("quality.reconcile.nothing_compared", language, published_only=only)
    totals_only = (compared["group"] == "total").all()  # every group published: totals are their sums
    said = text(
        "quality.reconcile.totals" if totals_only else "quality.reconcile.scores", language,
        compared=compared.height, units=compared["unit_code"].n_unique(),
        exact=compared.filter(pl.col("difference").abs() < 0.005).height, within=int(compared["agrees"].sum()),
        largest=number(compared["difference"].abs().max() or 0.0, language=language),
    )
    return f"{said} {text('quality.reconcile.published_only', language, published_only=only)}" if only else said


def indicator_reconcile_sentence(checked: pl.DataFrame, language: str = "vi") -> str:
    """Indicator points recomputed from the counts against the points the portal published."""
    if checked.is_empty():
        return text("quality.indicator_reconcile.none", language)
    return text("quality.indicator_reconcile.checked", language, indicators=checked.height,
                off=checked.filter(~pl.col("agrees")).height,
                largest=number(checked["difference"].abs().max() or 0.0, language=language))


def component_sentence(flagged: pl.DataFrame, rows: int, language: str = "vi") -> str:
    """Published national totals that are not the sum of their published groups."""
    if flagged.is_empty():
        return text("quality.national_sums.add_up", language, rows=rows)
    names = [f"{short_unit_name(n)} ({d})" for n, d in flagged.select("unit_name", "date").iter_rows()]
    return text("quality.national_sums.flagged", language, flagged=flagged.height, rows=rows, names=name_list(names, language))


def published_sums_sentence(flagged: pl.DataFrame, rows: int, language: str = "vi") -> str:
    """A unit's published table (the report's own) whose totals are not the sum of their groups.

    Many rows off at once is the mark of group columns shifted against the totals: said so, the
    figures are kept as printed, not corrected.
    """
    if rows == 0:
        return text("quality.published_sums.totals_only", language)
    if flagged.is_empty():
        return text("quality.published_sums.add_up", language, rows=rows)
    names = [short_unit_name(n) or "" for n in flagged["unit_name"].to_list()]
    said = text("quality.published_sums.flagged", language, flagged=flagged.height, rows=rows, names=name_list(names, language))
    return f"{said} {text('quality.published_sums.shifted', language)}" if flagged.height * 2 > rows else said


def sources_sentence(compared: pl.DataFrame, language: str = "vi", *, methodology: Methodology | None = None,
                     source: str | None = None) -> str:
    """The run's facts (from ``source``, the portal by default) against the province's own system:
    how many figures differ, the largest gaps."""
    if compared.is_empty():
        return text("quality.sources.none", language)
    differ = compared.filter(pl.col("differs"))
    if differ.is_empty():
        return text("quality.sources.all_agree", language, figures=compared.height)
    shares = differ.filter(pl.col("indicator") != "AVG_PROCESSING_DAYS")
    worst = (shares if shares.height else differ).sort(pl.col("ratio_difference").abs(), descending=True, nulls_last=True).head(3)
    names = []
    for row in worst.iter_rows(named=True):
        gap = percent(abs(row["ratio_difference"]), language=language) if row["ratio_difference"] is not None else "–"
        if row["indicator"] == "AVG_PROCESSING_DAYS" and row["ratio_difference"] is not None:
            gap = text("quality.days", language, days=number(abs(row["ratio_difference"]), language=language))
        what = row["indicator"] if methodology is None else indicator_name(methodology, row["indicator"], language)
        names.append(f"{short_unit_name(row['unit_name'])} – {what} ({gap})")
    return text("quality.sources.differ", language, differ=differ.height, figures=compared.height, largest="; ".join(names),
                source=source_words(source, language))


def dossier_totals_sentence(detail: pl.DataFrame, unit_code: str, language: str = "vi") -> str | None:
    """Why the report shows several dossier totals: which count each one is, and the gaps between them."""
    totals = dossier_totals(detail, unit_code)
    if totals.height < 2 or totals["dossiers"].n_unique() == 1:
        return None
    counted = words("quality.dossier_count", language)
    items = "; ".join(f"{integer(n, language)} {counted[i]}" for i, n in totals.iter_rows())
    received = totals["dossiers"][0]
    gaps = [
        text("quality.dossier_totals.fewer" if received > n else "quality.dossier_totals.more", language,
             what=counted[i].split(" (")[0], gap=integer(abs(received - n), language))
        for i, n in totals.iter_rows() if n != received
    ]
    intro = text("quality.dossier_totals.intro", language, totals=totals.height, items=items)
    return f"{intro} {' '.join(gaps)} {text('quality.dossier_totals.closing', language)}"
