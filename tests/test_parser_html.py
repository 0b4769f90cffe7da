"""HTML pages: real <table>s with rowspan/colspan, labels split over <span>s, &nbsp; cells.

The fixture is seed 004 as a CMS publishes it (navigation, scripts, a QR-code line, group cells
merged with rowspan, label cells with colspan): every cell must equal the seed's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.parsing import parse
from pipeline.parsing.html import html_lines, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "reports" / "2021_cms_rowspan.html"
SEED_004 = FIXTURES / "seeds" / "004_e02f11226f5e83d3.txt"


@pytest.fixture(scope="module")
def seed_cells():
    return parse(SEED_004.read_bytes(), SEED_004.name, current_year=2026).values()


def test_cms_page_reads_every_cell_of_the_seed(seed_cells):
    report = parse(PAGE.read_bytes(), PAGE.name, current_year=2026)

    assert (report.agency, report.year, report.template_version) == (
        "老城区人民政府办公室",
        2021,
        "2021",
    )
    assert report.parse_status == "parsed"
    assert report.layout == "html_tab_grid"
    assert len(seed_cells) == 200
    assert report.values() == seed_cells
    assert sorted(i.code for i in report.issues) == ["row_repaired", "row_repaired"]


def test_cells_point_at_lines_of_the_page_source():
    page_lines = PAGE.read_text(encoding="utf-8").splitlines()
    report = parse(PAGE.read_bytes(), PAGE.name, current_year=2026)

    new_received = report.cell("applications", "new_received", "total")
    assert "本年新收" in page_lines[new_received.source_line - 1]
    repaired = [i.source_line for i in report.issues if i.code == "row_repaired"]
    assert [
        "(七)" in page_lines[line - 1] or "结转" in page_lines[line - 1] for line in repaired
    ] == [
        True,
        True,
    ]
    assert report.narrative[0].value == 16
    assert "16件" in page_lines[report.narrative[0].source_line - 1]


def test_gbk_page_with_meta_charset_reads_the_same(seed_cells):
    text = PAGE.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')

    report = parse(text.encode("gb18030"), "gbk.htm", current_year=2026)

    assert report.encoding == "gb18030"
    assert report.values() == seed_cells


def test_report_inside_a_layout_table_reads_the_same(seed_cells):
    text = PAGE.read_text(encoding="utf-8")
    text = text.replace(
        '<div class="article">',
        '<table width="100%"><tr><td class="left">栏目导航</td><td><div class="article">',
    )
    text = text.replace('<div class="share">', '</td></tr></table><div class="share">')

    report = parse(text.encode(), "nested.html", current_year=2026)

    assert report.values() == seed_cells
    assert report.parse_status == "parsed"


def test_page_without_report_tables_is_failed_not_a_report():
    page = (
        "<html><body><ul><li><a href='/'>首页</a></li></ul>"
        "<table><tr><td>通知公告</td><td>2024-01-02</td></tr></table></body></html>"
    )

    report = parse(page.encode(), "index.html", current_year=2026)

    assert report.parse_status == "failed"
    assert "not_a_report" in {i.code for i in report.issues if i.severity == "error"}
    assert report.cells == []


def test_rendering_rows_spans_and_blank_cells():
    page = (
        "<html><body><p>标题</p><table>\n<tr><td rowspan='2'>三、本年度办理结果</td>"
        "<td><span>（一）予以</span><span>公开</span></td><td>&nbsp;</td><td>1,192</td></tr>\n"
        "<tr><td>（二）部分<br>公开</td><td>３</td></tr></table><script>var x='<tr>';</script>"
        "<div>扫一扫在手机上打开页面</div></body></html>"
    )

    rendered = html_lines(page)

    assert rendered.lines == [
        "标题",
        "三、本年度办理结果\t（一）予以公开\t\t1,192",
        "（二）部分公开\t３",
        "扫一扫在手机上打开页面",
    ]
    assert rendered.source_lines == [1, 2, 3, 3]


def test_plain_text_reports_are_not_taken_for_html():
    assert not looks_like_html(SEED_004.read_text(encoding="utf-8"))
    assert looks_like_html(PAGE.read_text(encoding="utf-8"))
