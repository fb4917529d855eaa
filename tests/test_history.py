"""The history store: idempotent adds, vintages, diff, figures as they stood on a date, the CLI."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import polars as pl
import pytest

from analysis.errors import InputError
from analysis.paths import BUNDLED_FACTS, BUNDLED_RAW
from analysis.scoring import history
from analysis.scoring.score import score
from tests.conftest import run_cli

SEPT_5 = datetime.date(2026, 9, 5)
SEPT_12 = datetime.date(2026, 9, 12)


def snapshot(store: Path) -> dict[str, str]:
    """Every file of the store with its bytes' hash and modification time."""
    return {
        str(p.relative_to(store)): f"{hashlib.sha256(p.read_bytes()).hexdigest()}:{p.stat().st_mtime_ns}"
        for p in sorted(store.rglob("*")) if p.is_file()
    }


def revised(facts: pl.DataFrame) -> pl.DataFrame:
    """The same month, captured later: the province's on-time count revised down by 100."""
    hit = (pl.col("unit_code") == "H44") & (pl.col("indicator") == "ON_TIME")
    return facts.with_columns(pl.when(hit).then(pl.col("numerator") - 100).otherwise(pl.col("numerator")).alias("numerator"))


def test_adding_the_same_capture_again_changes_nothing(tmp_path, bundled_facts):
    store = tmp_path / "store"
    first = history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    assert [(v.period, v.as_of, v.units, v.rows) for v in first.added] == [("2026-08", SEPT_5, 164, bundled_facts.height)]
    before = snapshot(store)
    again = history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    assert again.added == () and [v.period for v in again.unchanged] == ["2026-08"]
    assert snapshot(store) == before
    # the rows' order does not make it another capture
    history.add(store, bundled_facts.reverse(), as_of=SEPT_5, source="portal")
    assert snapshot(store) == before


