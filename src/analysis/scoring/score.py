"""The scoring engine (chấm điểm): facts + a methodology → indicator detail and the scorecard.

This is the only code that applies the rules of a methodology file.  It is a chain of small
frame functions:

``indicator_cells`` (every unit × applicable indicator, with its own or inherited counts)
→ ``with_published_groups`` (groups the portal publishes without counts)
→ ``indicator_scores`` (ratio, points, rounding)
→ ``group_scores`` → ``scorecard`` (total, class, ranks, change against the previous period).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.contract import LEVEL_ORDER
from analysis.contract.periods import parse_period
from analysis.scoring.methodology import Methodology, load_methodology

UNIT_COLUMNS = ["period", "unit_code", "unit_name", "level", "parent_code"]
DETAIL_COLUMNS = [
    "period", "unit_code", "group", "indicator", "numerator", "denominator", "ratio", "score", "max_score",
    "score_exact", "published_score", "source",
]
INHERIT_DEPTH = 6
ACTIVITY_INDICATOR = "ON_TIME"
"""Dossiers received (the ON_TIME denominator) tell whether a unit had any activity in the period."""

GRADED = pl.col("active").fill_null(True)
"""A unit is ranked and classed (xếp hạng, xếp loại) unless it is known to have had no dossiers:
``active`` false. Empty ``active`` (a source of published scores without counts) is graded as published."""


@dataclass(frozen=True)
class Scored:
    """The result of scoring: one row per unit (``scorecard``) and per unit × indicator (``detail``)."""

    scorecard: pl.DataFrame
    detail: pl.DataFrame
    methodology: Methodology


def round_half_up(expr: pl.Expr, decimals: int) -> pl.Expr:
    """Round non-negative scores half up, as the portal does (1,955 → 1,96).

    A tiny epsilon absorbs binary noise (1.955 is stored as 1.95499999…).
    """
    factor = 10.0**decimals
    return ((expr * factor + 0.5 + 1e-7).floor() / factor)


def units_of(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per period × unit with its name, level and parent."""
    return facts.select(UNIT_COLUMNS).unique(["period", "unit_code"], keep="first", maintain_order=True)


