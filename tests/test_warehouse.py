"""Warehouse: schema, Arrow staging, idempotent loads and views, on a real tmp DuckDB file."""

from __future__ import annotations

import hashlib
from contextlib import closing
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pytest

from pipeline.parsing.model import Cell, ParsedReport
from pipeline.warehouse import (
    connect,
    ensure_schema,
    load,
    reports_to_arrow,
    storage_version,
    summary,
)

TABLES = ("reports", "facts", "parse_issues", "checks", "report_flags", "dim_rows", "dim_columns")


def make_report(content: bytes = b"report one", **overrides: object) -> ParsedReport:
    """A small hand-built report: one number, one fraction, one placeholder, one issue."""
    fields: dict[str, object] = {
        "agency": "老城区西南隅街道办事处",
        "year": 2022,
        "template_version": "2021",
        "parse_status": "partial",
        "encoding": "utf-8",
        "layout": "tab_grid",
        "title": "老城区西南隅街道办事处2022年政府信息公开工作年度报告",
    }
    report = ParsedReport(
        "a.txt", hashlib.sha256(content).hexdigest(), len(content), **(fields | overrides)
    )
    report.cells = [
        Cell("applications", "new_received", "natural_person", Decimal("3"), "3", 40),
        Cell("applications", "new_received", "total", None, "/", 40),
        Cell(
            "active_disclosure", "administrative_fees", "amount_10k_yuan", Decimal("0.5"), "0.5", 30
        ),
        Cell("appeals", "review", "upheld", Decimal("1"), "1", 60),
    ]
    report.issue("error", "row_missing", "row 二、上年结转 not found", section="applications")
    return report


