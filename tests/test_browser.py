"""The report opened as a reader opens it: file:// pages in headless Chromium with no internet.

Every ``http(s)://`` request is aborted and counted.  Each page must render one SVG per chart
its notebook made, with no page or console error, Vietnamese numbers in the chart text
(``59,92``) and no outside request.  In CI (``CI=true``) a missing Chromium fails the test;
elsewhere it skips.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_report import SUITE, bundled_report  # noqa: F401 - the session's report run

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VI_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$")  # 59,92  12.135,5
EN_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$")  # 59.92 (a Vietnamese reader would read 59.920)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def chromium_or_skip() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    missing = path is None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Chromium (or playwright) is missing in CI: install Debian's chromium (.ci/run does)")
        pytest.skip("Chromium not installed")
    return str(path)


@contextmanager
def offline_browser(profile: Path, *, allow: str | None = None, **options) -> Iterator[tuple[object, list[str]]]:
    """Headless Chromium (Debian's) with every ``http(s)://`` request aborted and counted.

    Yields the browser context and the list of the requests it tried to send outside; ``allow``
    is a URL prefix let through (a server of the test's own on 127.0.0.1)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("http://", "https://")) and not (allow and url.startswith(allow)):
            outside.append(url)
            return r.abort()
        return r.continue_()

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=ARGS, **options)
        try:
            context.route("**/*", route)
            yield context, outside
        finally:
            context.close()


@pytest.fixture(scope="module")
def opened(bundled_report, tmp_path_factory):  # noqa: F811 - the imported fixture
    """Open the index and every page; collect what each showed."""
    assert bundled_report.result.returncode == 0, bundled_report.result.stderr
    seen: dict[str, dict] = {}
    profile = tmp_path_factory.mktemp("chromium-profile")
    with offline_browser(profile, viewport={"width": 1200, "height": 900}) as (context, outside):
        for name in ["index", *SUITE]:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(f"pageerror: {e}"))
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(f"console: {m.text}"))
            page.goto((bundled_report.folder / f"{name}.html").resolve().as_uri())
            page.wait_for_load_state("load")
            divs = page.locator("div.vl-chart").count()
            if divs:
                page.wait_for_function(
                    "n => document.querySelectorAll('div.vl-chart svg.marks').length >= n", arg=divs, timeout=20_000
                )
            seen[name] = {
                "divs": divs,
                "svgs": page.locator("div.vl-chart svg.marks").count(),
                "text": [t.strip() for t in page.locator("div.vl-chart svg text").all_text_contents() if t.strip()],
                "errors": errors,
                "links": page.locator("a[href$='.html']").evaluate_all("els => els.map(e => e.getAttribute('href'))"),
            }
            page.close()
    return {"pages": seen, "outside": outside}


def test_no_outside_request(opened):
    assert opened["outside"] == []


def test_no_page_or_console_errors(opened):
    for name, page in opened["pages"].items():
        assert page["errors"] == [], name


def test_one_rendered_svg_per_chart(opened, bundled_report):  # noqa: F811
    charts = {n["name"]: n["charts"] for n in bundled_report.run["notebooks"]}
    for name in SUITE:
        page = opened["pages"][name]
        assert page["divs"] == charts[name], name  # the charts the notebook made
        assert page["svgs"] == page["divs"], name
    assert sum(charts.values()) >= 3


def test_index_links_every_page(opened):
    assert set(opened["pages"]["index"]["links"]) == {f"{name}.html" for name in SUITE}


def test_chart_numbers_are_vietnamese(opened):
    texts = [t for name in SUITE for t in opened["pages"][name]["text"]]
    assert any(VI_DECIMAL.match(t) for t in texts), texts[:40]
    assert "59,92" in texts or "7,96" in texts  # the province's published total or its CKMB score (published.csv)
    assert not [t for t in texts if EN_DECIMAL.match(t)]
