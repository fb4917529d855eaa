"""The index page and the navigation (analysis.report.html), rendered from their Jinja2 templates."""

from __future__ import annotations

import re

import pytest

from analysis.report import html as H

HOSTILE = "<script>window.__pwned=1</script>"


def index_page(**overrides) -> H.IndexPage:
    fields = dict(
        title=f"Báo cáo {HOSTILE}",
        subtitle="Phú Thọ, tháng 8/2026",
        generated="07/12/2026 16:00",
        methodology="portal-2026",
        pages=[
            H.PageLink("scorecard", "Kết quả trong kỳ", "scorecard.html", "notebooks/scorecard.ipynb", 1234.56),
            H.PageLink("broken", f"Hỏng {HOSTILE}", None, "notebooks/broken.ipynb", 2.0, error=f"số liệu {HOSTILE}"),
        ],
        downloads=[("Bảng", "scorecard.xlsx", "scorecard.xlsx"), ("Bảng", "scorecard.csv", "scorecard.csv"),
                   ("Biểu đồ", f"tổng điểm {HOSTILE}", "charts/tong-diem.png")],
        facts={"Nguồn số liệu": f"tệp {HOSTILE}.csv"},
        headline="Tổng điểm của tỉnh Phú Thọ tháng 8/2026 đạt 59,92/100 điểm, xếp loại Trung bình.",
        weakest=["Sở Ngoại vụ: 31,03 điểm, Yếu, hạng 13/13 sở, ban, ngành", f"Xã {HOSTILE}: 40,00 điểm"],
    )
    return H.IndexPage(**{**fields, **overrides})


def test_the_index_escapes_every_string_from_data() -> None:
    page = H.render_index(index_page())
    assert "<script" not in page
    assert page.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") == 8  # title twice, failed page twice, error, download, fact, weakest


def test_the_index_links_pages_downloads_and_notebooks_in_vietnamese() -> None:
    page = H.render_index(index_page())
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs == ["scorecard.html", "scorecard.xlsx", "scorecard.csv", "charts/tong-diem.png", "scorecard.html",
                     "notebooks/scorecard.ipynb", "notebooks/broken.ipynb"]
    assert '<dt>Bảng</dt><dd><a href="scorecard.xlsx">scorecard.xlsx</a> · <a href="scorecard.csv">scorecard.csv</a></dd>' in page
    assert '<td class=num>1.234,6 s</td>' in page
    assert "Hỏng" in page and "— lỗi: số liệu" in page
    lead = page.index('<p class="lead">Tổng điểm của tỉnh Phú Thọ')
    assert lead < page.index("Các đơn vị có tổng điểm thấp nhất") < page.index("Các trang báo cáo") < page.index("<footer>")
    assert "<li>Sở Ngoại vụ: 31,03 điểm, Yếu, hạng 13/13 sở, ban, ngành</li>" in page
    assert "Tạo lúc 07/12/2026 16:00 · phương pháp portal-2026" in page


def test_the_index_in_english_and_without_optional_parts() -> None:
    page = H.render_index(index_page(headline="", weakest=(), downloads=(), facts={}), language="en")
    assert '<html lang="en">' in page and "Report pages" in page and "Downloads" in page
    assert "— failed: số liệu" in page and '<td class=num>1,234.6 s</td>' in page
    assert 'class="lead"' not in page and "The lowest totals" not in page and "Các trang" not in page
    assert "Generated 07/12/2026 16:00 · methodology portal-2026" in page
    with pytest.raises(ValueError):
        H.render_index(index_page(), language="fr")


def test_the_navigation_links_the_index_and_the_other_pages_and_bolds_this_one() -> None:
    nav = H.render_nav(f"Mục lục {HOSTILE}", [H.NavLink("Kết quả", "scorecard.html"), H.NavLink(f"Xu hướng {HOSTILE}", None)])
    assert nav == ('<a href="index.html">Mục lục &lt;script&gt;window.__pwned=1&lt;/script&gt;</a> '
                   '<a href="scorecard.html">Kết quả</a> <strong>Xu hướng &lt;script&gt;window.__pwned=1&lt;/script&gt;</strong>')
    assert H.render_nav("Mục lục", []) == '<a href="index.html">Mục lục</a>'
