"""Indicators from one-stop-shop records (tính chỉ số từ dữ liệu một cửa) → the facts table.

:func:`dossier_facts` turns dossiers (hồ sơ), the procedure catalogue (danh mục TTHC) and
petitions (PAKN) into facts rows — numerator and denominator per period × unit × indicator —
following methodology-766.md, "Indicator definitions" and "On time".  The records are read
once, lazily, by the streaming engine; only small per-unit tables come out of that pass:

1. dossiers received in the period (hive partitions ``year``/``month`` pruned first; only the
   columns used are read);
2. each dossier's flags (on time, online, fee paid online, …);
3. counts per unit (and, with a catalogue, whether each unit × procedure had at least one
   dossier online, paid online, with citizen data connected; and the dossiers without a due
   date that ran over the procedure's time limit);
4. from those: counts per unit and ancestor (a parent's counts are the sums over itself and all
   its descendants: a ratio of sums), procedure-level indicators as distinct procedures over
   the subtree, one facts row per unit × indicator.

On time (đúng hạn), for a dossier received in P = [start, end]:

* end time = the first terminal event (``finished_at``) when it happened by the end of P,
  otherwise the last instant of P (the dossier is still in process);
* on time when end time ≤ due date; a due date written without a time (00:00) means the whole
  of that day;
* more than one supplement request (yêu cầu bổ sung) → overdue;
* clock stop for the one supplement request allowed: with the request's date
  (``supplement_requested_at``) the time from the request until the supplement came back
  (``supplement_received_at``, or the end time while still pending) is taken off the end time;
  without dates, a dossier whose status says it waits for the applicant's supplement
  (``Chờ bổ sung``) and that is unfinished at the end of P is on time — its clock is stopped;
  otherwise the due date in the export is taken as already moved by the system;
* no due date: working days (ngày làm việc: :mod:`analysis.contract.calendar`, without weekends,
  public holidays and the government's bridge days, with the Saturdays worked for them) from receipt to the
  end time are compared with the procedure's legal time limit (``time_limit_days`` of the
  procedure catalogue, by unit and procedure, else by procedure); with no limit known, on time.

AVG_PROCESSING_DAYS: numerator = calendar days from receipt to finish summed over dossiers
received in P that were finished (status finished or returned) by the end of P; denominator =
their number (the score shows numerator ÷ denominator).

A unit's indicator whose input column is absent (e.g. no ``synced`` column) has an empty
numerator and denominator — "no data", never zero.  A unit with no dossiers has 0 / 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import polars as pl

from analysis.contract import schema
from analysis.contract.calendar import working_days_between_expr
from analysis.contract.periods import Period, parse_period
from analysis.errors import InputError, Problem
from analysis.scoring.units import active_in, bundled_units, descendants

FACTS_SCHEMA = schema("facts")

DOSSIER_INDICATORS = (
    "ON_TIME", "AVG_PROCESSING_DAYS", "DOSSIER_SYNC", "ONLINE_DOSSIER", "DIRECT_DOSSIER", "POSTAL_DOSSIER",
    "PAYMENT_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION", "ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET",
    "REUSED_DIGITIZED_DATA", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "CITIZEN_DATA_CONNECTED_DOSSIER",
)
PROCEDURE_INDICATORS = (
    "ONLINE_PROVISION", "ONLINE_USAGE", "PAYMENT_FORMALITY", "FEE_INTEGRATED", "CITIZEN_DATA_CONNECTED_FORMALITY",
)
PETITION_INDICATORS = (
    "PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION", "PETITION_CLASSIFICATION_TTHC",
    "PETITION_CLASSIFICATION_STAFF",
)
INDICATORS = DOSSIER_INDICATORS + PROCEDURE_INDICATORS + PETITION_INDICATORS

BOOL_FLAGS = ("synced", "e_result", "digitized", "reused_data", "personal_store", "citizen_data")
ONE_MICROSECOND = timedelta(microseconds=1)
ONE_DAY = timedelta(days=1)
MICROSECONDS_A_DAY = 86_400_000_000


@dataclass(frozen=True)
class Window:
    """A period as instants: ``start`` (first instant) and ``stop`` (first instant after it)."""

    start: datetime
    stop: datetime

    @classmethod
    def of(cls, period: Period) -> Window:
        return cls(datetime.combine(period.start, time()), datetime.combine(period.end + timedelta(days=1), time()))

    @property
    def last(self) -> datetime:
        return self.stop - ONE_MICROSECOND


def _lazy(frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


def with_defaults(lf: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Absent columns as nulls (no data), so every expression below can name them."""
    have = lf.collect_schema()
    missing = [pl.lit(None, dtype=dtype).alias(c) for c, dtype in schema.items() if c not in have]
    return lf.with_columns(missing) if missing else lf


