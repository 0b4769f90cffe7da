"""Agencies across years: normalised names, levels, region paths, and the same body's reports
linked across spellings — and the cross-year checks following that link in a real warehouse."""

from __future__ import annotations

from contextlib import closing
from decimal import Decimal

import pytest

from pipeline.agencies import describe, link, write_agencies
from pipeline.parsing import parse
from pipeline.quality import assess
from pipeline.quality.dashboard import dashboard_data, write_dashboard
from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow
from tests.conftest import CARRIED_FORWARD, CURRENT_YEAR, seed_variant

CARRIED_OVER = "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||"


@pytest.mark.parametrize(
    ("name", "level", "government_level", "region_path"),
    [
        ("平潭综合实验区金井片区管理局", "township", "township", ("平潭综合实验区", "金井片区")),
        ("老城区西南隅街道办事处", "township", "township", ("老城区", "西南隅街道")),
        ("民权县绿洲街道办事处", "township", "township", ("民权县", "绿洲街道")),
        ("北新桥街道", "township", "township", ("北新桥街道",)),
        ("老城区人民政府办公室", "department", "county", ("老城区",)),
        ("上海市人民政府办公厅", "department", "province", ("上海市",)),
        ("上海市科委", "department", "province", ("上海市",)),
        ("上海市市场监督管理局", "department", "province", ("上海市",)),  # 市场 is no unit
        ("北京市城市管理委员会", "department", "province", ("北京市",)),  # nor 城市
        ("平潭综合实验区社会事业局", "department", "county", ("平潭综合实验区",)),
        ("沭阳县人民政府", "county", "county", ("沭阳县",)),
        ("江苏省淮安市洪泽区人民政府", "county", "county", ("江苏省", "淮安市", "洪泽区")),
        ("郑州市人民政府", "prefecture", "prefecture", ("郑州市",)),
        ("河南省人民政府", "province", "province", ("河南省",)),
        ("教育部", "ministry", "national", ()),
        ("关于 上海市科学技术委员会", "department", "province", ("上海市",)),
    ],
)
def test_level_and_region_path_from_the_name(name, level, government_level, region_path):
    described = describe(name)

    assert (described.level, described.government_level) == (level, government_level)
    assert described.region_path == region_path


def test_the_same_body_is_linked_across_spellings_with_the_basis_recorded():
    links = link(
        [
            ("上海市科委", 2021),
            ("上海市科学技术委员会", 2022),
            ("上海市科学技术委员会", 2023),
            ("沐阳县人民政府", 2021),
            ("沭阳县人民政府", 2022),
            ("沭阳县人民政府", 2023),
            ("北新桥街道", 2022),
            ("北新桥 街道", 2023),
            ("老城区人民政府办公室", 2021),
        ]
    )

    assert [(item.agency, item.agency_id, item.link_basis, item.link_note) for item in links] == [
        ("上海市科委", "上海市科学技术委员会", "abbreviation", "科委 = 科学技术委员会"),
        ("上海市科学技术委员会", "上海市科学技术委员会", "same_name", None),
        ("北新桥 街道", "北新桥街道", "normalised", None),
        ("北新桥街道", "北新桥街道", "same_name", None),
        ("沐阳县人民政府", "沭阳县人民政府", "ocr_variant", "沐 / 沭"),
        ("沭阳县人民政府", "沭阳县人民政府", "same_name", None),
        ("老城区人民政府办公室", "老城区人民政府办公室", "same_name", None),
    ]


