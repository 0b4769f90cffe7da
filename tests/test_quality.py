"""Great Expectations suites over a real warehouse: seeds, one-cell perturbations, year pairs.

One warehouse (module fixture) holds the five seeds and perturbed copies of seed 002 (pipe rows,
2023, 2021 format); the real checkpoint runs once over it. Each perturbed copy gets a title
line so it is its own agency and year.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline.parsing import template as tpl
from pipeline.parsing.parser import parse
from pipeline.quality import assess
from pipeline.quality.checks import check_rows
from pipeline.quality.validation import (
    SUITE_NAMES,
    ExpectationOutcome,
    SuiteOutcome,
    Validator,
    load_suite_configs,
)
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_002 = (SEEDS / "002_1fda27c24fffeb28.txt").read_text(encoding="utf-8")
CURRENT_YEAR = 2026

CARRIED_FORWARD = "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
CARRIED_OVER = "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||"
GRANTED = "三、本年度办理结果 | (一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |"
PROCESS_INFO = "6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||"
NEW_RECEIVED = "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 | ||"
APPEALS = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
RULES = "规章 | 0 | 0 | 0 |"
NARRATIVE_RECEIVED = "本年度收到政府信息公开申请数量5件"

# file name -> (agency, year, {printed text: replacement}); agencies are fictional.
VARIANTS: dict[str, tuple[str, int, dict[str, str]]] = {
    # both cells of natural_person and total: the row still adds up, the balance does not
    "balance.txt": (
        "甲街道办事处",
        2023,
        {CARRIED_FORWARD: "四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"},
    ),
    "outcomes.txt": (
        "乙街道办事处",
        2023,
        {GRANTED: "三、本年度办理结果 | (一)予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | |"},
    ),
    # one cell: the total column of a leaf row, so its row and the total column's outcomes
    "row_total.txt": (
        "丙街道办事处",
        2023,
        {PROCESS_INFO: "6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 2 | ||"},
    ),
    # one cell: 未经复议直接起诉 总计 (the 10th of 15 numbers)
    "appeal_total.txt": (
        "丁街道办事处",
        2023,
        {APPEALS: "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 |"},
    ),
    # a placeholder where a number should be: both identities it enters are not assessable
    "null_term.txt": (
        "戊街道办事处",
        2023,
        {NEW_RECEIVED: "一、本年新收政府信息公开申请数量 | - | 0 | 0 | 0 | 0 | 0 | 5 | ||"},
    ),
    "narrative.txt": (
        "己街道办事处",
        2023,
        {NARRATIVE_RECEIVED: "本年度收到政府信息公开申请数量6件"},
    ),
    # year pairs: 庚 consistent, 辛 carries over 1 that the year before did not carry forward,
    # and prints one more 规章 issued than its stock of rules in force explains
    "pair_consistent_2023.txt": ("庚街道办事处", 2023, {}),
    "pair_consistent_2024.txt": ("庚街道办事处", 2024, {}),
    "pair_broken_2023.txt": ("辛街道办事处", 2023, {}),
    # 壬 has two different reports for 2023 (one spaced differently): its 2024 report has no
    # single previous year to compare with
    "twin_a_2023.txt": ("壬街道办事处", 2023, {}),
    "twin_b_2023.txt": ("壬街道办事处", 2023, {RULES: "规章  | 0 | 0 | 0 |"}),
    "twin_2024.txt": ("壬街道办事处", 2024, {}),
    "pair_broken_2024.txt": (
        "辛街道办事处",
        2024,
        {
            CARRIED_OVER: "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||",
            CARRIED_FORWARD: "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            RULES: "规章 | 1 | 0 | 0 |",
        },
    ),
}


def variant_text(agency: str, year: int, replacements: dict[str, str]) -> str:
    text = f"{agency}{year}年政府信息公开工作年度报告\n" + SEED_002
    for printed, replacement in replacements.items():
        assert text.count(printed) == 1, printed
        text = text.replace(printed, replacement)
    return text


def parsed_reports() -> list[tuple[str, object]]:
    """The seeds and the variants, parsed."""
    parsed = [
        (p.name, parse(p.read_bytes(), p.name, current_year=CURRENT_YEAR))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    for name, (agency, year, replacements) in VARIANTS.items():
        report = parse(
            variant_text(agency, year, replacements).encode(), name, current_year=CURRENT_YEAR
        )
        assert (report.agency, report.year, report.parse_status) == (agency, year, "parsed")
        parsed.append((name, report))
    return parsed


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Seeds + variants loaded, suites run once; yields (connection, outcome, folder)."""
    folder = tmp_path_factory.mktemp("quality")
    parsed = parsed_reports()
    before = _suite_hashes()
    with closing(connect(folder / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow(parsed))
        outcome = assess(
            con,
            data_docs_dir=folder / "data_docs",
            dashboard=folder / "dashboard.html",
            current_year=CURRENT_YEAR,
        )
        yield con, outcome, folder
    assert _suite_hashes() == before  # running the suites never rewrites them


def _suite_hashes() -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(EXPECTATIONS_DIR.glob("*.json"))
    }


