"""The explore notebook as a user meets it: JupyterLab in headless Chromium, Run All, then each control.

The test starts a JupyterLab server on 127.0.0.1 (a free port, no token, its own home folder),
opens a copy of ``notebooks/explore.ipynb`` whose ``history`` names a second period built here
from the bundled month, runs every cell from the menu, then changes each control and checks
that the summary, the charts (drawn as SVG by the offline renderer), the table and the tabs
follow.  Every request that does not go to the local server is aborted and counted: there must
be none.  In CI a missing Chromium fails the test; elsewhere it skips.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from analysis.paths import NOTEBOOKS, ROOT
from tests.test_browser import chromium_or_skip, offline_browser
from tests.test_explore_view import july_from_august

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUN_TIMEOUT = 240_000  # ms: scoring two periods and starting the kernel on a busy 2-core machine
STEP_TIMEOUT = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, bundled_facts):
    """A JupyterLab server on a copy of the explore notebook, stopped at the end."""
    chromium = chromium_or_skip()
    home = tmp_path_factory.mktemp("lab")
    (home / "notebooks").mkdir()
    july = home / "facts-2026-07.csv"
    july_from_august(bundled_facts).write_csv(july)
    notebook = json.loads((NOTEBOOKS / "explore.ipynb").read_text(encoding="utf-8"))
    (cell,) = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    source = "".join(cell["source"])
    assert 'history: str = ""' in source
    cell["source"] = source.replace('history: str = ""', f"history: str = {str(july)!r}")
    (home / "notebooks" / "explore.ipynb").write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={home}",
         "--allow-root", "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly"],
        env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "wb"), start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        yield {"url": f"http://127.0.0.1:{port}", "home": home, "chromium": chromium}
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """Stop the server and the kernel it started (its own process group, nothing else)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def test_each_control_of_the_explore_notebook_moves_the_view(lab, tmp_path):
    profile = tmp_path / "profile"
    with offline_browser(profile, allow=lab["url"], viewport={"width": 1400, "height": 1000}) as (context, outside):
        page = context.new_page()
        page.goto(f"{lab['url']}/lab/tree/notebooks/explore.ipynb")
        page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
        page.locator("#jp-main-statusbar").get_by_text("Idle").first.wait_for(timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        ui = page.locator(".kham-pha")
        ui.wait_for(timeout=RUN_TIMEOUT)
        drive(page, ui, tmp_path)
    assert outside == []


def summary(ui) -> str:
    return ui.locator(".kham-pha-tom-tat").inner_text()


def chart_texts(ui, name: str) -> str:
    return " ".join(ui.locator(f".kham-pha-{name} svg text").all_text_contents())


def bar_labels(ui) -> list[str]:
    """The ranked chart's unit labels, top first (the y axis; the x axis holds numbers)."""
    texts = ui.locator(".kham-pha-xep-hang svg .role-axis-label text").all_text_contents()
    return [t for t in texts if not re.fullmatch(r"[-−+\d.,% ]+", t)]


def until(page, check, what: str) -> None:
    """Wait until ``check()`` holds (the kernel answers each change asynchronously)."""
    deadline = time.monotonic() + STEP_TIMEOUT / 1000
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"the view did not follow: {what}")
        page.wait_for_timeout(150)


def control(ui, kind: str, label: str):
    """The input of a labelled ipywidgets control (``select``, ``input``)."""
    return ui.locator(f".widget-{kind}").filter(has=ui.page.locator(f"label:text-is('{label}')")).locator(
        "select" if kind in ("dropdown", "select-multiple") else "input")