def test_look_alike_names_reporting_the_same_year_stay_two_bodies():
    links = link([("沐阳县人民政府", 2022), ("沭阳县人民政府", 2022), ("甲县人民政府", 2022)])

    assert {item.agency: item.agency_id for item in links} == {
        "沐阳县人民政府": "沐阳县人民政府",
        "沭阳县人民政府": "沭阳县人民政府",
        "甲县人民政府": "甲县人民政府",
    }
    assert {item.link_basis for item in links} == {"same_name"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Two bodies, each under two spellings in consecutive years; 上海市科委's 2023 report
    carries over 1 application its 2022 report did not carry forward."""
    reports = {
        "kewei_2022.txt": ("上海市科委", 2022, {}),
        "kewei_2023.txt": (
            "上海市科学技术委员会",
            2023,
            {
                CARRIED_OVER: "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||",
                CARRIED_FORWARD: "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            },
        ),
        "muyang_2022.txt": ("沐阳县人民政府", 2022, {}),
        "shuyang_2023.txt": ("沭阳县人民政府", 2023, {}),
    }
    parsed = []
    for name, (agency, year, replacements) in reports.items():
        report = parse(seed_variant(agency, year, replacements), name, current_year=CURRENT_YEAR)
        assert (report.agency, report.year, report.parse_status) == (agency, year, "parsed")
        parsed.append((name, report))
    with closing(connect(tmp_path_factory.mktemp("agencies") / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow(parsed))
        assess(con, current_year=CURRENT_YEAR)
        yield con


def test_agency_tables_link_the_spellings(warehouse):
    assert warehouse.execute(
        "select agency, agency_id, link_basis, link_note from agency_names order by agency"
    ).fetchall() == [
        ("上海市科委", "上海市科学技术委员会", "abbreviation", "科委 = 科学技术委员会"),
        ("上海市科学技术委员会", "上海市科学技术委员会", "same_name", None),
        ("沐阳县人民政府", "沭阳县人民政府", "ocr_variant", "沐 / 沭"),
        ("沭阳县人民政府", "沭阳县人民政府", "same_name", None),
    ]
    assert warehouse.execute(
        "select agency_id, level, government_level, region, region_path from agencies order by 1"
    ).fetchall() == [
        ("上海市科学技术委员会", "department", "province", "上海市", "上海市"),
        ("沭阳县人民政府", "county", "county", "沭阳县", "沭阳县"),
    ]


def test_cross_year_checks_follow_the_link_across_spellings(warehouse):
    rows = warehouse.execute(
        """
        select reports.source_path, checks.rule_id, checks.column_key, checks.status,
            checks.expected, checks.actual
        from checks join reports using (report_id)
        where checks.suite = 'cross_year'
        order by all
        """
    ).fetchall()
    by_file = {}
    for path, rule_id, column, status, expected, actual in rows:
        by_file.setdefault(path, []).append((rule_id, column, status, expected, actual))

    # each 2023 report is compared with its body's 2022 report, printed under the other name
    assert set(by_file) == {"kewei_2023.txt", "shuyang_2023.txt"}
    assert len(by_file["shuyang_2023.txt"]) == 7 + 2
    assert {status for _, _, status, _, _ in by_file["shuyang_2023.txt"]} == {"passed"}
    assert [row for row in by_file["kewei_2023.txt"] if row[2] == "failed"] == [
        ("carryover", "natural_person", "failed", Decimal(0), Decimal(1)),
        ("carryover", "total", "failed", Decimal(0), Decimal(1)),
    ]
    # warnings, not flags: each report adds up on its own
    assert warehouse.execute("select count(*) from report_flags").fetchall() == [(0,)]


def test_the_dashboard_lists_each_body_across_years_with_its_spellings(warehouse, tmp_path):
    data = dashboard_data(warehouse)
    page = write_dashboard(data, tmp_path / "dashboard.html", None).read_text(encoding="utf-8")

    assert [
        (
            a["name"],
            a["years"],
            a["reports"],
            a["cross_year_warned_reports"],
            a["republished_reports"],
            a["names"],
        )
        for a in data.agencies
    ] == [
        (
            "上海市科学技术委员会",
            [2022, 2023],
            2,
            1,  # carryover
            0,
            ["上海市科学技术委员会", "上海市科委 (abbreviation: 科委 = 科学技术委员会)"],
        ),
        (
            "沭阳县人民政府",
            [2022, 2023],
            2,
            0,
            1,  # the 2023 report prints the 2022 report's numbers
            ["沭阳县人民政府", "沐阳县人民政府 (ocr_variant: 沐 / 沭)"],
        ),
    ]
    assert "上海市科委 (abbreviation: 科委 = 科学技术委员会)" in page
    assert 'data-years="2022 2023"' in page


def test_rewriting_the_agencies_changes_only_what_the_new_names_change(tmp_path):
    """A second spelling that outnumbers the first takes the body over: the old body's row
    goes, the renamed link is rewritten, and the result is what a rebuild from scratch gives."""

    def parsed(agency, year):
        text = seed_variant(agency, year, {})
        return (f"{agency}_{year}.txt", parse(text, f"{agency}_{year}.txt", current_year=2025))

    with closing(connect(tmp_path / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([parsed("沐阳县人民政府", 2021), parsed("甲县人民政府", 2021)]))
        write_agencies(con)
        assert con.execute("select agency_id from agencies order by 1").fetchall() == [
            ("沐阳县人民政府",),
            ("甲县人民政府",),
        ]
        load(
            con, reports_to_arrow([parsed("沭阳县人民政府", 2022), parsed("沭阳县人民政府", 2023)])
        )
        write_agencies(con)
        names = "select agency, agency_id, link_basis, link_note from agency_names order by 1"
        bodies = "select * from agencies order by agency_id"
        assert con.execute(names).fetchall() == [
            ("沐阳县人民政府", "沭阳县人民政府", "ocr_variant", "沐 / 沭"),
            ("沭阳县人民政府", "沭阳县人民政府", "same_name", None),
            ("甲县人民政府", "甲县人民政府", "same_name", None),
        ]
        incremental = (con.execute(names).fetchall(), con.execute(bodies).fetchall())
        con.execute("delete from agencies")
        con.execute("delete from agency_names")
        write_agencies(con)
        assert (con.execute(names).fetchall(), con.execute(bodies).fetchall()) == incremental