def con_rows(con, sql: str) -> int:
    ((count,),) = con.execute(sql).fetchall()
    return count


def flags(con, source_path: str) -> set[tuple[str, str | None]]:
    rows = con.execute(
        "select rule_id, column_key from report_flags where source_path = ?", [source_path]
    ).fetchall()
    return set(rows)


def checks(con, source_path: str, suite: str, status: str) -> set[tuple]:
    return set(
        con.execute(
            """
            select checks.rule_id, checks.row_key, checks.column_key, checks.expected, checks.actual
            from checks
            join reports using (report_id)
            where reports.source_path = ? and checks.suite = ? and checks.status = ?
            """,
            [source_path, suite, status],
        ).fetchall()
    )


def test_suites_are_the_four_json_files_and_load():
    configs = load_suite_configs(EXPECTATIONS_DIR)

    assert (
        tuple(configs)
        == SUITE_NAMES
        == (
            "arithmetic",
            "structure",
            "cross_year",
            "narrative",
            "fees",
        )
    )
    # one expectation per rule family (structure: per rule), each described in both languages
    assert {
        name: [e["meta"].get("rule_id", e["meta"]["rule"]) for e in c["expectations"]]
        for name, c in configs.items()
    } == {
        "arithmetic": ["balance", "outcomes", "row_total", "appeal_total"],
        "structure": [
            "structure:complete_cells",
            "structure:non_negative",
            "structure:integer_counts",
            "structure:year_present",
            "structure:year_range",
            "structure:agency_present",
        ],
        "cross_year": ["carryover", "in_force_trend"],
        "narrative": ["narrative"],
        "fees": ["fees"],
    }
    for config in configs.values():
        for expectation in config["expectations"]:
            meta = expectation["meta"]
            assert re.search(r"[\u4e00-\u9fff]", meta["label_zh"] + meta["description_zh"])
            assert re.match(r"[A-Z][a-z-]+[ ,]", meta["description_en"]), meta["description_en"]
            assert expectation["description"].startswith(meta["label_zh"] + " · ")
    # the families split on the exact difference column, not on expected vs actual
    balance = configs["arithmetic"]["expectations"][0]
    assert balance["kwargs"] == {
        "column": "difference",
        "min_value": 0,
        "max_value": 0,
        "row_condition": {
            "type": "comparison",
            "column": {"name": "rule"},
            "operator": "==",
            "parameter": "balance",
        },
    }
    assert {c["meta"]["frame"] for c in configs.values()} == {
        "reconcile_arithmetic",
        "reconcile_structure",
        "reconcile_cross_year",
        "reconcile_narrative",
        "reconcile_fees",
    }


def test_seeds_raise_no_flag_and_every_identity_is_assessed(warehouse):
    con, _, _ = warehouse
    for seed in sorted(SEEDS.glob("*.txt")):
        assert flags(con, seed.name) == set()
        assert checks(con, seed.name, "arithmetic", "failed") == set()
        assert checks(con, seed.name, "arithmetic", "not_assessable") == set()
        # 7 balance + 7 outcomes + 25 row totals + 3 appeal totals
        assert len(checks(con, seed.name, "arithmetic", "passed")) == 42
        assert len(checks(con, seed.name, "structure", "passed")) == 6