# --------------------------------------------------------------------------------------------
# period filter (with partition pruning)


def received_in(lf: pl.LazyFrame, period: Period, column: str = "received_at") -> pl.LazyFrame:
    """Rows whose receipt falls in the period.

    When the rows carry hive partition columns ``year`` (and ``month``) — the month of receipt,
    as :func:`analysis.io.scan.scan_dossiers` reads them — a filter on those comes first, so
    the scan skips the folders of other months.
    """
    window = Window.of(period)
    have = lf.collect_schema()
    if "year" in have and have["year"].is_integer():
        if "month" in have and have["month"].is_integer():
            first = period.start.year * 100 + period.start.month
            last = period.end.year * 100 + period.end.month
            key = pl.col("year") * 100 + pl.col("month")
            lf = lf.filter((pl.col("year") >= period.start.year) & (pl.col("year") <= period.end.year)
                           & (key >= first) & (key <= last))
        else:
            lf = lf.filter(pl.col("year").is_between(period.start.year, period.end.year))
    return lf.filter((pl.col(column) >= window.start) & (pl.col(column) < window.stop))


def _due_stop(column: str) -> pl.Expr:
    """First instant after the due moment: a date without time means the end of that day."""
    due = pl.col(column)
    # midnight: a whole number of days since 1970 (contract datetimes are naive: a day is 24 hours)
    midnight = due.dt.epoch("us") % MICROSECONDS_A_DAY == 0
    return due + pl.when(midnight).then(pl.lit(ONE_DAY)).otherwise(pl.lit(ONE_MICROSECOND))


# --------------------------------------------------------------------------------------------
# per-dossier flags


def on_time_expr(window: Window, *, limits: bool = True, pause: bool = True) -> pl.Expr:
    """Whether a dossier received in the window is on time (see the module text).

    ``limits=False`` leaves out the working-day count against ``time_limit_days`` (a dossier
    without a due date is then on time): for rows that have no time limit, the same answer
    without computing the count (costly) for every row.  ``pause=False``: the records have none of
    the supplement request's columns (its dates, ``supplement_pending``), so there is no clock stop
    to take off (the same answer, a few vector operations fewer).
    """
    finished_in = pl.col("finished_at").is_not_null() & (pl.col("finished_at") < window.stop)
    end_time = pl.when(finished_in).then(pl.col("finished_at")).otherwise(pl.lit(window.last))
    requests = pl.col("supplement_requests").fill_null(0)
    one_request = requests == 1
    pause_start = pl.col("supplement_requested_at")
    pause_stop = pl.min_horizontal(pl.coalesce(pl.col("supplement_received_at"), end_time), end_time)
    # the clock stop: end time minus the pause when the pause is positive (one request, request date
    # known); min_horizontal skips the null of "no pause"
    effective_end = pl.min_horizontal(end_time, pl.when(one_request).then(end_time - (pause_stop - pause_start)))
    waiting = one_request & pl.col("supplement_pending").fill_null(False) & ~finished_in & pause_start.is_null()
    if not pause:
        effective_end, waiting = end_time, pl.lit(False)
    has_due = pl.col("due_at").is_not_null()
    by_due = has_due & (effective_end < _due_stop("due_at"))  # False (not null) without a due date
    if limits:
        limit = pl.col("time_limit_days")
        elapsed_working_days = working_days_between_expr(pl.col("received_at"), effective_end)
        no_due = ~has_due & (limit.is_null() | (elapsed_working_days <= limit))
    else:
        no_due = ~has_due
    return (requests <= 1) & (waiting | by_due | no_due)