def indicator_cells(facts: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Every unit × indicator that applies to its level, with the counts it is scored on.

    A unit without its own figures for an ``inherit`` indicator takes its nearest ancestor's
    (the catalogue indicators are computed for the province and copied to its children).
    ``source`` says where the counts came from: own, inherited or none.
    """
    units = units_of(facts)
    table = methodology.indicator_table()
    applicable = methodology.applicability(units["level"].unique().to_list())
    cells = units.join(applicable, on="level", how="inner").join(table, on="indicator", how="left")
    own = facts.filter(pl.col("indicator").is_in(table["indicator"].implode())).select(
        "period", "unit_code", "indicator", "numerator", "denominator", "published_score"
    )
    has_counts = pl.col("numerator").is_not_null() | pl.col("denominator").is_not_null()
    cells = cells.join(own, on=["period", "unit_code", "indicator"], how="left").with_columns(
        pl.when(has_counts).then(pl.lit("own")).otherwise(pl.lit("none")).alias("source")
    )
    inheriting = [i.id for i in methodology.indicators if i.inherit]
    if inheriting:
        parents = units.select("period", "unit_code", pl.col("parent_code").alias("_next"))
        counted = own.filter(has_counts).select(
            "period", pl.col("unit_code").alias("_ancestor"), "indicator",
            pl.col("numerator").alias("_num"), pl.col("denominator").alias("_den"),
        )
        cells = cells.with_columns(pl.col("parent_code").alias("_ancestor"))
        for _ in range(INHERIT_DEPTH):
            wanted = (pl.col("source") == "none") & pl.col("inherit") & pl.col("_ancestor").is_not_null()
            cells = cells.join(counted, on=["period", "_ancestor", "indicator"], how="left").with_columns(
                pl.when(wanted & pl.col("_num").is_not_null() | wanted & pl.col("_den").is_not_null())
                .then(pl.struct(numerator="_num", denominator="_den", source=pl.lit("inherited")))
                .otherwise(pl.struct("numerator", "denominator", "source"))
                .struct.unnest()
            ).drop("_num", "_den")
            cells = cells.join(
                parents.rename({"unit_code": "_ancestor"}), on=["period", "_ancestor"], how="left"
            ).with_columns(pl.col("_next").alias("_ancestor")).drop("_next")
        cells = cells.drop("_ancestor")
    return cells


def with_published_groups(cells: pl.DataFrame, facts: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Use a published group score where a unit has it and lacks counts for that group.

    The portal publishes CLGQ for departments and communes without the counts behind it, and
    some responses give only part of a group's counts (two of TTTT's three indicators).  Missing
    is not zero: when a component's published score is given and any of its scored indicators
    has no counts (neither own nor inherited), the component enters as one more row
    (indicator = the component code, ``source = published``) that :func:`group_scores` takes in
    place of its indicators.  The indicators stay in the detail beside it, recomputed from what
    counts there are.  A unit with every count is recomputed from them.
    """
    published = facts.filter(pl.col("indicator").is_in(methodology.components)).select(
        "period", "unit_code", pl.col("indicator").alias("component"), pl.col("published_score").alias("_published")
    )
    if published.is_empty():
        return cells
    scored = pl.col("fixed_ratio").is_null() & (pl.col("rule") != "shown") & (pl.col("max_score") > 0)
    counted = (
        cells.group_by("period", "unit_code", "component")
        .agg(
            (pl.col("source") == "own").any().alias("_counted"),
            ((pl.col("source") == "none") & scored).any().alias("_missing"),
            pl.col("max_score").sum().alias("_max"),
        )
    )
    use = published.join(counted, on=["period", "unit_code", "component"], how="inner").filter(
        ~pl.col("_counted") | pl.col("_missing")
    )
    if use.is_empty():
        return cells
    # a component without any count of its own is shown by its published row alone
    uncounted = use.filter(~pl.col("_counted")).select("period", "unit_code", "component")
    kept = cells.join(uncounted, on=["period", "unit_code", "component"], how="anti")
    template = cells.join(use, on=["period", "unit_code", "component"], how="inner").unique(
        ["period", "unit_code", "component"], keep="first"
    )
    rows = template.with_columns(
        pl.col("component").alias("indicator"),
        pl.col("_max").alias("max_score"),
        pl.lit(None, dtype=pl.Float64).alias("numerator"),
        pl.lit(None, dtype=pl.Float64).alias("denominator"),
        pl.col("_published").alias("published_score"),
        pl.lit("published").alias("source"),
        pl.lit("published").alias("rule"),
        pl.lit(None, dtype=pl.Float64).alias("fixed_ratio"),
    ).select(cells.columns)
    return pl.concat([kept, rows], how="vertical_relaxed")


def indicator_scores(cells: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Ratio (a fraction), exact points and rounded points for every cell."""
    ratio = (
        pl.when(pl.col("fixed_ratio").is_not_null()).then(pl.col("fixed_ratio"))
        .when(pl.col("denominator") > 0).then(pl.col("numerator") / pl.col("denominator"))
        .otherwise(None)
    )
    cells = cells.with_columns(ratio.alias("ratio"))
    exact = (
        pl.when(pl.col("rule") == "published").then(pl.col("published_score"))
        .when(pl.col("rule") == "shown").then(0.0)
        .when(pl.col("ratio").is_null()).then(
            pl.when(pl.col("zero_denominator") == "full").then(pl.col("max_score")).otherwise(0.0)
        )
        .when(pl.col("rule") == "target").then(
            pl.min_horizontal(pl.col("max_score"), pl.col("max_score") * pl.col("ratio") / pl.col("target"))
        )
        .otherwise(pl.col("max_score") * pl.col("ratio"))
    )
    return cells.with_columns(exact.alias("score_exact")).with_columns(
        round_half_up(pl.col("score_exact"), methodology.decimals).alias("score")
    )


def group_scores(detail: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Per unit: each group's points and the points the unit could attain.

    A component with a published row (``source = published``) counts by that row alone; its
    recomputed indicators beside it are shown, not added.
    """
    points = "score" if methodology.group_sum == "rounded" else "score_exact"
    table = methodology.indicator_table()
    component = pl.col("indicator").replace_strict(
        table["indicator"], table["component"], default=pl.col("indicator"), return_dtype=pl.String
    )
    unit_component = ["period", "unit_code", "_component"]
    counted = detail.with_columns(component.alias("_component")).filter(
        (pl.col("source") == "published") | ~(pl.col("source") == "published").any().over(unit_component)
    )
    long = counted.group_by("period", "unit_code", "group").agg(
        pl.col(points).sum().alias("points"), pl.col("max_score").sum().alias("attainable")
    )
    wide = long.pivot(on="group", index=["period", "unit_code"], values="points")
    for code in methodology.group_codes:
        if code not in wide.columns:
            wide = wide.with_columns(pl.lit(0.0).alias(code))
    wide = wide.with_columns(pl.col(methodology.group_codes).round(methodology.decimals))
    attainable = long.group_by("period", "unit_code").agg(pl.col("attainable").sum())
    return wide.join(attainable, on=["period", "unit_code"], how="left")


def rank_expr(column: str, scope: list[str], method: str) -> pl.Expr:
    """Rank descending by ``column`` within ``scope``: competition (1, 2, 2, 4) or dense (1, 2, 2, 3)."""
    return pl.col(column).rank(method="min" if method == "competition" else "dense", descending=True).over(scope).cast(pl.Int32)


def class_of_total(methodology: Methodology) -> pl.Expr:
    """The class (xếp loại) of ``total`` by the methodology's bands, as its code (``good``)."""
    bands = sorted(methodology.classes, key=lambda b: -b.min)
    code = pl.lit(bands[-1].code)
    for band in reversed(bands[:-1]):
        code = pl.when(pl.col("total") >= band.min).then(pl.lit(band.code)).otherwise(code)
    return code


def check_class_codes(table: pl.DataFrame, methodology: Methodology) -> None:
    """Every class of ``table`` is a code of the methodology's bands (a printed label is read into
    its code by :func:`analysis.scoring.quality.read_published_table`, never carried as it is)."""
    codes = {band.code for band in methodology.classes}
    wrong = sorted(set(table["class"].drop_nulls().to_list()) - codes)
    if wrong:
        raise ValueError(f"class values {wrong} are not class codes of {methodology.id} ({', '.join(sorted(codes))})")


def scorecard(detail: pl.DataFrame, units: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """One row per period × unit: groups, total, class, ranks and change against the previous period."""
    groups = methodology.group_codes
    card = units.join(group_scores(detail, methodology), on=["period", "unit_code"], how="left")
    points = pl.sum_horizontal(groups).round(methodology.decimals)
    renormalise = pl.col("level").replace_strict(methodology.renormalise, default=False, return_dtype=pl.Boolean)
    card = card.with_columns(
        points.alias("points"),
        pl.when(renormalise & (pl.col("attainable") > 0))
        .then(round_half_up(points / pl.col("attainable") * 100, methodology.decimals))
        .otherwise(points)
        .alias("total"),
    )
    card = card.with_columns(class_of_total(methodology).alias("class"))
    scope = list(methodology.rank_scope)
    card = card.with_columns(
        rank_expr("total", scope, methodology.ranking).alias("rank"),
        pl.len().over(scope).cast(pl.Int32).alias("rank_of"),
        *[rank_expr(g, scope, methodology.ranking).alias(f"rank_{g}") for g in groups],
    )
    # activity: dossiers received in the period
    activity = detail.filter(pl.col("indicator") == ACTIVITY_INDICATOR).select(
        "period", "unit_code", pl.col("denominator").alias("dossiers")
    )
    # no ON_TIME counts at all (a source of published scores only): activity unknown, not "no dossiers"
    card = card.join(activity, on=["period", "unit_code"], how="left").with_columns(
        pl.when(pl.col("dossiers").is_null()).then(None).otherwise(pl.col("dossiers") > 0).alias("active")
    )
    published = (
        detail.filter(pl.col("source") == "published").group_by("period", "unit_code")
        .agg(pl.col("indicator").sort().str.join(",").alias("published_groups"))
    )
    card = card.join(published, on=["period", "unit_code"], how="left")
    # change against the previous period of the same kind
    previous = {p: parse_period(p).previous().code for p in card["period"].unique().to_list()}
    before = card.select(pl.col("period").alias("_previous"), "unit_code", pl.col("total").alias("_before"))
    card = (
        card.with_columns(pl.col("period").replace_strict(previous, return_dtype=pl.String).alias("_previous"))
        .join(before, on=["_previous", "unit_code"], how="left")
        .with_columns((pl.col("total") - pl.col("_before")).round(methodology.decimals).alias("delta_total"))
        .drop("_previous", "_before")
    )
    rank_columns = [f"rank_{g}" for g in groups]
    return card.select(
        *UNIT_COLUMNS, *groups, "total", "class", "rank", *rank_columns, "delta_total",
        "rank_of", "points", "attainable", "dossiers", "active", "published_groups",
    ).sort(
        "period",
        pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER), return_dtype=pl.Int32),
        "parent_code", "rank", "unit_code", nulls_last=False,
    )


def score(facts: pl.DataFrame, methodology: Methodology | str | None = None) -> Scored:
    """Score facts with a methodology (default: the portal's current index)."""
    method = methodology if isinstance(methodology, Methodology) else load_methodology(methodology or "portal-2025")
    cells = indicator_cells(facts, method)
    cells = with_published_groups(cells, facts, method)
    scored = indicator_scores(cells, method)
    detail = scored.sort("period", "unit_code", "order").select(DETAIL_COLUMNS)
    card = scorecard(detail, units_of(facts), method)
    return Scored(card, detail, method)


def combine_periods(frames: list[pl.DataFrame] | tuple[pl.DataFrame, ...]) -> pl.DataFrame:
    """Facts of several periods as one frame (các kỳ gộp lại), to be scored together.

    Where two frames hold the same period × unit × indicator, the earlier frame wins.
    """
    columns = frames[0].columns
    return pl.concat([f.select(columns) for f in frames], how="vertical_relaxed").unique(
        ["period", "unit_code", "indicator"], keep="first", maintain_order=True
    )


def score_period(
    facts: pl.DataFrame,
    methodology: Methodology,
    period: str,
    *,
    history: list[pl.DataFrame] | tuple[pl.DataFrame, ...] = (),
) -> tuple[Scored, pl.DataFrame]:
    """Score ``period`` together with every other period at hand (kỳ báo cáo và các kỳ trước).

    Scoring the periods together is what gives ``delta_total`` (the change against the previous
    period) and the series for trends. Returns the period's :class:`Scored` and the scorecard of
    all periods. Where two files hold the same period × unit × indicator, ``facts`` wins over
    ``history`` (and an earlier history file over a later one).
    """
    everything = score(combine_periods([facts, *history]), methodology)
    current = Scored(
        everything.scorecard.filter(pl.col("period") == period),
        everything.detail.filter(pl.col("period") == period),
        methodology,
    )
    return current, everything.scorecard


def with_published_scorecard(scored: Scored, published: pl.DataFrame) -> Scored:
    """Units whose activity is unknown shown by the scores their report published (điểm công bố).

    A province's monthly report prints each unit's group scores, total and class without the
    counts behind them; its facts then carry a few counts (online dossiers, payments) and no
    ``ON_TIME`` counts, so a recomputed score would be a fraction of the index, not a score.
    For each unit of the period in ``published`` (one row per unit: a column per group, ``total``,
    optionally ``class``, as codes) whose activity is unknown (``dossiers`` empty) and whose facts hold no
    published group score (those show theirs, of their own capture), the groups, total and
    class the table gives replace the recomputed ones and are listed in ``published_groups``
    (with ``total``); what the table leaves empty is missing, never zero (a class column's empty
    cell is not inferred; a table without a class column is classed by the bands). A unit the
    table names but the facts do not enters too. A row with neither groups nor total (the
    report's "–") is a unit without activity: ``active`` false, not graded. Units with activity
    counts keep their recomputed scores; ranks are taken again; the change against the previous
    period of a unit shown by published scores is left empty (it was of recomputed totals). The indicator
    points of the units shown by published scores are left empty in the detail (their counts and
    ratios stay): they are not what those scores are made of, and a missing count is not a lost point.
    """
    method, card = scored.methodology, scored.scorecard
    periods = card["period"].unique().to_list()
    table = published.with_columns(pl.col("period").cast(pl.String)).filter(pl.col("period").is_in(periods))
    groups = [g for g in method.group_codes if g in table.columns]
    if table.is_empty() or "total" not in table.columns:
        return scored
    keys = ["period", "unit_code"]
    if "class" not in table.columns:  # a table without classes: the bands' class of its total
        table = table.with_columns(pl.when(pl.col("total").is_not_null()).then(class_of_total(method)).alias("class"))
    table = table.with_columns(pl.col([*groups, "total"]).cast(pl.Float64), pl.col("class").cast(pl.String))
    check_class_codes(table, method)
    # activity unknown and no published group score in the facts (those units already show theirs)
    unknown = card.filter(pl.col("dossiers").is_null() & pl.col("published_groups").is_null()).select(keys)
    missing_units = table.join(card.select(keys), on=keys, how="anti")
    taken = pl.concat([table.join(unknown, on=keys, how="inner"), missing_units]).unique(keys, keep="first")
    if taken.is_empty():
        return scored
    given = [*groups, "total"]
    listed = pl.concat_list([pl.when(pl.col(c).is_not_null()).then(pl.lit(c)) for c in given]).list.drop_nulls()
    blank = pl.all_horizontal(pl.col(given).is_null())
    rows = taken.select(
        *[c for c in UNIT_COLUMNS if c in taken.columns], *given, "class",
        listed.list.join(",").alias("published_groups"),
        pl.when(blank).then(False).otherwise(None).cast(pl.Boolean).alias("active"),
    ).with_columns(pl.col("published_groups").replace("", None))
    kept = card.join(taken.select(keys), on=keys, how="anti")
    old = card.join(taken.select(keys), on=keys, how="inner").select(*keys, "dossiers")
    rows = rows.join(old, on=keys, how="left").with_columns(
        pl.lit(None, dtype=pl.Float64).alias("delta_total"),
        *[pl.lit(None, dtype=pl.Float64).alias(g) for g in method.group_codes if g not in groups],
        pl.col("total").alias("points"), pl.lit(None, dtype=pl.Float64).alias("attainable"),
    )
    scope = list(method.rank_scope)
    merged = pl.concat([kept, rows.select([c for c in card.columns if c in rows.columns])], how="diagonal_relaxed")
    merged = merged.with_columns(
        rank_expr("total", scope, method.ranking).alias("rank"),
        pl.col("total").is_not_null().sum().over(scope).cast(pl.Int32).alias("rank_of"),
        *[rank_expr(g, scope, method.ranking).alias(f"rank_{g}") for g in method.group_codes],
    ).select(card.columns).sort(
        "period",
        pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER), return_dtype=pl.Int32),
        "parent_code", "rank", "unit_code", nulls_last=True,
    )
    # their indicator points are not what their score is made of: left empty (counts and ratios stay)
    shown_published = pl.struct(keys).is_in(taken.select(pl.struct(keys)).to_series().implode())
    detail = scored.detail.with_columns(
        pl.when(shown_published).then(None).otherwise(pl.col(c)).alias(c) for c in ("score", "score_exact")
    )
    return Scored(merged, detail, method)