def test_a_later_capture_is_a_new_vintage_and_nothing_is_overwritten(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    before = snapshot(store)
    history.add(store, revised(bundled_facts), as_of=SEPT_12, source="portal")
    after = snapshot(store)
    assert {k: after[k] for k in before} == before and len(after) == 2
    held = history.vintages(store)
    assert held.columns[:5] == ["period", "as_of", "source", "units", "rows"]
    assert held.select("period", "as_of", "units").rows() == [("2026-08", SEPT_5, 164), ("2026-08", SEPT_12, 164)]
    assert held["provisional"].to_list() == [False, False]


def test_a_different_capture_under_the_same_date_and_source_is_refused(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    before = snapshot(store)
    with pytest.raises(InputError, match="never rewritten"):
        history.add(store, revised(bundled_facts), as_of=SEPT_5, source="portal")
    assert snapshot(store) == before
    # the same date from another source is its own vintage
    history.add(store, revised(bundled_facts), as_of=SEPT_5, source="collector")
    assert history.vintages(store)["source"].to_list() == ["collector", "portal"]


def test_read_gives_the_latest_capture_or_the_figures_as_they_stood(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    history.add(store, revised(bundled_facts), as_of=SEPT_12, source="portal")
    on_time = (pl.col("unit_code") == "H44") & (pl.col("indicator") == "ON_TIME")
    original = bundled_facts.filter(on_time)["numerator"].item()
    latest = history.read(store)
    assert latest.height == bundled_facts.height and latest["as_of"].unique().to_list() == [SEPT_12]
    assert latest.filter(on_time)["numerator"].item() == original - 100
    then = history.read(store, as_of=datetime.date(2026, 9, 11))
    assert then.filter(on_time)["numerator"].item() == original
    # as it stood then, the figures are exactly those added (a report of that date rebuilds)
    expected = bundled_facts.with_columns(pl.lit(SEPT_5).alias("as_of")).sort("unit_code", "indicator")
    assert then.sort("unit_code", "indicator").equals(expected)
    assert history.read(store, as_of=datetime.date(2026, 9, 1)).is_empty()
    assert history.read(store, periods=["2026-07"]).is_empty()
    assert history.read(store, source="nobody").is_empty()


def test_diff_lists_every_changed_figure_with_old_and_new(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    assert history.diff(store, "2026-08").is_empty()  # one capture: nothing to compare
    later = revised(bundled_facts).filter(~((pl.col("unit_code") == "H44.100") & (pl.col("indicator") == "ON_TIME")))
    history.add(store, later, as_of=SEPT_12, source="portal")
    changed = history.diff(store, "2026-08")
    original = bundled_facts.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "ON_TIME"))["numerator"].item()
    gone = bundled_facts.filter((pl.col("unit_code") == "H44.100") & (pl.col("indicator") == "ON_TIME"))
    assert changed.filter(pl.col("unit_code") == "H44").select("indicator", "measure", "old", "new").rows() == [
        ("ON_TIME", "numerator", original, original - 100)
    ]
    missing = changed.filter(pl.col("unit_code") == "H44.100")
    assert missing["new"].null_count() == missing.height
    assert set(missing["old"].to_list()) <= {gone["numerator"].item(), gone["denominator"].item(), gone["published_score"].item()}
    assert changed.height == 1 + missing.height
    assert set(changed["old_as_of"].to_list()) == {SEPT_5} and set(changed["new_as_of"].to_list()) == {SEPT_12}
    with pytest.raises(InputError, match="no capture of 2026-07"):
        history.diff(store, "2026-07")


def test_an_open_period_is_provisional_and_rows_need_a_capture_date(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=datetime.date(2026, 8, 20), source="daily")
    assert history.vintages(store)["provisional"].to_list() == [True]
    with pytest.raises(InputError, match="capture date"):
        history.add(store, bundled_facts, as_of=None, source="portal")
    dated = bundled_facts.with_columns(pl.lit(SEPT_5).alias("as_of"))
    assert [v.as_of for v in history.add(store, dated, as_of=None, source="portal").added] == [SEPT_5]


def test_scores_from_the_store_equal_scores_from_the_file(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add_path(store, BUNDLED_FACTS, as_of=SEPT_5)
    assert history.vintages(store)["source"].to_list() == ["facts.csv"]
    from_store = score(history.read(store)).scorecard
    from_file = score(bundled_facts).scorecard
    assert from_store.drop("period").equals(from_file.drop("period"))


def test_a_folder_of_portal_responses_is_added(tmp_path, bundled_facts):
    store = tmp_path / "store"
    result = history.add_path(store, BUNDLED_RAW, as_of=SEPT_5, period="2026-08", source="portal raw")
    assert [(v.period, v.units) for v in result.added] == [("2026-08", 164)]
    assert history.read(store).height == bundled_facts.height


def test_cli_add_list_diff_and_score_as_of(tmp_path, bundled_facts):
    store = tmp_path / "store"
    later = tmp_path / "later.csv"
    revised(bundled_facts).with_columns(pl.lit(SEPT_12).alias("as_of")).write_csv(later)
    added = run_cli("history", "add", str(BUNDLED_FACTS), "--store", str(store), "--as-of", "05/09/2026",
                    "--source", "portal")
    assert added.returncode == 0, added.stderr
    assert "added 2026-08 as of 2026-09-05 from portal: 164 units" in added.stdout
    again = run_cli("history", "add", str(BUNDLED_FACTS), "--store", str(store), "--as-of", "2026-09-05",
                    "--source", "portal")
    assert again.returncode == 0 and "unchanged" in again.stdout
    assert run_cli("history", "add", str(later), "--store", str(store), "--source", "portal").returncode == 0
    listed = run_cli("history", "list", "--store", str(store))
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0].startswith("period,as_of,source,units,rows")
    assert len(listed.stdout.splitlines()) == 3
    changed = run_cli("history", "diff", "2026-08", "--store", str(store))
    assert changed.returncode == 0
    assert pl.read_csv(changed.stdout.encode(), schema_overrides={"period": pl.String})["unit_code"].to_list() == ["H44"]
    cards = {}
    for day in ("2026-09-05", "2026-09-12"):
        out = tmp_path / f"card-{day}.csv"
        scored = run_cli("score", "--facts", str(store), "--period", "2026-08", "--as-of", day, "--out", str(out))
        assert scored.returncode == 0, scored.stderr
        cards[day] = pl.read_csv(out, schema_overrides={"period": pl.String})
    province = [c.filter(pl.col("unit_code") == "H44")["TDGQ"].item() for c in cards.values()]
    assert province[1] < province[0]
    expected = score(bundled_facts).scorecard
    assert cards["2026-09-05"].select("unit_code", "total").rows() == expected.select("unit_code", "total").rows()


@pytest.mark.parametrize("args,message", [
    (["history", "add", "missing.csv"], "no such file"),
    (["history", "add", "BUNDLED", "--as-of", "31/02/2026"], "is not a date"),
    (["history", "add", "BUNDLED"], "capture date"),
    (["history", "diff", "2026-13"], "is not a period"),
    (["score", "--facts", "BUNDLED", "--as-of", "2026-09-05", "--out", "card.csv"], "history store"),
])
def test_cli_bad_input_exits_2_with_a_message(tmp_path, args, message):
    args = [str(BUNDLED_FACTS) if a == "BUNDLED" else str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    if args[0] == "history":
        args += ["--store", str(tmp_path / "store")]
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_score_names_the_periods_held(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    result = run_cli("score", "--facts", str(store), "--period", "2026-07", "--out", str(tmp_path / "c.csv"))
    assert result.returncode == 2 and "no capture of 2026-07" in result.stderr and "2026-08" in result.stderr


# --------------------------------------------------------------------------------------------
# the report reads its periods from a store


def write_params(tmp_path: Path, **keys: str) -> Path:
    lines = ["scope: H44", "scope_slug: phu-tho", 'period: "2026-08"', *(f"{k}: {v}" for k, v in keys.items())]
    path = tmp_path / "run.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_parameters_take_a_store_in_place_of_a_facts_file(tmp_path, bundled_facts):
    from analysis.params import load_parameters
    from analysis.run.suite import run_facts
    from analysis.scoring.methodology import load_methodology

    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    july = tmp_path / "july.csv"
    revised(bundled_facts).with_columns(pl.lit("2026-07").alias("period"), pl.lit(SEPT_5).alias("as_of")).write_csv(july)
    params = load_parameters(write_params(tmp_path, store=str(store), history=f"[{july}]", as_of="2026-09-30"))
    assert params.facts is None and params.store == store and params.as_of == datetime.date(2026, 9, 30)
    facts, others, source = run_facts(params, load_methodology())
    assert facts["period"].unique().to_list() == ["2026-08"] and facts.height == bundled_facts.height
    assert sorted(others[0]["period"].unique().to_list()) == ["2026-07"]
    assert source == f"{store} (số liệu đến 30/09/2026)"  # the store named as it is
    # the history file was added to the store, once
    assert history.vintages(store)["period"].to_list() == ["2026-07", "2026-08"]
    run_facts(params, load_methodology())
    assert history.vintages(store).height == 2


@pytest.mark.parametrize("keys,key,says", [
    ({}, "facts", "required (or a history store"),
    ({"store": "nowhere"}, "store", "folder not found"),
    ({"facts": str(BUNDLED_FACTS), "as_of": "2026-09-05"}, "as_of", "history store"),
    ({"store": "STORE", "as_of": "30/02/2026"}, "as_of", "is not a date"),
])
def test_store_parameters_are_checked(tmp_path, bundled_facts, keys, key, says):
    from analysis.params import load_parameters

    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    keys = {k: str(store) if v == "STORE" else v for k, v in keys.items()}
    with pytest.raises(InputError) as caught:
        load_parameters(write_params(tmp_path, **keys))
    assert any(p.column == key and says in p.message for p in caught.value.problems), caught.value.render()


# --------------------------------------------------------------------------------------------
# quarters, years and years to date from months: counts summed, then scored again

MONTHS = """period,unit_code,unit_name,level,parent_code,indicator,numerator,denominator,published_score
2026-07,H99,UBND tỉnh Thử,province,,ON_TIME,10,20,
2026-08,H99,UBND tỉnh Thử,province,,ON_TIME,30,40,
2026-09,H99,UBND tỉnh Thử,province,,ON_TIME,5,10,
2026-07,H99,UBND tỉnh Thử,province,,ONLINE_PROVISION,50,100,
2026-08,H99,UBND tỉnh Thử,province,,ONLINE_PROVISION,60,100,
2026-09,H99,UBND tỉnh Thử,province,,ONLINE_PROVISION,70,100,
2026-07,H99,UBND tỉnh Thử,province,,AVG_PROCESSING_DAYS,3,1,
2026-09,H99,UBND tỉnh Thử,province,,AVG_PROCESSING_DAYS,5,1,
2026-07,H99.1,Sở Thử,department,H99,ON_TIME,8,10,
2026-08,H99.1,Sở Thử,department,H99,ON_TIME,,,
2026-09,H99.1,Sở Thử - tỉnh Thử,department,H99,ON_TIME,9,10,
2026-07,H99.1,Sở Thử,department,H99,CLGQ,,,6.5
2026-08,H99.1,Sở Thử,department,H99,CLGQ,,,7.5
"""


@pytest.fixture()
def months(tmp_path) -> pl.DataFrame:
    from analysis.scoring.facts import read_facts

    path = tmp_path / "months.csv"
    path.write_text(MONTHS, encoding="utf-8")
    return read_facts(path)


def test_a_quarter_sums_the_counts_of_its_months(months):
    from analysis.scoring.methodology import load_methodology

    method = load_methodology()
    quarter = history.derive_period(months, "2026-q3", method)
    cells = {(u, i): (n, d) for u, i, n, d in quarter.select("unit_code", "indicator", "numerator", "denominator").rows()}
    assert cells == {
        ("H99", "ON_TIME"): (10 + 30 + 5, 20 + 40 + 10),       # flows: summed by hand
        ("H99", "ONLINE_PROVISION"): (70, 100),                 # catalogue: the last month's
        ("H99.1", "ON_TIME"): (8 + 9, 10 + 10),                 # a month without data adds nothing
    }  # AVG_PROCESSING_DAYS (a mean) and the published CLGQ scores cannot be summed: left out
    assert set(quarter["period"]) == {"2026-Q3"}
    assert quarter.filter(pl.col("unit_code") == "H99.1")["unit_name"].item() == "Sở Thử - tỉnh Thử"
    card = score(quarter, method).scorecard
    province = card.filter(pl.col("unit_code") == "H99").row(0, named=True)
    assert province["TDGQ"] == 12.86  # 20 × 45/70, not the mean of the months' 10, 15 and 10 points
    department = card.filter(pl.col("unit_code") == "H99.1").row(0, named=True)
    assert department["TDGQ"] == 17.0 and department["published_groups"] is None


def test_a_year_to_date_and_missing_months(months):
    from analysis.contract.periods import month, year_to_date
    from analysis.scoring.methodology import load_methodology

    method = load_methodology()
    assert year_to_date(month(2026, 9)).code == "2026-01-01..2026-09-30"
    assert year_to_date(month(2026, 12)).code == "2026"
    summer = history.derive_period(months, "2026-07-01..2026-08-31", method)
    assert summer.filter((pl.col("unit_code") == "H99") & (pl.col("indicator") == "ON_TIME")).select(
        "numerator", "denominator").row(0) == (40, 60)
    with pytest.raises(InputError, match="not held: 2026-01, 2026-02"):
        history.derive_period(months, year_to_date(month(2026, 9)).code, method)
    with pytest.raises(InputError, match="whole months"):
        history.derive_period(months, "2026-07-05..2026-08-31", method)


def test_score_a_quarter_from_a_store_of_months(tmp_path, months):
    store = tmp_path / "store"
    history.add(store, months, as_of=datetime.date(2026, 10, 5), source="hand-made")
    out = tmp_path / "q3.csv"
    result = run_cli("score", "--facts", str(store), "--period", "2026-Q3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    card = pl.read_csv(out, schema_overrides={"period": pl.String})
    assert card.filter(pl.col("unit_code") == "H99").select("period", "TDGQ").row(0) == ("2026-Q3", 12.86)
    missing = run_cli("score", "--facts", str(store), "--period", "2026-Q2", "--out", str(out))
    assert missing.returncode == 2 and "not held: 2026-04, 2026-05, 2026-06" in missing.stderr


def test_the_bundled_dak_lak_revision_is_two_captures(tmp_path):
    from analysis.paths import DATA

    store = tmp_path / "store"
    history.add_path(store, DATA / "portal" / "dak-lak-2026" / "monthly-shares-two-captures.csv")
    held = history.vintages(store)
    assert held["period"].unique().sort().to_list() == [f"2026-{m:02d}" for m in range(1, 11)]
    assert held.filter(pl.col("period") == "2026-10").height == 1  # October only in the later capture
    changed = history.diff(store, "2026-02")
    assert changed.select("indicator", "measure", "old", "new").rows() == [("ON_TIME", "numerator", 40.0, 31.43)]
    first = history.read(store, periods=["2026-02"], as_of=datetime.date(2026, 9, 30))
    assert first.filter(pl.col("indicator") == "ON_TIME")["numerator"].item() == 40.0


def test_what_cannot_become_facts_is_refused_not_dropped(tmp_path):
    from analysis.paths import DATA

    store = tmp_path / "store"
    with pytest.raises(InputError) as caught:
        history.add_path(store, DATA / "published" / "bac-kan-2024-09-published.csv", as_of=datetime.date(2024, 10, 15))
    messages = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert (None, "online_service") in [(r, c) for r, c, _ in messages]  # the five-group column (header as read)
    # the 8 districts publish totals only (rows 21–28 of the file)
    assert [r for r, c, _ in messages if c == "total"] == list(range(21, 29))
    assert not store.exists() or not list(store.rglob("*.parquet"))
    result = run_cli("history", "add", str(DATA / "portal" / "gia-lai-2026" / "published.csv"), "--as-of", "2026-10-10",
                     "--store", str(store))
    assert result.returncode == 2 and "a total without its group scores" in result.stderr


def test_a_quarter_from_months_beside_the_portals_own_quarter(months):
    from analysis.scoring.methodology import load_methodology

    method = load_methodology()
    own = months.filter(pl.col("period") == "2026-09").with_columns(pl.lit("2026-Q3").alias("period"))
    own = own.with_columns(  # the portal's quarter: 44 on time of 70 for the province (one less than summed)
        pl.when((pl.col("unit_code") == "H99") & (pl.col("indicator") == "ON_TIME")).then(44.0)
        .otherwise(pl.col("numerator")).alias("numerator"),
        pl.when((pl.col("unit_code") == "H99") & (pl.col("indicator") == "ON_TIME")).then(70.0)
        .otherwise(pl.col("denominator")).alias("denominator"),
    )
    both = history.derived_against_held(pl.concat([months, own]), "2026-Q3", method)
    province = both.filter(pl.col("unit_code") == "H99").row(0, named=True)
    assert province["derived"] - province["held"] == pytest.approx(round(20 * 45 / 70, 2) - round(20 * 44 / 70, 2))
    assert history.derived_against_held(months, "2026-Q3", method).is_empty()  # the portal's own quarter not held
    assert history.derived_against_held(own, "2026-Q3", method).is_empty()     # its months not held


@pytest.mark.parametrize("day,published", [
    (datetime.date(2026, 9, 17), (11.9, 17.0, 8.98, 6.43, 10.9, 8.87, 64.08)),
    (datetime.date(2026, 10, 10), (11.85, 17.72, 8.97, 6.69, 11.18, 9.08, 65.49)),
])
def test_dak_lak_year_2026_recomputed_at_each_capture_equals_the_published_scores(tmp_path, day, published):
    from analysis.paths import DATA

    store = tmp_path / "store"
    history.add_path(store, DATA / "portal" / "dak-lak-2026" / "province-year-2026-two-captures.csv")
    card = score(history.read(store, as_of=day)).scorecard
    assert card.select("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "total").row(0) == published


@pytest.mark.parametrize("name", ["gia-lai-2026.yaml", "dak-lak-2026.yaml"])
def test_the_bundled_history_parameters_are_valid(name):
    from analysis.params import load_parameters
    from analysis.paths import PARAMETERS, ROOT

    params = load_parameters(PARAMETERS / name)
    assert params.facts is None and params.store == ROOT / "data" / "history" and params.period == "2026"
    assert all(path.is_file() for path in params.history)


def another_province(facts: pl.DataFrame, code: str = "H15") -> pl.DataFrame:
    """The same figures under another province's codes (H44… → H15…): a second tree in one store."""
    return facts.with_columns(pl.col("unit_code").str.replace("^H44", code),
                              pl.col("parent_code").str.replace("^H44", code))


def test_a_store_of_two_provinces_gives_each_its_own_latest_capture(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    history.add(store, another_province(bundled_facts), as_of=SEPT_12, source="other")
    both = history.read(store)
    # Phú Thọ's capture of 05/09 is its latest, though another province was captured later
    assert both.height == 2 * bundled_facts.height
    assert both.filter(pl.col("unit_code").str.starts_with("H44"))["as_of"].unique().to_list() == [SEPT_5]
    own = history.read(store, scope="H44")
    assert own.height == bundled_facts.height and not own["unit_code"].str.starts_with("H15").any()
    other = history.read(store, scope="H15", as_of=datetime.date(2026, 9, 6))
    assert other.is_empty()  # H15 was not captured yet on 06/09
    commune = history.read(store, scope="H44.20")
    assert set(commune["unit_code"].to_list()) == {"H44.20"}


def test_diff_never_compares_one_province_with_another(tmp_path, bundled_facts):
    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    history.add(store, revised(bundled_facts), as_of=SEPT_12, source="portal")
    history.add(store, another_province(bundled_facts), as_of=SEPT_12, source="other")
    changed = history.diff(store, "2026-08")
    assert changed.select("unit_code", "indicator", "measure").rows() == [("H44", "ON_TIME", "numerator")]


def test_captures_of_one_province_are_its_own_dates(tmp_path, bundled_facts):
    from analysis.scoring.trends import capture_series

    store = tmp_path / "store"
    history.add(store, bundled_facts, as_of=SEPT_5, source="portal")
    history.add(store, another_province(bundled_facts), as_of=SEPT_12, source="other")
    series = capture_series(store, "2026-08", None, scope="H44")
    assert series["date"].unique().to_list() == [SEPT_5]
    assert series.height == 164 and series["unit_code"].str.starts_with("H44").all()


def test_the_bundled_runs_sharing_one_store_each_read_their_own_province(tmp_path):
    """gia-lai-2026.yaml and dak-lak-2026.yaml both fill data/history: each run keeps its province."""
    from analysis.params import load_parameters
    from analysis.paths import PARAMETERS
    from analysis.run.suite import run_facts

    store = tmp_path / "store"
    runs = [load_parameters(PARAMETERS / name).model_copy(update={"store": store})
            for name in ("gia-lai-2026.yaml", "dak-lak-2026.yaml")]
    for params in runs:
        history.add_path(store, params.history[0])
    for params, units in zip(runs, (15, 1), strict=False):
        current, _, source = run_facts(params, params.methodology)
        assert source == str(store)  # the index names the store read, not 'store/'
        assert current["unit_code"].n_unique() == units, params.scope
        assert current["unit_code"].str.starts_with(params.scope).all(), params.scope


def test_a_run_whose_province_the_store_lacks_by_that_date_is_told_so(tmp_path):
    from analysis.params import load_parameters
    from analysis.paths import PARAMETERS
    from analysis.run.suite import run_facts
    from analysis.scoring.methodology import load_methodology

    store = tmp_path / "store"
    dak_lak = load_parameters(PARAMETERS / "dak-lak-2026.yaml")
    history.add_path(store, dak_lak.history[0])  # Đắk Lắk captured 17/09, Gia Lai not before 24/09
    gia_lai = load_parameters(PARAMETERS / "gia-lai-2026.yaml").model_copy(
        update={"store": store, "history": (), "as_of": datetime.date(2026, 9, 20)})
    with pytest.raises(InputError, match="no capture of H21 taken by 2026-09-20"):
        run_facts(gia_lai, load_methodology())