def dossier_flags(dossiers: pl.LazyFrame, window: Window, *, limits: bool = True, pause: bool = True) -> pl.LazyFrame:
    """Per dossier: on time, channel, fee paid online, unhappy (overdue or rated unsatisfied), seconds.

    ``seconds``: whole seconds from receipt to finish for dossiers finished (or returned) by the
    end of the window, else 0 (summed as integers, so the sum is exact and does not depend on
    the order rows are added in).  ``limits``, ``pause``: see :func:`on_time_expr`.
    """
    finished_in = pl.col("finished_at").is_not_null() & (pl.col("finished_at") < window.stop)
    status = pl.col("status")
    counted = finished_in & ((status == "finished") | (status == "returned") | status.is_null())
    seconds = (pl.col("finished_at") - pl.col("received_at")).dt.total_seconds().clip(lower_bound=0)
    return dossiers.with_columns(on_time_expr(window, limits=limits, pause=pause).alias("on_time")).with_columns(
        (pl.col("channel") == "online").alias("online"),
        (pl.col("channel") == "direct").alias("direct"),
        (pl.col("channel") == "postal").alias("postal"),
        (pl.col("fee_required") & pl.col("paid_online")).alias("paid"),
        (~pl.col("on_time") | (pl.col("rating") == "unsatisfied").fill_null(False)).alias("unhappy"),
        counted.alias("done"),
        pl.when(counted).then(seconds).otherwise(0).alias("seconds"),
    )


def _known(column: str) -> pl.Expr:
    return pl.col(column).count().cast(pl.Int64).alias(f"k_{column}")


def _count(expr: pl.Expr, name: str) -> pl.Expr:
    """Rows where a boolean is true (null counts as false)."""
    return expr.sum().cast(pl.Int64).alias(name)


DOSSIER_COUNTS = ("received", "on_time", "online", "direct", "postal", "fee", "paid", "unhappy", "done", "seconds",
                  *BOOL_FLAGS, "k_channel", "k_fee_required", "k_paid_online", *[f"k_{b}" for b in BOOL_FLAGS])


def dossier_counts(flags: pl.LazyFrame, *, by: tuple[str, ...] = ("unit_code",),
                   extra: tuple[pl.Expr, ...] = ()) -> pl.LazyFrame:
    """Counts per unit (the dossier-level indicators need only unit totals).

    ``by`` and ``extra``: more group keys and aggregations, for the single pass of
    :func:`analysis.io.scan.checked_facts` (grouped by unit, problem code and whether the row counts).
    """
    return flags.group_by(*by).agg(
        pl.len().cast(pl.Int64).alias("received"),
        _count(pl.col("on_time"), "on_time"),
        _count(pl.col("online"), "online"),
        _count(pl.col("direct"), "direct"),
        _count(pl.col("postal"), "postal"),
        _count(pl.col("fee_required"), "fee"),
        _count(pl.col("paid"), "paid"),
        _count(pl.col("unhappy"), "unhappy"),
        _count(pl.col("done"), "done"),
        pl.col("seconds").sum().alias("seconds"),
        *[_count(pl.col(b), b) for b in BOOL_FLAGS],
        _known("channel"), _known("fee_required"), _known("paid_online"), *[_known(b) for b in BOOL_FLAGS],
        *extra,
    )


def procedure_use(flags: pl.LazyFrame) -> pl.LazyFrame:
    """Per unit × procedure: at least one dossier online, paid online, with citizen data connected."""
    return flags.group_by("unit_code", "procedure_code").agg(
        pl.col("online").any().alias("any_online"),
        pl.col("paid").any().alias("any_paid"),
        pl.col("citizen_data").any().alias("any_citizen"),
    )


# --------------------------------------------------------------------------------------------
# facts rows


def _ratio_rows(rolled: pl.LazyFrame, specs: Sequence[tuple[str, pl.Expr, pl.Expr, pl.Expr | None]]) -> pl.LazyFrame:
    """One row per unit × indicator; ``known`` false (with rows to count) → empty numerator and denominator."""
    parts = []
    for indicator, numerator, denominator, known in specs:
        no_data = pl.lit(False) if known is None else ~known
        parts.append(rolled.select(
            "unit_code",
            pl.lit(indicator).alias("indicator"),
            pl.when(no_data).then(None).otherwise(numerator).cast(pl.Float64).alias("numerator"),
            pl.when(no_data).then(None).otherwise(denominator).cast(pl.Float64).alias("denominator"),
        ))
    return pl.concat(parts)