@pytest.fixture
def con(tmp_path):
    with closing(connect(tmp_path / "warehouse" / "test.duckdb")) as con:
        ensure_schema(con)
        yield con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean identical tables."""
    return {table: sorted(rows(con, f"select * from {table}"), key=repr) for table in TABLES}


def test_load_writes_exact_rows(con):
    report = make_report()
    load(con, reports_to_arrow([("sub/a.txt", report)]))

    assert rows(con, "select report_id, source_path, agency, year, parse_status from reports") == [
        (report.report_id, "sub/a.txt", "老城区西南隅街道办事处", 2022, "partial")
    ]
    assert rows(con, "select n_cells, n_issues, source_bytes, parser_version from reports") == [
        (4, 1, len(b"report one"), report.parser_version)
    ]
    assert rows(
        con,
        """
        select section, row_key, column_key, value, raw_text, source_line
        from facts
        order by section, row_key, column_key
        """,
    ) == [
        ("active_disclosure", "administrative_fees", "amount_10k_yuan", Decimal("0.5"), "0.5", 30),
        ("appeals", "review", "upheld", Decimal("1"), "1", 60),
        ("applications", "new_received", "natural_person", Decimal("3"), "3", 40),
        ("applications", "new_received", "total", None, "/", 40),
    ]
    assert rows(con, "select severity, code, section, source_path from parse_issues") == [
        ("error", "row_missing", "applications", "sub/a.txt")
    ]


def test_value_is_an_exact_decimal(con):
    load(con, reports_to_arrow([("a.txt", make_report())]))

    (value, type_name, is_exact) = rows(
        con,
        """
        select value, typeof(value), value = 0.5::decimal(38, 6)
        from facts
        where column_key = 'amount_10k_yuan'
        """,
    )[0]
    assert (value, type_name, is_exact) == (Decimal("0.500000"), "DECIMAL(38,6)", True)


def test_placeholder_is_null_not_zero(con):
    load(con, reports_to_arrow([("a.txt", make_report())]))

    assert rows(con, "select value, raw_text from facts where column_key = 'total'") == [
        (None, "/")
    ]


def test_loading_twice_leaves_identical_tables(con):
    batch = [("a.txt", make_report())]
    load(con, reports_to_arrow(batch, ingested_at=datetime(2024, 1, 1, tzinfo=UTC)))
    first = snapshot(con)

    load(con, reports_to_arrow(batch, ingested_at=datetime(2025, 1, 1, tzinfo=UTC)))

    assert snapshot(con) == first
    assert rows(con, "select year(ingested_at) from reports") == [(2024,)]
    assert summary(con) == {
        "reports": 1,
        "parsed": 0,
        "partial": 1,
        "failed": 0,
        "facts": 4,
        "issues": 1,
    }


def test_changed_file_replaces_its_old_version(con):
    load(con, reports_to_arrow([("a.txt", make_report(b"version 1"))]))
    new = make_report(b"version 2", parse_status="parsed")
    new.cells = new.cells[:1]

    load(con, reports_to_arrow([("a.txt", new)]))

    assert rows(con, "select report_id, parse_status from reports") == [(new.report_id, "parsed")]
    assert rows(con, "select distinct report_id from facts") == [(new.report_id,)]
    assert rows(con, "select count(*) from facts") == [(1,)]
    assert rows(con, "select distinct report_id from parse_issues") == [(new.report_id,)]


def test_other_reports_are_untouched(con):
    load(con, reports_to_arrow([("a.txt", make_report(b"one"))]))
    load(con, reports_to_arrow([("b.txt", make_report(b"two"))]))

    assert rows(con, "select source_path from reports order by source_path") == [
        ("a.txt",),
        ("b.txt",),
    ]
    assert rows(con, "select count(*) from facts") == [(8,)]


def test_identical_content_at_two_paths_is_one_report(con):
    report = make_report()
    load(con, reports_to_arrow([("z/copy.txt", report), ("a.txt", report)]))

    assert rows(con, "select report_id, source_path from reports") == [(report.report_id, "a.txt")]
    assert rows(con, "select count(*) from facts") == [(4,)]
    assert rows(
        con,
        """
        select severity, source_path, message
        from parse_issues
        where code = 'duplicate_content'
        """,
    ) == [("info", "a.txt", "identical content also at z/copy.txt")]
    assert rows(con, "select n_issues from reports") == [(2,)]


def test_failed_report_without_cells(con):
    failed = ParsedReport("bad.txt", hashlib.sha256(b"\x00\xff").hexdigest(), 2)
    failed.issue("error", "not_text", "binary file")

    load(con, reports_to_arrow([("bad.txt", failed)]))

    assert rows(con, "select parse_status, agency, year, n_cells from reports") == [
        ("failed", None, None, 0)
    ]
    assert rows(con, "select code from parse_issues") == [("not_text",)]


def test_empty_batch_loads_nothing(con):
    load(con, reports_to_arrow([]))

    assert summary(con)["reports"] == 0


def test_views_name_their_columns(con):
    load(con, reports_to_arrow([("a.txt", make_report())]))

    assert rows(
        con,
        """
        select template_version, row_key, row_label_zh, row_order, applicant_type, value, raw_text
        from fact_applications
        order by applicant_type
        """,
    ) == [
        ("2021", "new_received", "一、本年新收政府信息公开申请数量", 1, "natural_person", 3, "3"),
        ("2021", "new_received", "一、本年新收政府信息公开申请数量", 1, "total", None, "/"),
    ]
    assert rows(con, "select case_type, outcome, outcome_label_zh, value from fact_appeals") == [
        ("review", "upheld", "结果维持", 1)
    ]
    assert rows(
        con, "select row_key, article_zh, column_key, value from fact_active_disclosure"
    ) == [("administrative_fees", "第二十条第（八）项", "amount_10k_yuan", Decimal("0.5"))]


def test_dimension_tables_follow_the_template(con):
    counts = dict(
        ((section, version), n)
        for section, version, n in rows(
            con, "select section, template_version, count(*) from dim_rows group by all"
        )
    )
    assert counts[("applications", "2021")] == 25
    assert counts[("applications", "2019")] == 23
    assert counts[("appeals", "2021")] == counts[("appeals", "2019")] == 3
    assert rows(
        con,
        """
        select section, count(*)
        from dim_columns
        where template_version = '2021' and section in ('applications', 'appeals')
        group by section
        order by section
        """,
    ) == [("appeals", 5), ("applications", 7)]
    assert rows(
        con,
        """
        select row_key, parent_label_zh
        from dim_rows
        where section = 'applications' and template_version = '2019' and row_order = 23
        """,
    ) == [("carried_forward", None)]


def test_ensure_schema_twice_keeps_one_copy_of_the_dimensions(con):
    ensure_schema(con)

    assert rows(con, "select count(*) from dim_columns where section = 'applications'") == [(14,)]


def test_checks_and_flags_tables_exist_empty(con):
    assert rows(con, "select count(*) from checks") == [(0,)]
    assert [name for name, *_ in rows(con, "describe report_flags")] == [
        "report_id",
        "source_path",
        "agency",
        "year",
        "suite",
        "rule",
        "rule_id",
        "row_key",
        "column_key",
        "expected",
        "actual",
        "difference",
    ]
    assert rows(con, "select count(*) from dim_cells where template_version = '2021'") == [
        (175 + 15 + 10,)
    ]


def test_file_is_written_in_the_v1_storage_format(tmp_path):
    path = tmp_path / "old_format.duckdb"
    with closing(connect(path)) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([("a.txt", make_report())]))

    with closing(duckdb.connect(str(path), read_only=True)) as reader:
        assert storage_version(reader) == "v1.0.0+"
        assert reader.execute("select count(*) from facts").fetchall() == [(4,)]
    # Storage format 64 in the header is what DuckDB 0.10 … 1.x read (2.0 default writes more).
    header = path.read_bytes()[:16]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:16], "little") == 64