def drive(page, ui, tmp_path: Path) -> None:
    until(page, lambda: "Xếp hạng: Tổng điểm — điểm" in chart_texts(ui, "xep-hang"), "first ranked chart")
    until(page, lambda: "148 đơn vị" in summary(ui), "first summary")
    assert "Phân bố: Tổng điểm — điểm" in chart_texts(ui, "phan-bo")
    assert any("," in t for t in ui.locator(".kham-pha-xep-hang svg text").all_text_contents())  # Vietnamese numbers

    ui.locator(".widget-toggle-buttons button", has_text="Điểm bị mất").click()
    until(page, lambda: "Tổng điểm — điểm bị mất" in chart_texts(ui, "xep-hang"), "metric → points lost")

    control(ui, "dropdown", "Nhóm, chỉ số").select_option(label="Nhóm · Số hóa hồ sơ")
    until(page, lambda: "Xếp hạng: Số hóa hồ sơ — điểm bị mất" in chart_texts(ui, "xep-hang"), "figure → MDSH")
    until(page, lambda: "Phân bố: Số hóa hồ sơ" in chart_texts(ui, "phan-bo"), "distribution follows")

    control(ui, "select-multiple", "Kỳ").select_option(label=["2026-07", "2026-08"])
    until(page, lambda: "2026-07, 2026-08" in summary(ui), "periods → two")
    ui.locator(".widget-tab .lm-TabBar-tab", has_text="So sánh hai kỳ").click()
    until(page, lambda: "Thay đổi từ 2026-07 đến 2026-08" in ui.locator(".kham-pha-so-sanh").inner_text(), "comparison")
    assert "Phường Việt Trì" in ui.locator(".kham-pha-so-sanh").inner_text()
    ui.locator(".widget-toggle-buttons button", has_text="Thay đổi").click()
    until(page, lambda: "Số hóa hồ sơ — thay đổi (điểm)" in chart_texts(ui, "xep-hang"), "metric → change")
    until(page, lambda: "Việt Trì" in (bar_labels(ui) or [""])[0], "the mover ranks first")

    control(ui, "text", "Tìm").fill("lâm thao")
    control(ui, "text", "Tìm").press("Enter")
    until(page, lambda: "lâm thao" in summary(ui), "search")
    ui.locator(".widget-tab .lm-TabBar-tab", has_text="Bảng").click()
    until(page, lambda: "Lâm Thao" in ui.locator(".kham-pha-bang").inner_text(), "table follows the search")
    control(ui, "text", "Tìm").fill("")
    control(ui, "text", "Tìm").press("Enter")
    until(page, lambda: "lâm thao" not in summary(ui), "search cleared")

    control(ui, "dropdown", "Cấp").select_option(label="Sở, ban, ngành")
    until(page, lambda: "Sở, ban, ngành" in summary(ui) and "15 đơn vị" in summary(ui), "level → departments")
    control(ui, "dropdown", "Cấp").select_option(label="Cấp xã")
    until(page, lambda: "Cấp xã" in summary(ui), "level → communes")

    control(ui, "dropdown", "Thuộc").select_option(label="Thành phố Việt Trì")
    until(page, lambda: "Thành phố Việt Trì" in summary(ui), "parent → former district")
    control(ui, "dropdown", "Thuộc").select_option(label="Tất cả")

    ui.locator(".widget-toggle-buttons button", has_text="Điểm").first.click()
    control(ui, "dropdown", "Nhóm, chỉ số").select_option(label="Tổng điểm")
    until(page, lambda: "Xếp hạng: Tổng điểm — điểm" in chart_texts(ui, "xep-hang"), "back to the total")
    control(ui, "dropdown", "Cách ngưỡng trên").select_option(label="≤ 2 điểm")
    until(page, lambda: "· 2" in summary(ui), "near the next band")
    control(ui, "dropdown", "Cách ngưỡng trên").select_option(label="Tất cả")

    control(ui, "dropdown", "Có phát sinh ở").select_option(label="Nhóm · Dịch vụ công trực tuyến")
    until(page, lambda: "Dịch vụ công trực tuyến" in summary(ui), "active in")
    control(ui, "dropdown", "Giá trị").select_option(label="tử số = 0")
    until(page, lambda: "tử số = 0" in summary(ui), "value filter")
    control(ui, "dropdown", "Giá trị").select_option(label="mọi giá trị")
    control(ui, "dropdown", "Có phát sinh ở").select_option(label="—")
    until(page, lambda: "148 đơn vị" in summary(ui), "filters cleared")

    ui.locator(".kham-pha-bang button", has_text="Đơn vị").first.click()  # sort by name
    until(page, lambda: "Đơn vị ▲" in ui.locator(".kham-pha-bang").inner_text(), "header click sorts")

    name = ui.locator(".kham-pha-bang button").nth(12)
    unit = name.inner_text()
    name.click()
    until(page, lambda: unit in ui.locator(".kham-pha-chi-tiet").inner_text(), "a name opens its drill-down")
    detail = ui.locator(".kham-pha-chi-tiet").inner_text()
    assert "Các nhóm chỉ số" in detail and "Tỷ lệ hồ sơ xử lý đúng hạn" in detail and "2026-07" in detail

    sixth = ui.locator(".kham-pha-bang button").nth(12 + 5).inner_text()  # the table's 6th unit is the chart's 6th bar
    assert sixth != unit
    bars = ui.locator(".kham-pha-xep-hang svg g.mark-rect.role-mark").last  # over the class bands
    bars.locator("path").nth(5).click(force=True)
    until(page, lambda: ui.locator(".kham-pha-chi-tiet h3").inner_text().startswith(sixth), "a bar opens its unit")

    folder = tmp_path / "xuat"
    control(ui, "text", "Lưu vào").fill(str(folder))
    control(ui, "text", "Lưu vào").press("Enter")
    ui.locator("button", has_text="XLSX").click()
    until(page, lambda: ".xlsx" in ui.locator(".kham-pha-da-luu").inner_text(), "export")
    assert list(folder.glob("kham-pha-*.xlsx"))
    frame = pl.read_excel(next(folder.glob("kham-pha-*.xlsx")))
    assert frame.height == 148
