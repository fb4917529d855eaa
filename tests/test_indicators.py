"""Indicators from one-stop-shop records, checked against counts worked out by hand.

The fixture (tests/fixtures/records) is a small province T01:

    T01 (tỉnh)
    ├── T01.01 (sở)            16 dossiers S01–S16 (S13 received in July, S14 in September)
    ├── T01.H1 (huyện)         1 dossier H01
    │   ├── T01.H1.X1 (xã)     3 dossiers X101–X103
    │   └── T01.H1.X2 (xã)     1 dossier X201
    └── T01.H2 (huyện)         nothing (an idle unit: 0 / 0)

Every expected number below is derived from the fixture rows (see the comments), not from the
code's output.  August 2026 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from analysis.contract.periods import parse_period
from analysis.io.indicators import dossier_facts, received_in
from analysis.io.records import read_dossiers, read_petitions, read_procedures
from analysis.io.scan import scan_dossiers
from analysis.scoring.units import read_units
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "records"


@pytest.fixture(scope="module")
def units() -> pl.DataFrame:
    return read_units(FIXTURES / "units.csv")


@pytest.fixture(scope="module")
def loaded(units):
    return (
        read_dossiers(FIXTURES / "dossiers.csv", units=units),
        read_procedures(FIXTURES / "procedures.csv", units=units),
        read_petitions(FIXTURES / "petitions.csv", units=units),
    )


def facts_for(period: str, units, loaded, *, lazy: bool = False) -> dict[tuple[str, str], tuple]:
    dossiers, procedures, petitions = loaded
    frame = dossiers.frame.lazy() if lazy else dossiers.frame
    facts = dossier_facts(frame, parse_period(period), units=units,
                          procedures=procedures.frame, petitions=petitions.frame)
    return {(u, i): (n, d) for u, i, n, d in facts.select("unit_code", "indicator", "numerator", "denominator").iter_rows()}


@pytest.fixture(scope="module")
def august(units, loaded):
    return facts_for("2026-08", units, loaded)


def test_fixture_loads_whole(loaded):
    dossiers, procedures, petitions = loaded
    assert (dossiers.summary.rows_in, dossiers.summary.rows_used, dossiers.summary.rows_rejected) == (21, 21, 0)
    assert procedures.summary.rows_used == 9
    assert petitions.summary.rows_used == 6


def test_on_time_rules_one_by_one(august):
    # T01.01, received in August (S13 July and S14 September are outside): S01–S12, S15, S16 = 14.
    # on time:
    #   S01 finished 07/08 16:00, due 07/08 written without time = the whole day
    #   S04 unfinished, due 10/09 not yet past at the end of August
    #   S06 finished 10/09 (after the period): end time = end of August ≤ due 15/09
    #   S08 one supplement request, clock stopped 07/08 08:00 → 14/08 08:00 (7 days):
    #       finished 18/08 08:00 − 7 days = 11/08 08:00 ≤ due 12/08
    #   S09 "Chờ bổ sung" with one request, unfinished: clock stopped
    #   S10 no due date, procedure 1.001 limit 5 working days: Mon 03/08 → Fri 07/08 = 4
    #   S12 no due date, procedure 1.003 has no limit → on time
    #   S15 returned 12/08 ≤ due 14/08
    # overdue:
    #   S02 finished 06/08 08:00 after due 05/08 17:00
    #   S03 unfinished, due 20/08 passed by the end of August
    #   S05 finished 05/09, after the period: end time = end of August > due 25/08
    #   S07 finished early but two supplement requests
    #   S11 no due date: 03/08 → 14/08 is 9 working days > 5
    #   S16 withdrawn 20/08 after due 14/08
    assert august[("T01.01", "ON_TIME")] == (8, 14)


def test_average_processing_days(august):
    # finished or returned by 31/08 (received in August): S01 4d8h = 4.3333, S02 3.0, S07 5.0,
    # S08 13.0, S10 4d7h = 4.2917, S11 11.0, S15 1.0 → 41.625 days over 7 dossiers
    # (S05/S06 finish in September, S16 is withdrawn, S03/S04/S09/S12 are open).
    numerator, denominator = august[("T01.01", "AVG_PROCESSING_DAYS")]
    assert numerator == pytest.approx(41.625)
    assert denominator == 7
    # X1: X101 1.0 + X103 2d9h = 2.375 → 3.375 / 2
    assert august[("T01.H1.X1", "AVG_PROCESSING_DAYS")] == pytest.approx((3.375, 2))


def test_dossier_indicators_for_the_department(august):
    u = "T01.01"
    expected = {
        "DOSSIER_SYNC": (7, 14),              # S01 S02 S03 S05 S06 S07 S08
        "ONLINE_DOSSIER": (5, 14),            # S01 S03 S05 S08 S16
        "DIRECT_DOSSIER": (8, 14),            # S02 S06 S07 S09 S10 S11 S12 S15
        "POSTAL_DOSSIER": (1, 14),            # S04
        "PAYMENT_DOSSIER": (3, 5),            # fee: S01 S02 S05 S10 S11; paid online: S01 S05 S11
                                              # (S03 says paid but carries no fee: not counted)
        # overdue S02 S03 S05 S07 S11 S16, unsatisfied S02 (already overdue) and S04 → 7 unhappy
        "DOSSIER_RECEIVING_SATISFACTION": (7, 14),
        "ORIGINAL_RESULT_AVAILABLE": (4, 14),  # S01 S02 S08 S15
        "SO_HOA_GIAY_TO_GIAI_QUYET": (5, 14),  # S01 S02 S07 S08 S10
        "REUSED_DIGITIZED_DATA": (2, 14),      # S01 S08
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": (2, 14),  # S01 S10
        "CITIZEN_DATA_CONNECTED_DOSSIER": (3, 14),       # S01 S03 S10
    }
    for indicator, value in expected.items():
        assert august[(u, indicator)] == value, indicator


def test_roll_up_is_a_ratio_of_sums(august):
    # T01.H1 = itself (H01, on time) + X1 (X101, X103 on time; X102 overdue) + X2 (X201 on time)
    assert august[("T01.H1", "ON_TIME")] == (4, 5)
    # the province: T01.01 8/14 + T01.H1 4/5 = 12/19 (the mean of the children's ratios would be 0.69)
    assert august[("T01", "ON_TIME")] == (12, 19)
    # fee dossiers: T01.01 3/5, H01 1/1, X103 0/1, X201 1/1 → 5/8
    assert august[("T01", "PAYMENT_DOSSIER")] == (5, 8)
    assert august[("T01", "AVG_PROCESSING_DAYS")] == pytest.approx((41.625 + 1.0 + 3.375 + 1.0, 7 + 1 + 2 + 1))
    # unhappy in T01.H1: X102 overdue, X101 unsatisfied → 5 − 2
    assert august[("T01.H1", "DOSSIER_RECEIVING_SATISFACTION")] == (3, 5)


def test_idle_unit_has_zero_over_zero(august):
    assert august[("T01.H2", "ON_TIME")] == (0, 0)
    assert august[("T01.H2", "PETITION_PROCESSING_ON_TIME")] == (0, 0)


def test_procedure_indicators_count_distinct_procedures(august):
    # T01.01 catalogue: 1.001 full, 1.002 partial, 1.003 none; fee: 1.001, 1.003; integrated 1.001;
    # citizens: 1.001, 1.002.  Online dossiers in August for 1.001 (S01 S05), 1.002 (S03 S08) and
    # 1.003 (S16, but 1.003 is not offered online); paid online: 1.001; VNeID: 1.001, 1.002.
    assert august[("T01.01", "ONLINE_PROVISION")] == (2, 3)
    assert august[("T01.01", "ONLINE_USAGE")] == (2, 2)
    assert august[("T01.01", "PAYMENT_FORMALITY")] == (1, 2)
    assert august[("T01.01", "FEE_INTEGRATED")] == (1, 2)
    assert august[("T01.01", "CITIZEN_DATA_CONNECTED_FORMALITY")] == (2, 2)
    # T01.H1's subtree has rows 3.001 (H1), 2.001 + 1.001 (X1), 1.001 + 2.001 (X2): 5 rows, 3 procedures.
    # offered: 3.001, 2.001 (X1 partial), 1.001 → 3/3; used online: 3.001 (H01), 1.001 (X103, X201) → 2/3
    assert august[("T01.H1", "ONLINE_PROVISION")] == (3, 3)
    assert august[("T01.H1", "ONLINE_USAGE")] == (2, 3)
    # fee procedures 3.001, 1.001; paid online: 3.001 (H01), 1.001 (X201) → 2/2; integrated: 3.001, 1.001 (X2)
    assert august[("T01.H1", "PAYMENT_FORMALITY")] == (2, 2)
    assert august[("T01.H1", "FEE_INTEGRATED")] == (2, 2)
    # citizens: 3.001, 2.001, 1.001; with a VNeID dossier: 3.001 (H01), 1.001 (X103, X201) → 2/3
    assert august[("T01.H1", "CITIZEN_DATA_CONNECTED_FORMALITY")] == (2, 3)
    # X1 alone: 1.001 offered partially and used (X103) but 2.001 not used → 1/2; fee 1.001 not paid
    assert august[("T01.H1.X1", "ONLINE_USAGE")] == (1, 2)
    assert august[("T01.H1.X1", "PAYMENT_FORMALITY")] == (0, 1)
    # the province: 6 distinct procedures (9 catalogue rows); offered 1.001 1.002 3.001 2.001 4.001;
    # used online: 1.001 1.002 3.001; fee: 1.001 1.003 3.001 4.001; paid: 1.001 3.001;
    # integrated: 1.001 3.001; citizens 1.001 1.002 3.001 2.001, with VNeID 1.001 1.002 3.001
    assert august[("T01", "ONLINE_PROVISION")] == (5, 6)
    assert august[("T01", "ONLINE_USAGE")] == (3, 5)
    assert august[("T01", "PAYMENT_FORMALITY")] == (2, 4)
    assert august[("T01", "FEE_INTEGRATED")] == (2, 4)
    assert august[("T01", "CITIZEN_DATA_CONNECTED_FORMALITY")] == (3, 4)
    # T01.H2: 4.001 offered partially, no dossiers; no procedure for citizens → 0/0
    assert august[("T01.H2", "ONLINE_USAGE")] == (0, 1)
    assert august[("T01.H2", "CITIZEN_DATA_CONNECTED_FORMALITY")] == (0, 0)


def test_petition_indicators(august):
    # T01.01 in August: P01 (resolved 09/08, due 10/08: on time), P02 (resolved 15/08 after due 12/08:
    # late, so also not satisfied), P03 (open, due 10/09 not past: on time; rated unsatisfied),
    # P04 (open, due 20/08 passed: not on time; not handled, not rated → satisfied). P05 is July.
    assert august[("T01.01", "PETITION_PROCESSING_ON_TIME")] == (2, 4)
    assert august[("T01.01", "PETITION_HANDLING_SATISFACTION")] == (2, 4)
    assert august[("T01.01", "PETITION_CLASSIFICATION_TTHC")] == (2, 4)    # P01 P04
    assert august[("T01.01", "PETITION_CLASSIFICATION_STAFF")] == (1, 4)   # P02
    # X1: P06 resolved 05/08 16:00 on its due day (no time: the whole day) → on time; about staff
    assert august[("T01.H1.X1", "PETITION_PROCESSING_ON_TIME")] == (1, 1)
    assert august[("T01", "PETITION_PROCESSING_ON_TIME")] == (3, 5)
    assert august[("T01", "PETITION_CLASSIFICATION_STAFF")] == (2, 5)


def test_every_indicator_for_every_unit(august, units):
    from analysis.io.indicators import INDICATORS

    assert {u for u, _ in august} == set(units["unit_code"])
    assert {i for _, i in august} == set(INDICATORS)
    assert len(august) == units.height * len(INDICATORS)


def test_quarter_moves_the_end_of_the_period(units, loaded):
    q3 = facts_for("2026-Q3", units, loaded)
    # Q3 adds S13 (July, finished before its due date: on time) and S14 (September, open, due 03/09
    # passed by 30/09: overdue).  The later period end changes S04 (open, due 10/09 < 30/09: now
    # overdue) and S03 stays overdue; S05 (finished 05/09 > due 25/08) overdue, S06 (10/09 ≤ 15/09)
    # on time.  On time: S01 S06 S08 S09 S10 S12 S13 S15 = 8 of 16.
    assert q3[("T01.01", "ON_TIME")] == (8, 16)
    assert q3[("T01.01", "PETITION_PROCESSING_ON_TIME")][1] == 5  # P05 (July) joins


def test_date_range(units, loaded):
    r = facts_for("2026-08-01..2026-08-10", units, loaded)
    # received 01–10/08 at T01.01: S01 S02 S03 S07 S08 S09 S10 S11 S12 = 9; end of period 10/08:
    # S03 open, due 20/08 → on time; S08 still paused at the end (request 07/08, back 14/08) → on time;
    # S11 open at 10/08 with 5 working days elapsed (03–07/08) ≤ limit 5 → on time;
    # overdue: S02 (late), S07 (two requests) → 7 of 9
    assert r[("T01.01", "ON_TIME")] == (7, 9)
    facts = dossier_facts(loaded[0].frame, parse_period("2026-08-01..2026-08-10"), units=units)
    assert facts["period"].unique().to_list() == ["2026-08-01..2026-08-10"]


def test_lazy_and_eager_agree(units, loaded, august):
    assert facts_for("2026-08", units, loaded, lazy=True) == august


def test_absent_column_means_no_data_not_zero(units):
    frame = pl.DataFrame({
        "dossier_id": ["a", "b"], "unit_code": ["T01.01", "T01.01"], "procedure_code": ["1", "1"],
        "received_at": [datetime(2026, 8, 3), datetime(2026, 8, 4)],
    })
    facts = dossier_facts(frame, parse_period("2026-08"), units=units)
    row = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "DOSSIER_SYNC"))
    assert row["numerator"].to_list() == [None] and row["denominator"].to_list() == [None]
    # no due date and no catalogue: both open dossiers are on time
    on_time = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ON_TIME"))
    assert on_time.select("numerator", "denominator").row(0) == (2, 2)


def test_unknown_unit_in_records_is_an_input_error(units):
    from analysis.errors import InputError

    frame = pl.DataFrame({"dossier_id": ["a"], "unit_code": ["Z99"], "procedure_code": ["1"],
                          "received_at": [datetime(2026, 8, 3)]})
    with pytest.raises(InputError, match="Z99"):
        dossier_facts(frame, parse_period("2026-08"), units=units)


# --------------------------------------------------------------------------------------------
# hive-partitioned Parquet


@pytest.fixture()
def hive(tmp_path, loaded) -> Path:
    frame = loaded[0].frame.with_columns(
        pl.col("received_at").dt.year().cast(pl.Int64).alias("year"),
        pl.col("received_at").dt.month().cast(pl.Int64).alias("month"),
        pl.lit("T01").alias("province"),
        pl.lit("Nguyễn Văn An").alias("applicant_name"),  # personal data that must never be read
    )
    folder = tmp_path / "dossiers"
    frame.write_parquet(folder, partition_by=["province", "year", "month"])
    return folder


def test_hive_scan_prunes_partitions_and_columns(hive):
    lf = received_in(scan_dossiers(hive), parse_period("2026-08")).select("unit_code", "received_at")
    plan = lf.explain()
    scanned = [line for line in plan.splitlines() if "SCAN" in line]
    # only the August folder is read (S13 is in month=7, S14 in month=9)
    assert "month=8" in plan and "month=7" not in plan and "month=9" not in plan, plan
    assert scanned, plan
    # only the columns asked for (plus those the filter needs) are read; the personal column never is
    assert "applicant_name" not in plan
    projected = [line for line in plan.splitlines() if "PROJECT" in line]
    assert projected and not projected[0].strip().startswith("PROJECT */"), plan
    assert lf.collect().height == 19


def test_hive_scan_gives_the_same_facts(hive, units, loaded, august):
    _, procedures, petitions = loaded
    facts = dossier_facts(scan_dossiers(hive), parse_period("2026-08"), units=units,
                          procedures=procedures.frame, petitions=petitions.frame)
    got = {(u, i): (n, d) for u, i, n, d in facts.select("unit_code", "indicator", "numerator", "denominator").iter_rows()}
    assert got.keys() == august.keys()
    for key, (n, d) in august.items():
        assert got[key][1] == d, key
        assert got[key][0] == pytest.approx(n), key
    assert "applicant_name" not in scan_dossiers(hive).collect_schema()


# --------------------------------------------------------------------------------------------
# the `facts` verb


def test_cli_facts_then_score(tmp_path):
    out = tmp_path / "facts.csv"
    result = run_cli(
        "facts", "--records", str(FIXTURES / "dossiers.csv"), "--procedures", str(FIXTURES / "procedures.csv"),
        "--petitions", str(FIXTURES / "petitions.csv"), "--units", str(FIXTURES / "units.csv"),
        "--period", "2026-08", "--out", str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "21 dòng đọc vào = 21 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert (tmp_path / "facts.rejects.csv").exists()
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    on_time = facts.filter((pl.col("unit_code") == "T01") & (pl.col("indicator") == "ON_TIME"))
    assert on_time.select("numerator", "denominator").row(0) == (12, 19)
    card = tmp_path / "card.csv"
    scored = run_cli("score", "--facts", str(out), "--out", str(card))
    assert scored.returncode == 0, scored.stderr
    scorecard = pl.read_csv(card)
    assert scorecard.height == 6
    # TDGQ = 20 × ON_TIME: the province 20 × 12/19 = 12.63
    tdgq = scorecard.filter(pl.col("unit_code") == "T01")["TDGQ"].item()
    assert tdgq == pytest.approx(12.63, abs=0.005)


def test_cli_facts_from_hive_folder(tmp_path, hive, loaded):
    petitions = tmp_path / "petitions"
    loaded[2].frame.with_columns(
        pl.col("received_at").dt.year().alias("year"), pl.col("received_at").dt.month().alias("month"),
    ).write_parquet(petitions, partition_by=["year", "month"])
    out = tmp_path / "facts.parquet"
    result = run_cli("facts", "--records", str(hive), "--petitions", str(petitions), "--units", str(FIXTURES / "units.csv"),
                     "--period", "2026-08", "--out", str(out), "--rejects", str(tmp_path / "r.csv"))
    assert result.returncode == 0, result.stderr
    # 21 dossier rows, 6 petition rows, all used; August has 19 dossiers (S13 July, S14 September)
    assert "21 dòng đọc vào = 21 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert "6 dòng đọc vào = 6 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert "hồ sơ tiếp nhận trong kỳ (tháng 8/2026): 19" in result.stdout
    facts = pl.read_parquet(out)
    petition = facts.filter((pl.col("unit_code") == "T01") & (pl.col("indicator") == "PETITION_PROCESSING_ON_TIME"))
    assert petition.select("numerator", "denominator").row(0) == (3, 5)
    row = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ON_TIME"))
    # without --procedures no legal time limit is known: S11 (no due date, 9 working days) is now
    # on time, the other 8 as with the catalogue → 9 of 14
    assert row.select("numerator", "denominator").row(0) == (9, 14)
    assert "ONLINE_PROVISION" not in facts["indicator"].to_list()  # needs the catalogue


def test_cli_bad_period(tmp_path):
    result = run_cli("facts", "--records", str(FIXTURES / "dossiers.csv"), "--period", "2026-13",
                     "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert "period" in result.stderr and "Traceback" not in result.stderr


def test_other_months_files_are_never_opened(tmp_path, units):
    # September's file is not Parquet at all: a month's facts must not even open it (the partition
    # filter prunes the folder), a quarter's must fail on it, and the command line names the file.
    frame = pl.DataFrame({
        "dossier_id": ["a", "b"], "unit_code": ["T01.01", "T01.01"], "procedure_code": ["1", "1"],
        "received_at": [datetime(2026, 8, 3), datetime(2026, 9, 5)],
    }).with_columns(pl.col("received_at").dt.year().alias("year"), pl.col("received_at").dt.month().alias("month"))
    folder = tmp_path / "ds"
    frame.write_parquet(folder, partition_by=["year", "month"])
    broken = next(folder.glob("year=2026/month=9/*.parquet"))
    broken.write_bytes(b"not parquet at all")
    august = dossier_facts(scan_dossiers(folder), parse_period("2026-08"), units=units)
    row = august.filter((pl.col("unit_code") == "T01") & (pl.col("indicator") == "ON_TIME"))
    assert row.select("numerator", "denominator").row(0) == (1, 1)
    with pytest.raises(pl.exceptions.ComputeError):
        dossier_facts(scan_dossiers(folder), parse_period("2026-Q3"), units=units)
    result = run_cli("facts", "--records", str(folder), "--units", str(FIXTURES / "units.csv"),
                     "--period", "2026-08", "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert str(broken) in result.stderr and "Traceback" not in result.stderr


def test_units_frame_without_optional_columns_and_validity():
    # a plain units frame (no gso_code, valid_from, valid_to) works; a unit that only exists from
    # September is left out of August, so its dossiers are an input error, not silently dropped
    from analysis.errors import InputError

    units = pl.DataFrame({"unit_code": ["A", "B", "C"], "unit_name": ["Tỉnh A", "Xã B", "Xã C"],
                          "level": ["province", "commune", "commune"], "parent_code": [None, "A", "A"]})
    dossiers = pl.DataFrame({"dossier_id": ["1", "2"], "unit_code": ["B", "C"], "procedure_code": ["p", "p"],
                             "received_at": [datetime(2026, 8, 3), datetime(2026, 8, 4)]})
    facts = dossier_facts(dossiers, parse_period("2026-08"), units=units)
    on_time = facts.filter(pl.col("indicator") == "ON_TIME").select("unit_code", "denominator").rows()
    assert on_time == [("A", 2), ("B", 1), ("C", 1)]
    later = units.with_columns(pl.when(pl.col("unit_code") == "C").then(pl.lit("2026-09-01")).alias("valid_from"))
    with pytest.raises(InputError, match="'C'"):
        dossier_facts(dossiers, parse_period("2026-08"), units=later)
    assert dossier_facts(dossiers.head(1), parse_period("2026-08"), units=later)["unit_code"].unique().sort().to_list() == ["A", "B"]
