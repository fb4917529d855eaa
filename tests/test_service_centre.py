"""The service-centre report: counts for a date range, identities, targets in sentences."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from analysis.errors import InputError
from analysis.params import load_parameters, validate_notebook_parameters
from analysis.report import service_centre as sc
from tests.conftest import run_cli

UNITS = pl.DataFrame({
    "unit_code": ["P", "S1", "S2", "S3"],
    "unit_name": ["Tỉnh P", "Sở Tư pháp", "Sở Xây dựng", "Sở <b>Y tế</b>"],
    "level": ["province", "department", "department", "department"],
    "parent_code": [None, "P", "P", "P"],
})
SPAN = sc.Range(date(2021, 12, 15), date(2022, 6, 14))


def d(i: str, unit: str, received: datetime, *, due=None, finished=None, status="finished", channel="direct",
      requests=0) -> dict:
    return {"dossier_id": i, "unit_code": unit, "procedure_code": "1.001", "received_at": received, "due_at": due,
            "finished_at": finished, "status": status, "supplement_requests": requests, "channel": channel}


DOSSIERS = pl.DataFrame([
    # S1 — carried over: received before 15/12, still open on 15/12
    d("a", "S1", datetime(2021, 12, 1), due=datetime(2021, 12, 20), finished=datetime(2021, 12, 16), channel="online"),
    # not carried over: ended before the range
    d("b", "S1", datetime(2021, 12, 1), due=datetime(2021, 12, 20), finished=datetime(2021, 12, 10)),
    # received in the range: early (day before due), on time (on the due day), late
    d("c", "S1", datetime(2022, 1, 3), due=datetime(2022, 1, 10), finished=datetime(2022, 1, 7), channel="online"),
    d("e", "S1", datetime(2022, 1, 3), due=datetime(2022, 1, 10), finished=datetime(2022, 1, 10, 16), channel="postal"),
    d("f", "S1", datetime(2022, 1, 3), due=datetime(2022, 1, 10), finished=datetime(2022, 1, 12), status="returned"),
    # S2 — in process at the end: not yet due, overdue; a withdrawal; two supplement requests → late
    d("g", "S2", datetime(2022, 6, 1), due=datetime(2022, 6, 30), status="processing", channel="online", requests=1),
    d("h", "S2", datetime(2022, 5, 1), due=datetime(2022, 5, 20), status="processing", channel="online"),
    d("i", "S2", datetime(2022, 3, 1), due=datetime(2022, 3, 20), finished=datetime(2022, 3, 2), status="withdrawn",
      channel="online"),
    d("j", "S2", datetime(2022, 3, 1), due=datetime(2022, 3, 20), finished=datetime(2022, 3, 5), requests=2,
      channel="online"),
    # after the range, and finished after the range: in process at its end
    d("k", "S2", datetime(2022, 6, 20), due=datetime(2022, 6, 30), finished=datetime(2022, 6, 21)),
    d("m", "S3", datetime(2022, 6, 10), due=datetime(2022, 6, 12), finished=datetime(2022, 6, 16), channel=None),
])


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return sc.centre_counts(DOSSIERS, SPAN, UNITS)


def row(table: pl.DataFrame, unit: str) -> dict:
    return dict(zip(table.columns, table.filter(pl.col("unit_code") == unit).row(0), strict=True))


def test_counts_per_unit(table):
    s1, s2, s3 = row(table, "S1"), row(table, "S2"), row(table, "S3")
    got = {k: s1[k] for k in sc.COUNTS}
    assert got == {"carried_over": 1, "received": 3, "finished": 4, "early": 2, "on_time": 1, "late": 1,
                   "in_process": 0, "not_yet_due": 0, "overdue": 0, "supplement": 0, "returned": 1, "withdrawn": 0,
                   "online": 1, "postal": 1, "known_channel": 3}
    assert {k: s2[k] for k in ("carried_over", "received", "finished", "early", "on_time", "late", "in_process",
                               "not_yet_due", "overdue", "supplement", "withdrawn", "online")} == {
        "carried_over": 0, "received": 4, "finished": 2, "early": 1, "on_time": 0, "late": 1, "in_process": 2,
        "not_yet_due": 1, "overdue": 1, "supplement": 2, "withdrawn": 1, "online": 4}
    # m: received 10/6, due 12/6, finished 16/6 (after the range) → in process, overdue at its end
    assert (s3["received"], s3["in_process"], s3["overdue"], s3["known_channel"]) == (1, 1, 1, 0)
    assert s3["online_share"] is None  # no known channel: no share, not zero
    assert s1["online_share"] == pytest.approx(1 / 3)


def test_identities_hold_and_the_total_is_the_sum(table):
    sc.check_identities(table)
    total = row(table, sc.TOTAL_CODE)
    assert total["carried_over"] + total["received"] == total["finished"] + total["in_process"] == 9
    broken = table.with_columns(pl.when(pl.col("unit_code") == "S2").then(pl.col("late") + 1).otherwise(pl.col("late"))
                                .alias("late"))
    with pytest.raises(AssertionError, match="finished = early"):
        sc.check_identities(broken)


def test_units_below_targets_are_named_in_sentences(table):
    lines = sc.target_sentences(table, {"online": 0.4, "postal": 0.2}, "vi")
    assert lines[0] == ("Tỷ lệ hồ sơ trực tuyến là 71,4 %, đạt chỉ tiêu 40 %. "
                        "Các đơn vị chưa đạt chỉ tiêu 40 %: Sở Tư pháp (33,3 %).")
    assert lines[1].startswith("Tỷ lệ hồ sơ qua dịch vụ bưu chính công ích (BCCI) là 14,3 %, chưa đạt chỉ tiêu 20 %.")
    assert "Sở Xây dựng (0,0 %)" in lines[1] and "Sở Tư pháp" not in lines[1]
    assert "Y tế" not in " ".join(lines)  # no known channel: not judged
    english = sc.target_sentences(table, {"online": 0.8}, "en")[0]
    assert english.endswith("Units below the 80% target: Sở Tư pháp (33.3%).")
    # a unit name from data is escaped where the sentences are shown
    hostile = table.with_columns(pl.when(pl.col("unit_code") == "S1").then(pl.lit("Sở <script>x</script> *A*"))
                                 .otherwise(pl.col("unit_name")).alias("unit_name"))
    shown = sc.paragraphs_html(sc.target_sentences(hostile, {"online": 0.4}, "vi"))
    assert "Sở &lt;script&gt;x&lt;/script&gt; *A* (33,3 %)" in shown and "<script>" not in shown
    assert sc.preformatted_html("cột: ```<img src=x>") == "<pre>cột: ```&lt;img src=x&gt;</pre>"


def test_summary_sentence_has_every_figure(table):
    text = sc.summary_sentence(table, SPAN, "vi")
    assert text.startswith("Từ ngày 15/12/2021 đến ngày 14/06/2022, tổng số hồ sơ là 9, trong đó kỳ trước chuyển sang 1, "
                           "tiếp nhận trong kỳ 8; đã giải quyết 6 hồ sơ, trong đó trước hạn 3 (chiếm 50,0 %)")
    assert "đang giải quyết 3 (chiếm 33,3 %), trong đó chưa đến hạn 1, quá hạn 2" in text


def test_display_table_escapes_nothing_itself_and_keeps_names(table):
    from analysis.report.tables import html_table

    shown = sc.display_table(table, "vi")
    assert shown.columns[0] == "Đơn vị" and shown["Đơn vị"][-1] == "Tổng cộng"
    page = html_table(shown, numeric_from=1)
    assert "Sở &lt;b&gt;Y tế&lt;/b&gt;" in page and "<b>Y tế" not in page


def test_generated_half_year_adds_up(tmp_path):
    out = tmp_path / "gen"
    result = run_cli("generate", "--months", "2021-11..2022-06", "--dossiers", "20000", "--out", str(out))
    assert result.returncode == 0, result.stderr
    loaded = sc.load_records(out / "dossiers.parquet")
    table = sc.centre_counts(loaded.frame, SPAN, pl.read_parquet(out / "units.parquet"))
    sc.check_identities(table)
    frame = loaded.frame
    start, stop = datetime(2021, 12, 15), datetime(2022, 6, 15)
    open_at = lambda t: frame.filter((pl.col("received_at") < t)  # noqa: E731
                                     & (pl.col("finished_at").is_null() | (pl.col("finished_at") >= t))).height
    total = row(table, sc.TOTAL_CODE)
    assert total["carried_over"] == open_at(start) > 0
    assert total["in_process"] == open_at(stop)
    assert total["received"] == frame.filter(pl.col("received_at").is_between(start, stop, closed="left")).height
    assert sc.is_synthetic(out / "dossiers.parquet")


# --------------------------------------------------------------------------------------------
# parameters


def test_parameters_records_and_service_centre(tmp_path):
    root = Path(__file__).resolve().parents[1]
    facts = root / "data" / "portal" / "phu-tho-2026-08" / "facts.csv"
    records = tmp_path / "ho-so.csv"
    records.write_text("Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận\n", encoding="utf-8")
    good = tmp_path / "run.yaml"
    good.write_text(f'scope: H44\nscope_slug: phu-tho\nperiod: "2026-08"\nfacts: {facts}\nrecords: {records}\n'
                    "service_centre: {start: 2025-12-15, end: 2026-06-14, online_target: 0.4}\n", encoding="utf-8")
    p = load_parameters(good)
    assert [n.name for n in p.notebooks][-1] == "service_centre"
    values = p.for_notebook()
    assert values["records"] == str(records)
    nb = validate_notebook_parameters(**{k: v for k, v in values.items()}, output_dir="", scored="")
    assert nb.service_centre.start == date(2025, 12, 15) and nb.service_centre.end == date(2026, 6, 14)
    assert nb.service_centre.targets == {"online": 0.4, "postal": 0.2}
    bad = tmp_path / "bad.yaml"
    bad.write_text(f'scope: H44\nscope_slug: phu-tho\nperiod: "2026-08"\nfacts: {facts}\n'
                   "service_centre:\n  start: 15/12/2025\n  online_target: 40\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_parameters(bad)
    text = caught.value.render()
    assert "line 6, key 'service_centre.start': must be a date written 2025-12-15" in text
    assert "line 7, key 'service_centre.online_target': must be a number between 0 and 1" in text
    plain = load_parameters(root / "parameters" / "phu-tho-2026-08.yaml")
    assert "service_centre" not in [n.name for n in plain.notebooks]


@pytest.fixture(scope="module")
def centre_page(tmp_path_factory) -> Path:
    """The service-centre page of a report run on a generated half-year (synthetic records)."""
    tmp_path = tmp_path_factory.mktemp("centre")
    data = tmp_path / "synthetic"
    assert run_cli("generate", "--months", "2025-11..2026-06", "--dossiers", "20000", "--out", str(data)).returncode == 0
    facts = run_cli("facts", "--records", str(data / "dossiers.parquet"), "--period", "2025-12-15..2026-06-14",
                    "--out", str(data / "facts.csv"))
    assert facts.returncode == 0, facts.stderr
    params = tmp_path / "run.yaml"
    params.write_text('scope: H44\nscope_slug: phu-tho-trung-tam\nperiod: "2025-12-15..2026-06-14"\n'
                      f"facts: {data / 'facts.csv'}\nrecords: {data / 'dossiers.parquet'}\n"
                      "service_centre: {online_target: 0.4, postal_target: 0.2}\nnotebooks: [service_centre]\n",
                      encoding="utf-8")
    result = run_cli("report", "--params", str(params), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "out" / "phu-tho-trung-tam" / "2025-12-15..2026-06-14" / "service_centre.html"


@pytest.mark.slow
def test_service_centre_page_renders_offline(centre_page):
    page = centre_page.read_text("utf-8")
    assert "Số liệu giả lập (synthetic)" in page
    assert "Từ ngày 15/12/2025 đến ngày 14/06/2026, tổng số hồ sơ là" in page
    assert "chưa đạt chỉ tiêu 20 %" in page and "Tổng cộng" in page
    assert 'src="http' not in page and "src='http" not in page


@pytest.mark.slow
@pytest.mark.browser
def test_service_centre_page_in_a_browser_without_internet(centre_page, tmp_path):
    from tests.test_browser import offline_browser

    errors: list[str] = []
    with offline_browser(tmp_path / "profile") as (context, outside):
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(centre_page.resolve().as_uri())
        page.wait_for_function("document.querySelectorAll('div.vl-chart svg.marks').length >= 2", timeout=20_000)
        assert page.locator("div.vl-chart").count() == 2  # online and postal shares
        assert "Tổng cộng" in page.locator("table").first.inner_text()
    assert outside == [] and errors == []
