"""Synthetic records (analysis.synthetic): determinism, schema, realism, and agreement with the
real portal figures they are calibrated on."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import pytest

from analysis.contract.calendar import days_off, is_working_day_expr, working_days
from analysis.contract.periods import parse_period
from analysis.synthetic.records import generate_records
from analysis.synthetic.schema import PERSONAL_COLUMNS, Records
from analysis.synthetic.seasons import month_weight
from analysis.synthetic.units import anchor_units, national_units, province_code
from analysis.synthetic.writers import write_records
from tests.conftest import run_cli

CONTRACT_DOSSIER = {
    "dossier_id": pl.String, "unit_code": pl.String, "procedure_code": pl.String,
    "received_at": pl.Datetime, "due_at": pl.Datetime, "finished_at": pl.Datetime, "status": pl.String,
    "supplement_requests": pl.Int64, "channel": pl.String, "synced": pl.Boolean, "fee_required": pl.Boolean,
    "paid_online": pl.Boolean, "e_result": pl.Boolean, "digitized": pl.Boolean, "reused_data": pl.Boolean,
    "personal_store": pl.Boolean, "citizen_data": pl.Boolean, "rating": pl.String,
}
"""Data contract, section 3 (typed as the contract says; Datetime of any unit)."""
CONTRACT_PROCEDURE = {
    "unit_code": pl.String, "procedure_code": pl.String, "online_level": pl.String, "has_fee": pl.Boolean,
    "fee_integrated": pl.Boolean, "citizen_subject": pl.Boolean,
}
CONTRACT_PETITION = {
    "petition_id": pl.String, "unit_code": pl.String, "received_at": pl.Datetime, "due_at": pl.Datetime,
    "resolved_at": pl.Datetime, "category": pl.String, "unsatisfied": pl.Boolean,
}
TET_2026 = date(2026, 2, 17)
"""Mùng 1 Tết Bính Ngọ (the official holiday ran 14–22 February 2026)."""


@pytest.fixture(scope="module")
def august() -> Records:
    """Phú Thọ, August 2026, with the real volumes (the calibration month)."""
    return generate_records(anchor_units(), "2026-08", seed=766)


@pytest.fixture(scope="module")
def year() -> Records:
    """Phú Thọ, a whole year, scaled down to 150.000 dossiers."""
    return generate_records(anchor_units(), "2026-01..2026-12", seed=11, dossiers=150_000)


def _assert_types(frame: pl.DataFrame, contract: dict[str, type]) -> None:
    for column, dtype in contract.items():
        assert column in frame.columns, column
        assert frame.schema[column].is_(dtype) or isinstance(frame.schema[column], dtype), (column, frame.schema[column])


# --------------------------------------------------------------------------------------------
# determinism


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path: Path) -> None:
    units = anchor_units()
    runs = {}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        write_records(tmp_path / name, units, "2026-07..2026-08", seed=seed, dossiers=20_000)
        runs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
    assert set(runs["a"]) >= {"dossiers.parquet", "petitions.parquet", "procedures.parquet", "units.parquet",
                              "SYNTHETIC.md", "metadata.json"}
    assert runs["a"] == runs["b"]
    assert runs["a"]["dossiers.parquet"] != runs["c"]["dossiers.parquet"]


def test_csv_and_xlsx_are_deterministic_too(tmp_path: Path) -> None:
    units = anchor_units().filter(pl.col("unit_code").is_in(["H44", "H44.07", "H44.100"]))
    for fmt in ("csv", "xlsx"):
        first = write_records(tmp_path / f"{fmt}1", units, "2026-08", seed=1, dossiers=300, fmt=fmt)
        second = write_records(tmp_path / f"{fmt}2", units, "2026-08", seed=1, dossiers=300, fmt=fmt)
        assert first["dossiers"] == second["dossiers"] == 300
        assert (tmp_path / f"{fmt}1" / f"dossiers.{fmt}").read_bytes() == (tmp_path / f"{fmt}2" / f"dossiers.{fmt}").read_bytes()


# --------------------------------------------------------------------------------------------
# schema and internal consistency


def test_records_follow_the_data_contract(august: Records) -> None:
    d, c, p = august.dossiers, august.procedures, august.petitions
    _assert_types(d, CONTRACT_DOSSIER)
    _assert_types(c, CONTRACT_PROCEDURE)
    _assert_types(p, CONTRACT_PETITION)
    assert not any(col in d.columns for col in PERSONAL_COLUMNS)
    assert d["dossier_id"].n_unique() == d.height
    assert p["petition_id"].n_unique() == p.height
    assert set(d["status"].unique()) <= {"processing", "finished", "returned", "stopped", "rejected", "withdrawn"}
    assert set(d["channel"].unique()) <= {"online", "direct", "postal"}
    assert set(d["rating"].drop_nulls().unique()) == {"satisfied", "unsatisfied"}
    assert set(c["online_level"].unique()) == {"none", "partial", "full"}
    assert set(p["category"].unique()) <= {"tthc", "staff", "other"}
    assert d["procedure_code"].str.contains(r"^\d\.\d{6}$").all()
    # every unit is a real unit; every received date in the month; times in order
    assert set(d["unit_code"].unique()) <= set(august.units["unit_code"])
    assert d["received_at"].dt.date().is_between(date(2026, 8, 1), date(2026, 8, 31)).all()
    assert (d["supplement_requests"] >= 0).all()
    assert (d.drop_nulls("due_at")["due_at"] > d.drop_nulls("due_at")["received_at"]).all()
    done = d.drop_nulls("finished_at")
    assert (done["finished_at"] > done["received_at"]).all()
    assert ((d["status"] == "processing") == d["finished_at"].is_null()).all()
    assert not (d["paid_online"] & ~d["fee_required"]).any()
    # the procedure of a dossier is in its unit's catalogue, with a fee exactly when the dossier has one,
    # and offered online when the dossier came online
    joined = d.join(c, on=["unit_code", "procedure_code"], how="left")
    assert joined["online_level"].null_count() == 0
    assert (joined["has_fee"] == joined["fee_required"]).all()
    assert not ((joined["channel"] == "online") & (joined["online_level"] == "none")).any()
    assert (joined.filter("fee_required")["fee_amount"] > 0).all()


def test_counter_dossiers_arrive_in_office_hours_and_due_dates_fall_on_working_days(august: Records) -> None:
    d = august.dossiers
    counter = d.filter(pl.col("channel") != "online")
    assert counter.height > 1000
    t = counter["received_at"].dt.time()
    office = ((t >= time(7, 30)) & (t < time(11, 30))) | ((t >= time(13, 30)) & (t < time(17, 0)))
    assert office.all()
    due = d.drop_nulls("due_at")["due_at"]
    # the working-day calendar: weekdays, minus 31/8 (given off) and 1–2/9 (Quốc khánh) 2026, plus
    # Saturday 22/8/2026 (worked in place of 31/8)
    assert due.to_frame().select(is_working_day_expr(pl.col("due_at")).all()).item()
    assert due.dt.date().is_in([date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)]).sum() == 0
    assert (due.dt.date() == date(2026, 8, 22)).sum() > 0


def test_fake_personal_columns_are_visibly_fake_and_the_loader_drops_them(tmp_path: Path) -> None:
    from analysis.io.records import read_dossiers

    units = anchor_units().filter(pl.col("unit_code").is_in(["H44", "H44.100", "H44.101"]))
    write_records(tmp_path, units, "2026-08", seed=2, dossiers=500, fmt="csv", personal=True)
    raw = pl.read_csv(tmp_path / "dossiers.csv", infer_schema=False)
    assert set(PERSONAL_COLUMNS) <= set(raw.columns)
    assert raw["applicant_name"].str.contains("Giả Lập").all()
    assert raw["applicant_id_number"].str.contains(r"^000\d{9}$").all()
    assert raw["applicant_phone"].str.contains(r"^0000\d{6}$").all()
    loaded = read_dossiers(tmp_path / "dossiers.csv")
    assert not set(PERSONAL_COLUMNS) & set(loaded.frame.columns)
    assert set(PERSONAL_COLUMNS) <= set(loaded.summary.personal_columns)
    assert loaded.summary.rows_used == 500


def test_output_is_labelled_synthetic(tmp_path: Path) -> None:
    write_records(tmp_path, anchor_units(), "2026-08", seed=3, dossiers=1000)
    note = (tmp_path / "SYNTHETIC.md").read_text(encoding="utf-8")
    assert "GIẢ LẬP" in note and "synthetic" in note.lower()
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["dossiers"] == 1000 and meta["seed"] == 3


def test_refuses_to_write_into_a_folder_that_is_not_synthetic(tmp_path: Path) -> None:
    from analysis.errors import InputError

    (tmp_path / "facts.csv").write_text("real data\n", encoding="utf-8")
    with pytest.raises(InputError, match="SYNTHETIC.md"):
        write_records(tmp_path, anchor_units(), "2026-08", seed=1, dossiers=10)
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8") == "real data\n"


# --------------------------------------------------------------------------------------------
# realism: seasonality


def test_exact_total_and_seasonality(year: Records) -> None:
    d = year.dossiers
    assert d.height == 150_000
    by_month = d.group_by(pl.col("received_at").dt.month().alias("m")).len().sort("m")
    counts = dict(by_month.iter_rows())
    assert set(counts) == set(range(1, 13))
    ordinary = sum(counts[m] for m in (3, 4, 5, 8, 10, 11)) / 6
    assert counts[2] < 0.8 * ordinary  # the Tết slump
    days = d.group_by(pl.col("received_at").dt.date().alias("day")).len()
    tet_week = days.filter(pl.col("day").is_between(date(2026, 2, 15), date(2026, 2, 21)))["len"].mean()
    weekdays = days.filter(pl.col("day").dt.weekday() <= 5, pl.col("day").dt.month().is_in([3, 10]))["len"].mean()
    weekends = days.filter(pl.col("day").dt.weekday() >= 6, pl.col("day").dt.month().is_in([3, 10]))["len"].mean()
    assert tet_week < 0.25 * weekdays
    assert weekends < 0.5 * weekdays


def test_national_units_and_partitioned_output(tmp_path: Path) -> None:
    from analysis.io.scan import scan_dossiers

    units = national_units()
    provinces = units.filter(pl.col("level") == "province")
    assert provinces.height == 34
    # the official 2025 list has 3.321 communes; Phú Thọ has 148 there and 148 on the portal
    assert units.filter(pl.col("level") == "commune").height == 3321
    assert province_code("25") == "H44" and province_code("Hà Nội") == "H26"
    # names through the contract's one normaliser: either tone placement, with or without "UBND tỉnh"
    assert province_code("Khánh Hòa") == province_code("khánh hoà") == province_code("UBND tỉnh Khánh Hoà") == "H32"
    sub = units.filter(pl.col("unit_code").str.extract(r"^(H\d+)").is_in(["H44", "H14"]))
    write_records(tmp_path, sub, "2026-08", seed=4, dossiers=30_000, partitioned=True)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "dossiers").rglob("*.parquet"))
    assert files == ["dossiers/year=2026/month=08/province=H14/part-0.parquet",
                     "dossiers/year=2026/month=08/province=H44/part-0.parquet"]
    scanned = scan_dossiers(tmp_path / "dossiers")
    assert scanned.select(pl.len()).collect().item() == 30_000
    h14 = scanned.filter(pl.col("province") == "H14").select("unit_code").collect()
    assert h14["unit_code"].str.starts_with("H14").all() and h14.height > 0


# --------------------------------------------------------------------------------------------
# the agreement test: facts from the generated records match the real portal figures

DOSSIER_LEVEL = [
    "ON_TIME", "DOSSIER_RECEIVING_SATISFACTION", "PAYMENT_DOSSIER", "DOSSIER_SYNC", "ORIGINAL_RESULT_AVAILABLE",
    "SO_HOA_GIAY_TO_GIAI_QUYET", "REUSED_DIGITIZED_DATA", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
    "CITIZEN_DATA_CONNECTED_DOSSIER", "ONLINE_DOSSIER", "DIRECT_DOSSIER", "POSTAL_DOSSIER",
    "PETITION_PROCESSING_ON_TIME", "PETITION_HANDLING_SATISFACTION", "PETITION_CLASSIFICATION_TTHC",
    "PETITION_CLASSIFICATION_STAFF",
]


@pytest.fixture(scope="module")
def computed(august: Records) -> pl.DataFrame:
    from analysis.io.indicators import dossier_facts

    return dossier_facts(august.dossiers, parse_period("2026-08"), units=august.units,
                         procedures=august.procedures, petitions=august.petitions)


@pytest.fixture(scope="module")
def compared(computed: pl.DataFrame, bundled_facts: pl.DataFrame) -> pl.DataFrame:
    real = bundled_facts.filter(pl.col("indicator").is_in(DOSSIER_LEVEL)).select(
        "unit_code", "indicator", pl.col("numerator").alias("real_n"), pl.col("denominator").alias("real_d"))
    return computed.join(real, on=["unit_code", "indicator"], how="inner").filter(
        (pl.col("real_d") > 0) & (pl.col("denominator") > 0)
    ).with_columns(
        (pl.col("real_n") / pl.col("real_d")).alias("p"),
        (pl.col("numerator") / pl.col("denominator")).alias("p_hat"),
    )


def test_every_unit_receives_exactly_the_real_number_of_dossiers(computed: pl.DataFrame, bundled_facts: pl.DataFrame) -> None:
    real = bundled_facts.filter(pl.col("indicator") == "ON_TIME").select("unit_code", pl.col("denominator").alias("real"))
    mine = computed.filter(pl.col("indicator") == "ON_TIME").select("unit_code", "denominator")
    both = real.join(mine, on="unit_code", how="full", coalesce=True)
    assert both.height == 164
    assert (both["real"] == both["denominator"]).all()
    petitions = bundled_facts.filter(pl.col("indicator") == "PETITION_PROCESSING_ON_TIME").select("unit_code", pl.col("denominator").alias("real"))
    mine_p = computed.filter(pl.col("indicator") == "PETITION_PROCESSING_ON_TIME").select("unit_code", "denominator")
    assert (petitions.join(mine_p, on="unit_code")["real"] == petitions.join(mine_p, on="unit_code")["denominator"]).all()


def test_each_unit_ratio_is_within_binomial_sampling_error_of_the_real_one(compared: pl.DataFrame) -> None:
    """|p̂ − p| ≤ 4·sqrt(p(1−p)/n) + 1/n for every unit and dossier-level indicator."""
    bound = 4 * (pl.col("p") * (1 - pl.col("p")) / pl.col("denominator")).sqrt() + 1 / pl.col("denominator")
    checked = compared.with_columns(bound.alias("bound"), (pl.col("p_hat") - pl.col("p")).abs().alias("dev"))
    assert set(checked["indicator"].unique()) == set(DOSSIER_LEVEL)
    assert checked.filter(pl.col("indicator") == "ON_TIME").height == 162  # every unit with dossiers
    outside = checked.filter(pl.col("dev") > pl.col("bound"))
    assert outside.height == 0, outside.select("unit_code", "indicator", "numerator", "denominator", "p_hat", "p")


def test_fee_dossier_counts_follow_the_real_ones(compared: pl.DataFrame, computed: pl.DataFrame) -> None:
    received = computed.filter(pl.col("indicator") == "ON_TIME").select("unit_code", pl.col("denominator").alias("n"))
    fee = compared.filter(pl.col("indicator") == "PAYMENT_DOSSIER").join(received, on="unit_code")
    q = (fee["real_d"] / fee["n"]).clip(0, 1)
    sigma = (fee["n"] * q * (1 - q)).sqrt()
    assert ((fee["denominator"] - fee["real_d"]).abs() <= 4 * sigma + 1).all()


def test_province_totals_are_close(compared: pl.DataFrame) -> None:
    province = compared.filter(pl.col("unit_code") == "H44", ~pl.col("indicator").str.starts_with("PETITION_"))
    assert province.height >= 10  # 184.513 dossiers: 4 standard errors are below 0,004
    for indicator, p, p_hat in province.select("indicator", "p", "p_hat").iter_rows():
        assert abs(p_hat - p) < 0.01, (indicator, p, p_hat)


def test_procedure_counts_follow_the_real_catalogue(computed: pl.DataFrame, bundled_facts: pl.DataFrame) -> None:
    """Catalogue sizes per unit come from the portal's denominators (citizen procedures, fee procedures)."""
    def wide(frame: pl.DataFrame, indicator: str) -> pl.DataFrame:
        return frame.filter(pl.col("indicator") == indicator, pl.col("level") != "province").select("unit_code", "denominator")

    for indicator in ("CITIZEN_DATA_CONNECTED_FORMALITY", "FEE_INTEGRATED"):
        both = wide(bundled_facts, indicator).join(wide(computed, indicator), on="unit_code", suffix="_gen")
        both = both.filter(pl.col("denominator") >= 4)
        assert both.height > 150
        assert (both["denominator"] == both["denominator_gen"]).all(), indicator
    integrated = bundled_facts.filter(pl.col("indicator") == "FEE_INTEGRATED", pl.col("level") == "commune", pl.col("denominator") > 0)
    mine = computed.filter(pl.col("indicator") == "FEE_INTEGRATED").select("unit_code", pl.col("numerator").alias("gen"))
    j = integrated.join(mine, on="unit_code")
    assert ((j["gen"] - j["numerator"]).abs() <= 1).all()  # the integrated share, rounded per unit


