"""The analysts' views in sql/ (view_applications_wide … view_republished_reports), each checked
against numbers read off the reports themselves, in a real warehouse."""

from __future__ import annotations

from contextlib import closing
from decimal import Decimal

import pytest

from pipeline.parsing import parse
from pipeline.quality import assess
from pipeline.settings import DEFAULT_RAW_DIR
from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow
from tests.conftest import CURRENT_YEAR, seed_variant

NEW_RECEIVED = "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 | ||"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """The five seeds; 上海市科委 (2022) / 上海市科学技术委员会 (2023), whose applications jump
    from 5 to 500; 沐阳县人民政府 (2022) / 沭阳县人民政府 (2023), the same report twice."""
    parsed = [
        (p.name, parse(p.read_bytes(), p.name, current_year=CURRENT_YEAR))
        for p in sorted(DEFAULT_RAW_DIR.glob("*.txt"))
    ]
    jump = "一、本年新收政府信息公开申请数量 | 500 | 0 | 0 | 0 | 0 | 0 | 500 | ||"
    variants = {
        "kewei_2022.txt": ("上海市科委", 2022, {}),
        "kewei_2023.txt": ("上海市科学技术委员会", 2023, {NEW_RECEIVED: jump}),
        "muyang_2022.txt": ("沐阳县人民政府", 2022, {}),
        "shuyang_2023.txt": ("沭阳县人民政府", 2023, {}),
    }
    for name, (agency, year, replacements) in variants.items():
        data = seed_variant(agency, year, replacements)
        parsed.append((name, parse(data, name, current_year=CURRENT_YEAR)))
    with closing(connect(tmp_path_factory.mktemp("views") / "wh.duckdb")) as connection:
        ensure_schema(connection)
        load(connection, reports_to_arrow(parsed))
        assess(connection, current_year=CURRENT_YEAR)
        yield connection


def test_applications_wide_is_table_three_as_printed(con):
    rows = con.execute(
        """
        select row_key, natural_person, commercial_enterprise, research_institution,
            social_organization, legal_service_agency, other_org, total
        from applications_wide
        where agency = '北新桥街道'
        order by row_order
        """
    ).fetchall()

    assert len(rows) == 25  # the 2021 format's rows
    assert rows[0] == ("new_received", 5, 0, 0, 0, 0, 0, 5)
    assert dict((r[0], r[7]) for r in rows)["unable_not_held"] == 4
    # nine reports, all in the 2021 format: one row per report and table-三 row
    assert con.execute("select count(*) from applications_wide").fetchall() == [(9 * 25,)]


def test_report_headlines_of_a_seed(con):
    row = con.execute(
        """
        select received, carried_over, granted, partially_granted, denied, unable, rejected,
            other_handling, total_processed, carried_forward, reconsiderations, lawsuits,
            corrected, concluded, correction_rate
        from report_headlines
        where agency = '老城区人民政府办公室'
        """
    ).fetchall()

    # seed 004: 16 received, all granted; 1 reconsideration and 5 lawsuits (its text: 6件),
    # 4 of the 5 concluded cases corrected
    assert row == [(16, 0, 16, 0, 0, 0, 0, 0, 16, 0, 1, 5, 4, 5, 0.8)]
    assert con.execute(
        "select denied, unable, correction_rate from report_headlines where agency = '北新桥街道'"
    ).fetchall() == [(1, 4, None)]  # no concluded appeal: no rate


def test_year_over_year_follows_the_body_across_spellings(con):
    rows = con.execute(
        """
        select agency_id, year, previous_received, received, received_change,
            previous_total_processed, total_processed
        from agency_year_over_year
        order by agency_id
        """
    ).fetchall()

    assert rows == [
        ("上海市科学技术委员会", 2023, 5, 500, 495, 5, 5),
        ("沭阳县人民政府", 2023, 5, 5, 0, 5, 5),
    ]


def test_flag_rates_by_level_region_and_year(con):
    rows = con.execute(
        "select level, region, year, reports_read, flagged_reports, flag_rate from flag_rates "
        "order by all"
    ).fetchall()

    # kewei_2023 breaks the balance (500 received, 5 processed): the only flagged report
    assert ("department", "上海市", 2023, 1, 1, 1.0) in rows
    assert ("department", "上海市", 2022, 1, 0, 0.0) in rows
    assert ("county", "沭阳县", 2022, 1, 0, 0.0) in rows
    assert ("township", "老城区", 2022, 1, 0, 0.0) in rows
    assert sum(r[3] for r in rows) == 9
    assert sum(r[4] for r in rows) == 1


def test_implausible_jumps_and_republished_reports_are_warnings(con):
    jumps = con.execute(
        "select agency_id, year, measure, previous_value, value, change, severity "
        "from implausible_jumps"
    ).fetchall()
    republished = con.execute(
        """
        select republished_reports.agency_id, republished_reports.year, this.source_path,
            previous.source_path, cells, severity
        from republished_reports
        join reports as this on this.report_id = republished_reports.report_id
        join reports as previous on previous.report_id = republished_reports.previous_report_id
        """
    ).fetchall()

    assert jumps == [("上海市科学技术委员会", 2023, "received", 5, 500, Decimal(495), "warning")]
    assert republished == [
        ("沭阳县人民政府", 2023, "shuyang_2023.txt", "muyang_2022.txt", 200, "warning")
    ]