@pytest.mark.parametrize(
    ("source_path", "expected_flags"),
    [
        ("balance.txt", {("balance:natural_person", "natural_person"), ("balance:total", "total")}),
        (
            "outcomes.txt",
            {("outcomes:natural_person", "natural_person"), ("outcomes:total", "total")},
        ),
        (
            "row_total.txt",
            {("row_total:denied_process_info", "total"), ("outcomes:total", "total")},
        ),
        ("appeal_total.txt", {("appeal_total:litigation_direct", "total")}),
    ],
)
def test_one_perturbed_cell_flags_exactly_its_identities(warehouse, source_path, expected_flags):
    con, _, _ = warehouse

    assert flags(con, source_path) == expected_flags
    assert {
        (rule, column) for rule, _, column, _, _ in checks(con, source_path, "arithmetic", "failed")
    } == expected_flags


def test_flag_carries_expected_actual_and_difference(warehouse):
    con, _, _ = warehouse

    assert con.execute(
        """
        select agency, year, suite, rule, row_key, expected, actual, difference
        from report_flags where source_path = 'appeal_total.txt'
        """
    ).fetchall() == [
        ("丁街道办事处", 2023, "arithmetic", "appeal_total", "litigation_direct", 3, 0, -3)
    ]
    assert con.execute(
        """
        select rule_id, expected, actual from report_flags
        where source_path = 'balance.txt' order by rule_id
        """
    ).fetchall() == [("balance:natural_person", 5, 7), ("balance:total", 5, 7)]


def test_a_null_term_is_not_assessable_never_failed_or_passed(warehouse):
    con, _, _ = warehouse

    assert flags(con, "null_term.txt") == set()
    not_assessable = checks(con, "null_term.txt", "arithmetic", "not_assessable")
    assert {(rule, column) for rule, _, column, _, _ in not_assessable} == {
        ("balance:natural_person", "natural_person"),
        ("row_total:new_received", "total"),
    }
    # the side without the NULL term is still reported
    assert ("balance:natural_person", None, "natural_person", None, Decimal(5)) in not_assessable
    assert len(checks(con, "null_term.txt", "arithmetic", "passed")) == 40


def test_narrative_disagreement_is_a_warning_not_a_flag(warehouse):
    con, _, _ = warehouse

    assert flags(con, "narrative.txt") == set()
    assert checks(con, "narrative.txt", "narrative", "failed") == {
        ("narrative:applications_received", None, "total", Decimal(6), Decimal(5))
    }
    assert con.execute(
        """
        select distinct severity from checks join reports using (report_id)
        where source_path = 'narrative.txt' and suite = 'narrative'
        """
    ).fetchall() == [("warning",)]
    assert len(checks(con, "narrative.txt", "narrative", "passed")) == 3


def test_no_cross_year_check_when_the_previous_year_has_two_reports(warehouse):
    con, _, _ = warehouse
    rows = con.execute(
        """
        select count(*)
        from checks join reports using (report_id)
        where reports.source_path = 'twin_2024.txt' and checks.suite = 'cross_year'
        """
    ).fetchall()
    assert rows == [(0,)]
    assert len(checks(con, "pair_consistent_2024.txt", "cross_year", "passed")) == 7 + 2


def test_carryover_and_in_force_trend_between_consecutive_years(warehouse):
    con, _, _ = warehouse

    assert checks(con, "pair_consistent_2024.txt", "cross_year", "failed") == set()
    assert len(checks(con, "pair_consistent_2024.txt", "cross_year", "passed")) == 7 + 2
    assert checks(con, "pair_broken_2024.txt", "cross_year", "failed") == {
        ("carryover", "carried_over", "natural_person", Decimal(0), Decimal(1)),
        ("carryover", "carried_over", "total", Decimal(0), Decimal(1)),
        ("in_force_trend", "rules", "in_force", Decimal(1), Decimal(0)),
    }
    # the first year of each pair has no predecessor: nothing to compare
    assert checks(con, "pair_broken_2023.txt", "cross_year", "passed") == set()
    # cross-year disagreements are warnings; the broken pair adds up within each report
    assert flags(con, "pair_broken_2024.txt") == set()