def _known_for(*columns: str) -> pl.Expr:
    """Data exist for the unit's subtree, or there is nothing to count (0 / 0 stays 0 / 0)."""
    return (pl.col("received") == 0) | pl.all_horizontal([pl.col(c) > 0 for c in columns])


def _dossier_rows(rolled: pl.LazyFrame) -> pl.LazyFrame:
    r = pl.col("received")
    specs = [
        ("ON_TIME", pl.col("on_time"), r, None),
        ("AVG_PROCESSING_DAYS", pl.col("seconds") / 86400.0, pl.col("done"), None),
        ("DOSSIER_SYNC", pl.col("synced"), r, _known_for("k_synced")),
        ("ONLINE_DOSSIER", pl.col("online"), r, _known_for("k_channel")),
        ("DIRECT_DOSSIER", pl.col("direct"), r, _known_for("k_channel")),
        ("POSTAL_DOSSIER", pl.col("postal"), r, _known_for("k_channel")),
        ("PAYMENT_DOSSIER", pl.col("paid"), pl.col("fee"), _known_for("k_fee_required", "k_paid_online")),
        ("DOSSIER_RECEIVING_SATISFACTION", r - pl.col("unhappy"), r, None),
        ("ORIGINAL_RESULT_AVAILABLE", pl.col("e_result"), r, _known_for("k_e_result")),
        ("SO_HOA_GIAY_TO_GIAI_QUYET", pl.col("digitized"), r, _known_for("k_digitized")),
        ("REUSED_DIGITIZED_DATA", pl.col("reused_data"), r, _known_for("k_reused_data")),
        ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", pl.col("personal_store"), r, _known_for("k_personal_store")),
        ("CITIZEN_DATA_CONNECTED_DOSSIER", pl.col("citizen_data"), r, _known_for("k_citizen_data")),
    ]
    return _ratio_rows(rolled, specs)


def _procedure_rows(procedures: pl.LazyFrame, use: pl.LazyFrame, pairs: pl.LazyFrame,
                    dossier_rolled: pl.LazyFrame) -> pl.LazyFrame:
    """Distinct procedures over each unit's subtree (catalogue × use in the period, :func:`procedure_use`)."""
    catalogue = procedures.join(use, on=["unit_code", "procedure_code"], how="left").with_columns(
        pl.col("any_online", "any_paid", "any_citizen").fill_null(False),
        pl.col("online_level").is_in(["partial", "full"]).alias("offered"),
    )
    fee = pl.col("has_fee").fill_null(False)
    citizen = pl.col("citizen_subject").fill_null(False)
    # first one row per ancestor × procedure (is it offered, used… anywhere in the subtree?), then
    # sums of those: the same as counting distinct procedures, with one hash of the codes
    per_procedure = (
        catalogue.join(pairs, on="unit_code", how="inner")
        .group_by("ancestor_code", "procedure_code")
        .agg(
            pl.col("offered").any().alias("offered"),
            (pl.col("offered") & pl.col("any_online")).any().alias("used_online"),
            fee.any().alias("fee_procedures"),
            (fee & pl.col("any_paid")).any().alias("paid_procedures"),
            (fee & pl.col("fee_integrated").fill_null(False)).any().alias("integrated"),
            citizen.any().alias("citizen_procedures"),
            (citizen & pl.col("any_citizen")).any().alias("citizen_used"),
            pl.col("online_level").is_not_null().sum().alias("k_online_level"),
            pl.col("has_fee").is_not_null().sum().alias("k_has_fee"),
            pl.col("fee_integrated").is_not_null().sum().alias("k_fee_integrated"),
            pl.col("citizen_subject").is_not_null().sum().alias("k_citizen_subject"),
        )
    )
    flags = ["offered", "used_online", "fee_procedures", "paid_procedures", "integrated", "citizen_procedures",
             "citizen_used"]
    rolled = (
        per_procedure.group_by("ancestor_code")
        .agg(
            pl.len().alias("procedures"),
            *[pl.col(f).cast(pl.Int64).sum() for f in flags],
            *[pl.col(k).sum() for k in ("k_online_level", "k_has_fee", "k_fee_integrated", "k_citizen_subject")],
        )
        .rename({"ancestor_code": "unit_code"})
        .join(dossier_rolled.select("unit_code", "received", "k_channel", "k_fee_required", "k_paid_online",
                                    "k_citizen_data"), on="unit_code", how="left")
        .with_columns(pl.col("received", "k_channel", "k_fee_required", "k_paid_online", "k_citizen_data").fill_null(0))
    )

    def known(*columns: str, dossier: tuple[str, ...] = ()) -> pl.Expr:
        catalogue_known = (pl.col("procedures") == 0) | pl.all_horizontal([pl.col(c) > 0 for c in columns])
        if not dossier:
            return catalogue_known
        return catalogue_known & ((pl.col("received") == 0) | pl.all_horizontal([pl.col(c) > 0 for c in dossier]))

    specs = [
        ("ONLINE_PROVISION", pl.col("offered"), pl.col("procedures"), known("k_online_level")),
        ("ONLINE_USAGE", pl.col("used_online"), pl.col("offered"), known("k_online_level", dossier=("k_channel",))),
        ("PAYMENT_FORMALITY", pl.col("paid_procedures"), pl.col("fee_procedures"),
         known("k_has_fee", dossier=("k_fee_required", "k_paid_online"))),
        ("FEE_INTEGRATED", pl.col("integrated"), pl.col("fee_procedures"), known("k_has_fee", "k_fee_integrated")),
        ("CITIZEN_DATA_CONNECTED_FORMALITY", pl.col("citizen_used"), pl.col("citizen_procedures"),
         known("k_citizen_subject", dossier=("k_citizen_data",))),
    ]
    return _ratio_rows(rolled, specs)


