"""Kinds of real input, each on real text (fixtures/real) changed the way other real reports differ.

Named after what they exercise: input kind decided by content, HTML grids laid out explicitly,
crawled text with fused digits, the 2019 template as published, rows not printed, 2025 variants,
converted markdown with rows detached from their labels.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.ingest import scan_raw_dir
from pipeline.parsing import parse
from pipeline.parsing.flat import _rows as flat_rows
from pipeline.parsing.fused import split_fused
from pipeline.parsing.tokens import tokenize

REAL = Path(__file__).parent / "fixtures" / "real" / "raw"
CMS_PAGE = "12_pingtan_2023.html"
FUSED_2019 = "15_pingtan_caizhengjinrongju_2019.page.txt"
SPACED_2022 = "17_pingtan_jiaotongjiansheju_2022.page.txt"
PDF2MD = "11_shanghai_shibangongting_2025.pdf2md.md"


def text(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def read(content: str, name: str = "report.txt"):
    return parse(content.encode("utf-8"), name, current_year=2026)


def changed(name: str, old: str, new: str, count: int = 1) -> str:
    source = text(name)
    assert source.count(old) >= count, old
    return source.replace(old, new, count)


def row(report, section: str, row_key: str, columns: tuple[str, ...]) -> list[Decimal | None]:
    return [report.value(section, row_key, c) for c in columns]


APPLICANTS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_organization",
    "legal_service_agency",
    "other_org",
    "total",
)


# ----------------------------------------------------------------------------- input kind


PREAMBLES = {
    "saved_from_url": "<!-- saved from url=(0064)http://www.pingtan.gov.cn/zwgk/t1.htm -->\n",
    "bom_and_blank_lines": "\ufeff\n\n   \n",
    "xml_declaration": '<?xml version="1.0" encoding="utf-8"?>\n',
    "cms_banner_comments": "<!-- TRS WCM 7.0 -->\n<!-- 站群发布时间 2024-03-01 -->\n\n",
}


@pytest.mark.parametrize("preamble", PREAMBLES.values(), ids=PREAMBLES.keys())
@pytest.mark.parametrize("name", ["page.txt", "page.shtml", "page", "page.html"])
def test_a_saved_page_is_html_whatever_comes_before_the_first_tag_and_whatever_its_name(
    preamble, name
):
    report = read(preamble + text(CMS_PAGE), name)

    assert report.layout == "html_tab_grid"
    assert report.parse_status == "parsed"
    assert report.value("applications", "new_received", "total") == 81


def test_crawled_text_with_a_stray_html_comment_stays_text():
    report = read(text(FUSED_2019))

    assert "<!--[if !supportMisalignedColumns]-->" in text(FUSED_2019)
    assert report.layout == "flat_text"


def test_pages_without_a_report_extension_are_listed(tmp_path):
    for name in ("a.shtml", "b", "c.jsp", "d.txt", "e.png", ".hidden"):
        (tmp_path / name).write_text("x", encoding="utf-8")

    assert scan_raw_dir(tmp_path)["source_path"].to_list() == ["a.shtml", "b", "c.jsp", "d.txt"]


# ----------------------------------------------------------------------------- HTML grids


def test_blank_html_cells_are_null_in_their_own_column_trailing_ones_included():
    blank = "<td>&nbsp;</td>"
    page = changed(
        CMS_PAGE,
        "一、本年新收政府信息公开申请数量</td><td>80</td><td>1</td>"
        "<td>0</td><td>0</td><td>0</td><td>0</td><td>81</td>",
        "一、本年新收政府信息公开申请数量</td><td>80</td><td>&nbsp;1</td>"
        f"<td><p></p></td><td> </td><td><br></td>{blank}{blank}",
    )
    report = read(page)

    assert row(report, "applications", "new_received", APPLICANTS) == [80, 1] + [None] * 5
    cell = report.cell("applications", "new_received", "total")
    assert (cell.raw_text, cell.source_line) == (
        "",
        page.splitlines().index(next(line for line in page.splitlines() if "一、本年新收" in line))
        + 1,
    )
    assert not any(i.code in ("row_value_count", "blank_cells_ignored") for i in report.issues)


def test_a_number_spanning_two_rows_belongs_to_the_first_and_leaves_null_below():
    page = changed(
        CMS_PAGE,
        "（一）予以公开</td><td>22</td>",
        '（一）予以公开</td><td rowspan="2">22</td>',
    )
    page = page.replace("不计其他情形）</td><td>19</td>", "不计其他情形）</td>", 1)
    report = read(page)

    assert report.value("applications", "granted", "natural_person") == 22
    assert row(report, "applications", "partially_granted", APPLICANTS) == [
        None,
        1,
        0,
        0,
        0,
        0,
        20,
    ]
    assert [i.code for i in report.issues if i.code == "value_spans_rows"] == ["value_spans_rows"]


def test_group_label_printed_twice_and_an_empty_merged_group_cell_change_nothing():
    page = changed(
        CMS_PAGE,
        '<td rowspan="22">三、本年度办理结果</td>',
        '<td rowspan="10">三、本年度办理结果</td>',
    )
    page = page.replace(
        "<tr><td>8.属于行政查询事项</td>",
        '<tr><td rowspan="12">三、本年度办理结果</td><td>8.属于行政查询事项</td>',
        1,
    )
    page = page.replace('<td rowspan="8">（三）不予公开</td>', '<td rowspan="8">&nbsp;</td>', 1)
    original, report = read(text(CMS_PAGE)), read(page)

    assert report.values() == original.values()
    assert report.parse_status == "parsed"


# ----------------------------------------------------------------------------- crawled text


def test_spaces_left_by_nbsp_are_boundaries_but_not_all_of_them():
    page = changed(FUSED_2019, "（一）予以公开0000000", "（一）予以公开10 0 0 0 01")
    report = read(page)

    assert row(report, "applications", "granted", APPLICANTS) == [1, 0, 0, 0, 0, 0, 1]
    (issue,) = [i for i in report.issues if i.row_key == "granted"]
    assert issue.code == "digits_split" and "'10 0 0 0 01'" in issue.message


def test_a_sign_starts_a_cell_but_two_readings_leave_the_cells_they_disagree_on_null():
    # 2019 table 二: 上一年项目数量 | 本年增/减 | 处理决定数量 printed 88-720
    page = changed(FUSED_2019, "行政许可300", "行政许可88-720")
    report = read(page)
    columns = ("prev_year_items", "change", "decisions")

    assert row(report, "active_disclosure", "administrative_license", columns) == [88, None, None]
    (issue,) = [i for i in report.issues if i.row_key == "administrative_license"]
    assert issue.code == "digits_run_together" and "88 | -7 | 20" in issue.message


@pytest.mark.parametrize(
    "name", [FUSED_2019, SPACED_2022, "16_pingtan_jinjingpianqu_2025.page.txt"]
)
def test_crawled_text_with_one_row_per_line_reads_as_the_one_line_page(name):
    # the same crawl where each table row kept its line break but its cells did not
    lines = text(name).splitlines()
    body = lines[9]
    starts = [row.start for row in flat_rows(body)]
    cut = [body[a:b] for a, b in zip([0, *starts], [*starts, len(body)], strict=True)]
    report = read("\n".join([*lines[:9], *cut]))

    assert report.layout == "flat_text"
    assert report.values() == read(text(name)).values()
    assert report.parse_status == read(text(name)).parse_status


def test_an_intro_sentence_listing_the_sections_is_not_a_heading():
    intro = "本报告包括总体情况、主动公开政府信息情况等六个部分"
    page = text(SPACED_2022).replace("当前位置：", f"{intro}\n规章 9 9 9\n当前位置：", 1)
    report = read(page)

    assert report.value("active_disclosure", "rules", "issued") == 0


def test_a_label_printed_without_its_note_still_opens_its_row():
    page = changed(
        FUSED_2019,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000",
        "（二）部分公开3000003",
    )
    report = read(page)

    assert row(report, "applications", "partially_granted", APPLICANTS) == [3, 0, 0, 0, 0, 0, 3]


def test_the_item_number_of_the_next_label_is_not_a_digit_of_the_run():
    report = read(text(FUSED_2019))

    assert "00000002.其他法律行政法规禁止公开" in text(FUSED_2019)
    assert row(report, "applications", "denied_state_secret", APPLICANTS) == [0] * 7
    assert row(report, "applications", "denied_prohibited_by_law", APPLICANTS) == [0] * 7


def test_a_table_on_a_line_of_its_own_in_a_flattened_page_is_cut_too():
    page = changed(
        FUSED_2019, "四、结转下年度继续办理0000000 四、", "四、结转下年度继续办理0000000\n四、"
    )
    page = page.replace("000000000000000五、", "000000000000000\n五、", 1)
    report = read(page)

    assert report.layout == "flat_text"
    assert [report.value("appeals", r, "total") for r in ("review", "litigation_direct")] == [0, 0]
    assert report.values() == read(text(FUSED_2019)).values()


def test_a_split_is_never_chosen_by_the_identities():
    # 21|0|…|21 or 2|10|…|21: the number rules allow both, whatever the outcome rows say
    page = changed(
        FUSED_2019,
        "一、本年新收政府信息公开申请数量0000000",
        "一、本年新收政府信息公开申请数量21000021",
    )
    report = read(page)

    # also 2|100|0|0|0|2|1 and 21|0|0|0|0|2|1: only the three middle cells are certain
    assert row(report, "applications", "new_received", APPLICANTS) == [
        None,
        None,
        0,
        0,
        0,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("printed", "kinds", "readings"),
    [
        (["0000000"], ("count",) * 7, [[0] * 7]),
        (["01"], ("count",) * 2, [[0, 1]]),
        (["110000011"], ("count",) * 7, None),  # several
        (["300"], ("count",) * 3, [[3, 0, 0]]),
        (["1077"], ("count",) * 3, None),
        (["2832995元"], ("count", "amount"), None),
        (["0", "0"], ("count",) * 2, [[0, 0]]),
        (["-18", "5"], ("count", "signed", "count"), []),  # a count never carries a sign
        (["12-18"], ("count", "signed"), [[12, -18]]),
    ],
)
def test_fused_runs_split_only_by_the_number_rules(printed, kinds, readings):
    tokens, _ = tokenize(["label\t" + "\t".join(printed)], fused_lines=frozenset({1}))
    found = split_fused(tokens[1:], kinds)
    values = [[t.value for t in r] for r in found]

    if readings is None:
        assert len(found) > 1
    else:
        assert values == readings


# ----------------------------------------------------------------------------- 2019 template

TABLE_2_2019 = """<table border="1"><tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新<br>制作数量</td><td>本年新<p>公开数量</p></td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>规范性文件</td><td>12</td><td>12</td><td>206</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td>188</td><td>-18</td><td>2450</td></tr>
<tr><td>其他对外管理服务事项</td><td>35</td><td>+2</td><td>470</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政处罚</td><td>520</td><td>0</td><td>1330</td></tr>
<tr><td>行政强制</td><td>31</td><td>&nbsp;</td><td>54</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td></tr>
<tr><td>行政事业性收费</td><td>7</td><td colspan="2">减1</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td>43</td><td colspan="2">73802895.90元</td></tr>
</tbody></table>"""


def test_2019_table_2_as_published_signed_changes_and_amounts():
    source = text(CMS_PAGE)
    start = source.index("<table border")
    end = source.index("</table>") + len("</table>")
    report = read(source[:start] + TABLE_2_2019 + source[end:])
    values = {
        (c.row_key, c.column_key): c.value for c in report.cells if c.section == "active_disclosure"
    }

    assert report.template_version == "2019"
    assert values[("normative_documents", "total_published")] == 206
    assert values[("administrative_license", "change")] == -18
    assert values[("other_external_services", "change")] == 2
    assert values[("administrative_coercion", "change")] is None
    assert values[("administrative_fees", "change")] == -1
    assert values[("government_procurement", "procurement_amount")] == Decimal("73802895.90")
    # its table 三 prints the 2021 （六） rows: kept as printed, with a warning
    assert "mixed_template" in {i.code for i in report.issues}


# ----------------------------------------------------------------------------- 2025 variants


def test_heading_typos_and_headings_without_their_comma_are_read():
    page = text(SPACED_2022)
    for numeral in "一二三四五六":
        page = page.replace(f" {numeral}、", f" {numeral}", 1)
    page = page.replace("现行有效件数", "先行有效件数").replace("勾稽", "钩稽")
    report = read(page)

    assert report.parse_status == "parsed"
    assert report.values() == read(text(SPACED_2022)).values()


def test_a_fee_table_after_table_4_does_not_change_table_4():
    page = changed(
        SPACED_2022,
        " 五、存在的主要问题及改进情况",
        " 五、信息处理费收取情况 通知收取件数 通知收取金额（元） 实际收取金额（元） 2 100 80.5 "
        "六、存在的主要问题及改进情况",
    )
    report = read(page)
    fees = {c.column_key: c.value for c in report.cells if c.section == "fees"}

    assert fees == {
        "notified_count": 2,
        "notified_amount_yuan": 100,
        "collected_amount_yuan": Decimal("80.5"),
    }
    assert [report.value("appeals", r, "total") for r in ("review", "litigation_direct")] == [0, 0]
    assert report.parse_status == "parsed"


# ----------------------------------------------------------------------------- converted markdown


def test_detached_rows_stay_null_when_the_identities_do_not_confirm_them():
    page = changed(PDF2MD, "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n", "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    report = read(page, PDF2MD)
    detached = ("rejected_confirmation", "other_no_correction", "other_unpaid_fee")

    assert "row_placed_by_order" not in {i.code for i in report.issues}
    for key in detached:
        assert all(c.value is None for c in report.cells if c.row_key == key)
    assert report.value("applications", "rejected_excessive", "total") == 1  # its own line


def test_detached_rows_are_placed_between_labelled_rows_with_a_warning():
    report = read(text(PDF2MD), PDF2MD)
    placed = [i.row_key for i in report.issues if i.code == "row_placed_by_order"]

    assert placed == ["rejected_confirmation", "other_no_correction", "other_unpaid_fee"]
    assert row(report, "applications", "other_no_correction", APPLICANTS) == [40, 1, 0, 0, 2, 0, 43]
