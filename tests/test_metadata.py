"""Agency and year from titles of every shape seen, and from the body when there is no title."""

import pytest

from pipeline.parsing.metadata import extract_metadata


@pytest.mark.parametrize(
    ("lines", "agency", "year"),
    [
        (["老城区西南隅街道办事处2022年政府信息公开工作年度报告"], "老城区西南隅街道办事处", 2022),
        (["环南街道政府信息公开工作2021年度报告"], "环南街道", 2021),
        (["民权县绿洲街道办事处 2023 年政府信息公开工作 年度报告"], "民权县绿洲街道办事处", 2023),
        (["# 老城区人民政府办公室2021年政府信息公开工作年度报告"], "老城区人民政府办公室", 2021),
        (["**某某市财政局2020年度政府信息公开工作报告**"], "某某市财政局", 2020),
        (
            ["正文", "2025 年上海市人民政府办公厅政府信息公开", "工作年度报告"],
            "上海市人民政府办公厅",
            2025,
        ),
        (["某某县人民政府信息公开工作2021年度报告"], "某某县人民政府", 2021),
        (["关于某某区教育局2019年政府信息公开工作年度报告"], "某某区教育局", 2019),
        (["某某镇人民政府２０２２年政府信息公开工作年度报告"], "某某镇人民政府", 2022),
    ],
)
def test_agency_and_year_from_title(lines, agency, year):
    meta = extract_metadata([*lines, "", "一、总体情况"], current_year=2026)
    assert (meta.agency, meta.year, meta.agency_from_body) == (agency, year, False)


def test_title_without_agency_falls_back_to_body():
    lines = ["2022年政府信息公开工作年度报告", "一、总体情况", "2022年，某某街道坚持以人民为中心。"]
    meta = extract_metadata(lines, current_year=2026)
    assert (meta.agency, meta.year, meta.agency_from_body) == ("某某街道", 2022, True)


def test_body_year_prefers_the_reporting_date():
    lines = [
        "依据《中华人民共和国政府信息公开条例》第五十条规定,编制本报告。",
        "2019年以来，我单位持续推进政务公开。某某乡人民政府高度重视。",
        "截至2023年12月31日，收到申请5件。",
    ]
    meta = extract_metadata(lines, current_year=2026)
    assert meta.year == 2023
    assert meta.title is None


def test_future_year_in_title_is_not_believed():
    meta = extract_metadata(["某某局2031年政府信息公开工作年度报告"], current_year=2026)
    assert meta.title is None and meta.year is None