PETITION_COLUMNS = schema("petitions")


def petition_counts(petitions: pl.LazyFrame, period: Period) -> pl.LazyFrame:
    """Per unit: petitions received in P, handled on time, satisfied, by category.

    On time: resolved by its deadline (the end time being the resolution when it happened by the
    end of P, else the end of P), or still open and not past it; no deadline → on time.
    Not satisfied: rated unsatisfied or followed by a repeat complaint (``unsatisfied``), or
    resolved (by the end of P) after its deadline.
    """
    window = Window.of(period)
    resolved_in = pl.col("resolved_at").is_not_null() & (pl.col("resolved_at") < window.stop)
    end_time = pl.when(resolved_in).then(pl.col("resolved_at")).otherwise(pl.lit(window.last))
    has_due = pl.col("due_at").is_not_null()
    on_time = ~has_due | (end_time < _due_stop("due_at"))
    late_handled = resolved_in & has_due & (pl.col("resolved_at") >= _due_stop("due_at"))
    unhappy = pl.col("unsatisfied").fill_null(False) | late_handled
    return (
        received_in(petitions, period)
        .group_by("unit_code")
        .agg(
            pl.len().cast(pl.Int64).alias("received"),
            _count(on_time, "on_time"),
            _count(unhappy, "unhappy"),
            _count(pl.col("category") == "tthc", "tthc"),
            _count(pl.col("category") == "staff", "staff"),
            _known("category"),
            _known("unsatisfied"),
        )
    )


def _petition_rows(rolled: pl.LazyFrame) -> pl.LazyFrame:
    r = pl.col("received")
    specs = [
        ("PETITION_PROCESSING_ON_TIME", pl.col("on_time"), r, None),
        ("PETITION_HANDLING_SATISFACTION", r - pl.col("unhappy"), r, None),
        ("PETITION_CLASSIFICATION_TTHC", pl.col("tthc"), r, _known_for("k_category")),
        ("PETITION_CLASSIFICATION_STAFF", pl.col("staff"), r, _known_for("k_category")),
    ]
    return _ratio_rows(rolled, specs)


def _roll_up(counts: pl.LazyFrame, pairs: pl.LazyFrame, columns: tuple[str, ...] | list[str],
             units: pl.LazyFrame) -> pl.LazyFrame:
    """Sum per unit over itself and all its descendants; every unit gets a row (zeros when idle)."""
    summed = (
        counts.join(pairs, on="unit_code", how="inner")
        .group_by("ancestor_code")
        .agg(pl.col(c).sum() for c in columns)
        .rename({"ancestor_code": "unit_code"})
    )
    return units.select("unit_code").join(summed, on="unit_code", how="left").with_columns(
        pl.col(c).fill_null(0) for c in columns
    )