def test_structure_flags_a_future_year_a_negative_count_and_a_missing_cell(tmp_path):
    seed = (SEEDS / "002_1fda27c24fffeb28.txt").read_bytes()
    future = parse(seed, "future.txt", current_year=CURRENT_YEAR)
    future.year = CURRENT_YEAR + 1
    negative = parse(
        variant_text("壬街道办事处", 2023, {}).encode(), "negative.txt", current_year=CURRENT_YEAR
    )
    negative.cells = [
        c
        if (c.row_key, c.column_key) != ("administrative_penalty", "decisions")
        else type(c)(c.section, c.row_key, c.column_key, Decimal(-1192), "-1192", c.source_line)
        for c in negative.cells
    ]
    incomplete = parse(
        variant_text("癸街道办事处", 2023, {}).encode(), "incomplete.txt", current_year=CURRENT_YEAR
    )
    incomplete.cells = [c for c in incomplete.cells if c.row_key != "administrative_license"]
    with closing(connect(tmp_path / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([(r.source_name, r) for r in (future, negative, incomplete)]))
        assess(con, current_year=CURRENT_YEAR)

        assert con.execute(
            "select source_path, rule_id, expected, actual from report_flags order by all"
        ).fetchall() == [
            ("future.txt", "structure:year_range", None, CURRENT_YEAR + 1),
            ("incomplete.txt", "structure:complete_cells", 200, 199),
            ("negative.txt", "structure:non_negative", 0, 1),
        ]


def test_dashboard_shows_the_numbers_of_report_flags(warehouse):
    con, outcome, folder = warehouse
    html = (folder / "dashboard.html").read_text(encoding="utf-8")
    (embedded,) = re.findall(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', html, re.S
    )
    data = json.loads(embedded)
    ((flagged, error_flags),) = con.execute(
        "select count(distinct report_id), count(*) from report_flags"
    ).fetchall()

    assert (flagged, error_flags) == (4, 7)
    assert data["totals"]["flagged_reports"] == flagged
    assert data["totals"]["error_flags"] == error_flags
    assert f'id="flagged-reports">{flagged}<' in html
    assert f'id="error-flags">{error_flags}<' in html
    assert {row["year"]: row["flagged_reports"] for row in data["by_year"]} == {
        2021: 0,
        2022: 0,
        2023: 4,
        2024: 0,
    }
    error_rules = {
        r["rule"]: r["failed_reports"] for r in data["by_rule"] if r["severity"] == "error"
    }
    assert error_rules == {
        "balance": 1,
        "outcomes": 2,
        "row_total": 1,
        "appeal_total": 1,
        "structure": 0,
    }
    assert sorted(r["rule_id"] for r in data["largest_errors"]) == sorted(
        rule for (rule,) in con.execute("select rule_id from report_flags").fetchall()
    )
    # narrative.txt; pair_broken_2024.txt (carryover, and its text says 结转上年度…0件);
    # appeal_total.txt (its text says no litigation, its table now prints 3)
    assert data["totals"]["warned_reports"] == 3
    assert outcome.dashboard.totals == data["totals"]


def test_data_docs_site_lists_every_suite(warehouse):
    con, outcome, folder = warehouse
    index = (folder / "data_docs" / "index.html").read_text(encoding="utf-8")

    assert outcome.data_docs_index == folder / "data_docs" / "index.html"
    for suite in SUITE_NAMES:
        assert suite in index
    assert {name: s.success for name, s in outcome.suites.items()} == {
        "arithmetic": False,
        "structure": True,
        "cross_year": False,
        "narrative": False,
        "fees": True,  # no seed or perturbed report prints a fee table
    }
    # a failing row is named by file, agency and year, under its family's bilingual description
    (page,) = (folder / "data_docs" / "validations" / "arithmetic").rglob("*.html")
    text = page.read_text(encoding="utf-8")
    assert "复议诉讼合计 · Appeal total" in text
    for name in ("appeal_total.txt", "丁街道办事处", "2023", "appeal_total:litigation_direct"):
        assert name in text
    # the batch the docs describe is still there to open
    batch = folder / "data_docs" / "batches" / "arithmetic.parquet"
    assert str(batch) in text
    rows = con_rows(con, "select count(*) from reconcile_arithmetic")
    assert pq.read_table(batch).num_rows == rows


def test_frames_reach_great_expectations_as_floats_and_dictionary_encoded_strings(warehouse):
    """The batch Great Expectations reads: exact decimals as float64 (it decides on
    ``difference``), strings dictionary-encoded (its row filters copy codes); same values."""
    con, _, folder = warehouse
    batch = pq.read_table(folder / "data_docs" / "batches" / "arithmetic.parquet")
    types = {field.name: field.type for field in batch.schema}
    assert types["difference"] == pa.float64()
    assert types["rule"] == pa.dictionary(pa.int32(), pa.string())
    assert types["report_id"] == pa.dictionary(pa.int32(), pa.string())
    failing = con.execute(
        "select rule_id, cast(actual - expected as double) from reconcile_arithmetic "
        "join reports using (report_id) where source_path = 'appeal_total.txt' "
        "and actual <> expected"
    ).fetchall()
    rows = batch.filter(pc.field("source_path") == "appeal_total.txt").to_pylist()
    assert [(r["rule_id"], r["difference"]) for r in rows if r["difference"]] == failing
    assert failing == [("appeal_total:litigation_direct", -3.0)]


def test_data_docs_describe_the_first_chunk_and_checks_every_chunk(warehouse, tmp_path):
    """Rendering Data Docs costs a second per chunk: a run of many chunks renders its first
    (a nightly increment's only one); ``checks`` gets the verdicts of every chunk, the same as
    one validation of all (the chunks validated while the next chunk's frames are computed)."""
    con, _, _ = warehouse
    docs = tmp_path / "data_docs"
    with closing(connect(tmp_path / "chunked.duckdb")) as chunked:
        ensure_schema(chunked)
        load(chunked, reports_to_arrow(parsed_reports()))
        outcome = assess(chunked, data_docs_dir=docs, current_year=CURRENT_YEAR, chunk_reports=4)
        in_chunks = chunked.execute("select * from checks").fetchall()
        first_chunk = [  # chunks follow where the reports' facts lie: the first loaded
            r
            for (r,) in chunked.execute(
                "select report_id from facts group by 1 order by min(rowid) limit 4"
            ).fetchall()
        ]
    at_once = con.execute("select * from checks").fetchall()
    assert outcome.checked_reports == len(parsed_reports()) == 18
    assert sorted(in_chunks, key=repr) == sorted(at_once, key=repr)
    for suite in SUITE_NAMES:  # one validation page per suite: the first chunk's
        assert len(list((docs / "validations" / suite).rglob("*.html"))) == 1
    batch = pq.read_table(docs / "batches" / "structure.parquet")
    assert sorted(batch.column("report_id").to_pylist()) == sorted(first_chunk)


def test_2019_report_with_blank_totals_is_not_assessable_on_them_and_assessed_elsewhere(tmp_path):
    # A real 2019 habit: 总计 printed only on （七）总计 (here also a placeholder `/` there).
    lines = (FIXTURES / "reports" / "2019_format_pipe_rows.txt").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    end = next(i for i, line in enumerate(lines) if "（七）总计" in line)
    for i in range(start, end):
        lines[i] = lines[i].rstrip().rstrip("|").rsplit("|", 1)[0] + "|  |"
    report = parse(
        ("\n".join(lines) + "\n").encode(), "blank_totals.txt", current_year=CURRENT_YEAR
    )
    assert report.parse_status == "parsed"
    with closing(connect(tmp_path / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([("blank_totals.txt", report)]))
        assess(con, current_year=CURRENT_YEAR)
        statuses = dict(
            con.execute("select rule_id, status from checks where suite = 'arithmetic'").fetchall()
        )

    assert {rule for rule, status in statuses.items() if status == "not_assessable"} == {
        *(f"row_total:{row.key}" for row in tpl.APPLICATION_ROWS["2019"][2:-2]),
        "row_total:total_processed",  # its 总计 is printed `/`
        "outcomes:total",
        "balance:total",
    }
    assert {rule for rule, status in statuses.items() if status == "passed"} >= {
        "balance:natural_person",
        "outcomes:natural_person",
        "row_total:new_received",
    }
    assert "failed" not in statuses.values()


def test_a_report_without_year_or_agency_fails_those_structure_rules(tmp_path):
    body = re.sub(r"(?:19|20)\d{2}年", "本年", SEED_002)
    report = parse(body.encode(), "anonymous.txt", current_year=CURRENT_YEAR)
    assert (report.agency, report.year, report.parse_status) == (None, None, "partial")
    with closing(connect(tmp_path / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([("anonymous.txt", report)]))
        assess(con, data_docs_dir=None, dashboard=None, current_year=CURRENT_YEAR)
        rows = con.execute(
            """
            select rule_id, status from checks
            where rule_id in ('structure:year_present', 'structure:agency_present')
            order by rule_id
            """
        ).fetchall()
        flagged = con.execute("select distinct rule_id from report_flags order by 1").fetchall()

    assert rows == [
        ("structure:agency_present", "failed"),
        ("structure:year_present", "failed"),
    ]
    assert ("structure:year_present",) in flagged and ("structure:agency_present",) in flagged


def test_twenty_digit_totals_off_by_one_are_flagged(tmp_path):
    big, total = "10000000000000000000", "10000000000000000001"  # one float64 for both
    line = f"一、本年新收政府信息公开申请数量 | {big} | 0 | 0 | 0 | 0 | 0 | {total} | ||"
    text = variant_text("癸街道办事处", 2023, {NEW_RECEIVED: line})
    report = parse(text.encode(), "big.txt", current_year=CURRENT_YEAR)
    assert report.value("applications", "new_received", "total") == Decimal(big) + 1
    with closing(connect(tmp_path / "wh.duckdb")) as con:
        ensure_schema(con)
        load(con, reports_to_arrow([("big.txt", report)]))
        assess(con, current_year=CURRENT_YEAR)
        row_total = con.execute(
            """
            select status, expected, actual, difference from checks
            where rule_id = 'row_total:new_received'
            """
        ).fetchall()
        flagged = {rule for (rule,) in con.execute("select rule_id from report_flags").fetchall()}

    assert row_total == [("failed", Decimal(total), Decimal(big), Decimal(-1))]
    assert "row_total:new_received" in flagged


def test_a_rule_family_without_its_expectation_is_an_error_not_a_silent_pass(tmp_path):
    configs = load_suite_configs(EXPECTATIONS_DIR)
    frame = pa.table(
        {
            "report_id": ["r1", "r1"],
            "rule": ["balance", "new_family"],
            "rule_id": ["balance:total", "new_family:total"],
            "row_key": pa.array([None, None], pa.string()),
            "column_key": ["total", "total"],
            "expected": [1, 1],
            "actual": [1, 2],
            "difference": [0, 1],
        }
    )
    suite = SuiteOutcome(
        "arithmetic",
        "reconcile_arithmetic",
        True,
        {},
        [
            ExpectationOutcome(e["type"], e["kwargs"], e["meta"], "critical", True, [])
            for e in configs["arithmetic"]["expectations"]
        ],
    )
    with pytest.raises(ValueError, match=r"no expectation for frame rows of rules .'new_family'."):
        check_rows({"reconcile_arithmetic": frame}, [suite])
    # a row_condition naming another family than its meta.rule is refused when loaded
    for name, config in configs.items():
        if name == "arithmetic":
            config["expectations"][0]["meta"]["rule"] = "outcomes"
        (tmp_path / f"{name}.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match=r"row_condition rule == 'balance' but meta\.rule"):
        load_suite_configs(tmp_path)


def test_a_chunk_whose_facts_moved_is_read_by_a_full_scan(warehouse, tmp_path):
    """A chunk reads its reports' facts from the rows the queue found them in; when those rows
    no longer hold them all (the table was rewritten), it reads them by a full scan: the same
    frames either way, never a frame from part of a report's facts."""
    from pipeline.quality import chunk_frames

    con, _, _ = warehouse
    batch = con.sql(
        "select report_id, 'report' as scope, min(rowid) as first_fact_row, "
        "max(rowid) as last_fact_row from facts group by report_id order by report_id"
    ).to_arrow_table()
    moved = batch.set_column(3, "last_fact_row", pa.array([0] * batch.num_rows, pa.int64()))
    cross_year = tmp_path / "no_cross_year"  # no part written: the cross-year frame is empty
    with closing(con.cursor()) as reader:
        found = chunk_frames(reader, batch, cross_year)
        scanned = chunk_frames(reader, moved, cross_year)
    assert found["reconcile_arithmetic"].num_rows == con_rows(
        con, "select count(*) from reconcile_arithmetic"
    )
    assert found["reconcile_structure"].num_rows == batch.num_rows
    for name, frame in found.items():  # two frames are read in no order
        everything = [(column, "ascending") for column in frame.column_names]
        assert scanned[name].sort_by(everything).equals(frame.sort_by(everything)), name


def test_only_the_frames_data_docs_show_name_each_row_by_file_agency_and_year(warehouse, tmp_path):
    """The checks read the arithmetic and narrative frames without each row's file, agency and
    year, in no order; the first chunk's, which Data Docs show, have them, in order; a
    validator with Data Docs refuses a first chunk without them."""
    from pipeline.quality import chunk_frames
    from pipeline.quality.checks import FRAMES_PLAIN

    con, _, _ = warehouse
    batch = con.sql(
        "select report_id, 'report' as scope, min(rowid) as first_fact_row, "
        "max(rowid) as last_fact_row from facts group by report_id order by report_id"
    ).to_arrow_table()
    cross_year = tmp_path / "no_cross_year"
    with closing(con.cursor()) as reader:
        plain = chunk_frames(reader, batch, cross_year)
        docs = chunk_frames(reader, batch, cross_year, docs=True)
    assert FRAMES_PLAIN == ("reconcile_arithmetic", "reconcile_narrative")
    for name in FRAMES_PLAIN:
        assert "source_path" not in plain[name].column_names
        named = [*plain[name].column_names, "source_path", "agency", "report_year"]
        assert docs[name].column_names == named
        assert docs[name].num_rows == plain[name].num_rows > 0
        keys = docs[name].select(["report_id", "rule_id"]).to_pylist()
        keys = [(key["report_id"], key["rule_id"]) for key in keys]
        assert keys == sorted(keys)
    assert docs["reconcile_arithmetic"].num_rows == con_rows(
        con, "select count(*) from reconcile_arithmetic"
    )
    configs = load_suite_configs(EXPECTATIONS_DIR)
    with Validator(configs, current_year=2025, data_docs_dir=tmp_path / "docs") as validator:
        with pytest.raises(
            ValueError,
            match=r"Data Docs need \['agency', 'report_year', 'source_path'\] in arithmetic",
        ):
            validator.run(plain)


VALIDATE_SCRIPT = """
import json, sys
from contextlib import closing

def main():
    warehouse, mode, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
    from pipeline.quality import assess
    from pipeline.quality.validation import start_validation_process
    from pipeline.warehouse import connect
    if mode in ("process", "died"):
        start_validation_process()
    if mode == "died":  # killed (out of memory, say) before this run: validated here instead
        import multiprocessing, os, signal, time
        from pipeline.quality import validation
        (child,) = multiprocessing.active_children()
        os.kill(child.pid, signal.SIGKILL)
        while validation._running_validation_process() is not None:
            time.sleep(0.05)
    with closing(connect(warehouse)) as con:
        outcome = assess(con, current_year=year)
        rows = con.execute("select * from checks order by all").fetchall()
    print(json.dumps({
        "imported": "great_expectations" in sys.modules,
        "checks": [[str(value) for value in row] for row in rows],
        "statistics": {name: suite.statistics for name, suite in outcome.suites.items()},
    }))

if __name__ == "__main__":
    main()
"""


def test_great_expectations_validates_the_same_in_a_process_of_its_own(warehouse, tmp_path):
    """A run's parse step starts the validation process (Great Expectations imported there while
    the files are parsed); the library called alone validates in its own process, and so does
    a validator whose validation process died. Same checks, and with the validation process
    this process never imports Great Expectations."""
    con, _, _ = warehouse
    script = tmp_path / "validate.py"
    script.write_text(VALIDATE_SCRIPT, encoding="utf-8")
    results = {}
    for mode in ("process", "here", "died"):
        path = tmp_path / f"{mode}.duckdb"
        with closing(connect(path)) as fresh:
            ensure_schema(fresh)
            load(fresh, reports_to_arrow(parsed_reports()))
        done = subprocess.run(
            [sys.executable, str(script), str(path), mode, str(CURRENT_YEAR)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["process"]["imported"] is False
    assert results["here"]["imported"] is True
    assert results["died"]["imported"] is True
    rows = con.execute("select * from checks order by all").fetchall()
    expected = [[str(value) for value in row] for row in rows]
    assert len(expected) == 942
    assert results["process"]["checks"] == results["here"]["checks"] == expected
    assert results["died"]["checks"] == expected
    assert results["process"]["statistics"] == results["here"]["statistics"]
    assert results["process"]["statistics"]["arithmetic"]["unsuccessful_expectations"] == 4.0