# --------------------------------------------------------------------------------------------
# command line


def test_cli_generate_writes_labelled_records(tmp_path: Path) -> None:
    out = tmp_path / "syn"
    result = run_cli("generate", "--out", str(out), "--dossiers", "2000", "--months", "2026-07..2026-08", "--province", "04")
    assert result.returncode == 0, result.stderr
    assert "2.000 hồ sơ" in result.stdout
    assert (out / "SYNTHETIC.md").exists()
    d = pl.read_parquet(out / "dossiers.parquet")
    assert d.height == 2000 and d["unit_code"].str.starts_with("H14.").all()  # statistics code 04 = Cao Bằng = portal H14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--months", "2026-13"], "--months"),
        (["--months", "2026-09..2026-08"], "ends before"),
        (["--province", "H99"], "unknown province"),
        (["--national", "--format", "csv"], "Parquet only"),
        (["--dossiers", "-5"], "negative"),
    ],
)
def test_cli_bad_parameters_exit_2_without_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("generate", "--out", str(tmp_path / "x"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_month_weights_reflect_the_calendar() -> None:
    # August 2026 has 21 working days (2 September is in September); February 2026 loses Tết
    assert working_days(date(2026, 8, 1), date(2026, 8, 31)).len() == 21
    assert month_weight(date(2026, 2, 1)) < 0.7 * month_weight(date(2026, 8, 1))
    assert not math.isclose(month_weight(date(2026, 9, 1)), month_weight(date(2026, 10, 1)))
    assert datetime(2026, 1, 1).date() in days_off(2026)