# --------------------------------------------------------------------------------------------
# the public entry point

DOSSIER_COLUMNS = schema("dossiers")
PROCEDURE_COLUMNS = schema("procedures")


def time_limit_tables(procedures: pl.LazyFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The procedures' legal time limits (thời hạn giải quyết) by unit × procedure and by procedure.

    Where the catalogue gives one procedure more than one limit, the largest counts.  Small
    tables (one row per catalogue entry at most), made before the records are read.
    """
    limits = procedures.filter(pl.col("time_limit_days").is_not_null()).select(
        "unit_code", "procedure_code", pl.col("time_limit_days").cast(pl.Float64))
    by_pair = limits.group_by("unit_code", "procedure_code").agg(pl.col("time_limit_days").max().alias("_limit_pair"))
    by_code = limits.group_by("procedure_code").agg(pl.col("time_limit_days").max().alias("_limit_code"))
    pair, code = pl.collect_all([by_pair, by_code])
    return pair, code


def _time_limits(dossiers: pl.LazyFrame, tables: tuple[pl.DataFrame, pl.DataFrame]) -> pl.LazyFrame:
    """Attach the procedure's legal time limit (by unit and procedure, else by procedure) to the
    dossiers without a due date (the only ones that need it; others get null)."""
    by_pair, by_code = tables
    return (
        dossiers.drop("time_limit_days", strict=False)
        .join(by_pair.lazy(), on=["unit_code", "procedure_code"], how="left")
        .join(by_code.lazy(), on="procedure_code", how="left")
        .with_columns(
            pl.when(pl.col("due_at").is_null()).then(pl.coalesce("_limit_pair", "_limit_code")).alias("time_limit_days")
        )
        .drop("_limit_pair", "_limit_code")
    )


def late_by_working_days(dossiers: pl.LazyFrame, tables: tuple[pl.DataFrame, pl.DataFrame],
                         window: Window) -> pl.LazyFrame:
    """Per unit: dossiers without a due date that ran over the procedure's time limit in working days.

    :func:`dossier_counts` is made without time limits (a dossier with no due date is on time
    there); only dossiers without a due date are compared with a limit, so only those rows are
    looked up and counted here.  ``late``: on time without the limit, not on time with it;
    ``late_unhappy``: those of them not already rated unsatisfied.  See :func:`_with_late`.
    """
    undated = _time_limits(dossiers.filter(pl.col("due_at").is_null()), tables)
    late = on_time_expr(window, limits=False) & ~on_time_expr(window, limits=True)
    unsatisfied = (pl.col("rating") == "unsatisfied").fill_null(False)
    return undated.filter(pl.col("time_limit_days").is_not_null()).group_by("unit_code").agg(
        _count(late, "late"), _count(late & ~unsatisfied, "late_unhappy"))


def _with_late(counts: pl.LazyFrame, late: pl.LazyFrame) -> pl.LazyFrame:
    """Counts corrected for the time limits: late dossiers off ``on_time``, onto ``unhappy``."""
    return counts.join(late, on="unit_code", how="left").with_columns(
        pl.col("on_time") - pl.col("late").fill_null(0),
        pl.col("unhappy") + pl.col("late_unhappy").fill_null(0),
    ).drop("late", "late_unhappy")


def dossier_facts(
    dossiers: pl.LazyFrame | pl.DataFrame,
    period: Period,
    *,
    units: pl.DataFrame | None = None,
    procedures: pl.LazyFrame | pl.DataFrame | None = None,
    petitions: pl.LazyFrame | pl.DataFrame | None = None,
    counted: tuple[pl.LazyFrame, Callable[[pl.DataFrame], pl.DataFrame]] | None = None,
) -> pl.DataFrame:
    """Facts (analysis.scoring.facts.SCHEMA) for every unit of ``units`` and every indicator records yield.

    ``units`` defaults to Phú Thọ's bundled units.  A unit code in the records that is not in
    ``units`` is an :class:`InputError` (give the units table).  Procedure-level indicators need
    ``procedures``; petition indicators need ``petitions``.

    ``counted``: a query standing in for :func:`dossier_counts` (collected in the same pass as the
    other record-scale queries) and the function turning its result into the counts per unit —
    how :func:`analysis.io.scan.checked_facts` runs the row checks in the pass that counts.
    """
    if isinstance(period, str):
        period = parse_period(period)
    if units is None:
        units = bundled_units()
    units = active_in(units, period.start, period.end)
    window = Window.of(period)
    pairs = descendants(units).lazy()
    unit_lf = units.lazy()
    proc_lf = with_defaults(_lazy(procedures), PROCEDURE_COLUMNS) if procedures is not None else None

    # 1. the record-scale work, collected together by the streaming engine: counts per unit and,
    # with a catalogue, the late dossiers per unit and the use per unit × procedure (and petition
    # counts); everything after works on these small tables
    d = with_defaults(_lazy(dossiers), DOSSIER_COLUMNS)
    d = received_in(d, period)
    flags = dossier_flags(d, window, limits=False)
    big = [dossier_counts(flags) if counted is None else counted[0]]
    if proc_lf is not None:  # time limits come from the catalogue
        big += [late_by_working_days(d, time_limit_tables(proc_lf), window), procedure_use(flags)]
    if petitions is not None:
        big.append(petition_counts(with_defaults(_lazy(petitions), PETITION_COLUMNS), period))
    small = [frame.lazy() for frame in pl.collect_all(big, engine="streaming")]
    if counted is not None:
        small[0] = counted[1](small[0].collect()).lazy()
    counts = small[0] if proc_lf is None else _with_late(small[0], small[1])

    # 2. roll-up and facts rows
    dossier_rolled = _roll_up(counts, pairs, DOSSIER_COUNTS, unit_lf)
    parts = [_dossier_rows(dossier_rolled)]
    unknown = [counts.select(pl.lit("dossiers").alias("table"), "unit_code", pl.col("received").alias("rows"))]
    if proc_lf is not None:
        parts.append(_procedure_rows(proc_lf, small[2], pairs, dossier_rolled))
        unknown.append(proc_lf.group_by("unit_code").agg(pl.len().cast(pl.Int64).alias("rows")).select(
            pl.lit("procedures").alias("table"), "unit_code", "rows"))
    if petitions is not None:
        pcounts = small[-1]
        prolled = _roll_up(pcounts, pairs, ["received", "on_time", "unhappy", "tthc", "staff", "k_category",
                                            "k_unsatisfied"], unit_lf)
        parts.append(_petition_rows(prolled))
        unknown.append(pcounts.select(pl.lit("petitions").alias("table"), "unit_code", pl.col("received").alias("rows")))

    return _facts_table(parts, unknown, unit_lf, period)


def _facts_table(parts: list[pl.LazyFrame], unknown: list[pl.LazyFrame], units: pl.LazyFrame,
                 period: Period) -> pl.DataFrame:
    """The facts rows with their units' names and levels, in unit and indicator order; a unit code
    of the records (``unknown``: table, unit_code, rows) that the units table lacks is an error."""
    facts_lf = (
        pl.concat(parts)
        .join(units.select("unit_code", "unit_name", "level", "parent_code"), on="unit_code", how="left")
        .select(
            pl.lit(period.code).alias("period"), "unit_code", "unit_name", "level", "parent_code", "indicator",
            "numerator", "denominator",
            pl.lit(None, dtype=pl.Float64).alias("published_score"), pl.lit(None, dtype=pl.Date).alias("as_of"),
        )
    )
    strays_lf = pl.concat(unknown).join(units.select("unit_code"), on="unit_code", how="anti")
    facts, strays = pl.collect_all([facts_lf, strays_lf], engine="streaming")
    if strays.height:
        raise InputError([
            Problem(f"<{table}>", f"unit code '{code}' ({rows} rows in the period) is not in the units table "
                    "(or the unit was not valid in the period): give a units table (--units) that has it",
                    None, "unit_code")
            for table, code, rows in strays.sort("table", "unit_code").iter_rows()
        ])
    order = {name: i for i, name in enumerate(INDICATORS)}
    facts = facts.with_columns(pl.col("indicator").replace_strict(order, return_dtype=pl.Int32).alias("_o"))
    return facts.sort("unit_code", "_o").drop("_o").cast(pl.Schema(FACTS_SCHEMA)).select(list(FACTS_SCHEMA))
