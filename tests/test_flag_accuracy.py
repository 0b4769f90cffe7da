"""Precision and recall of the flags on a generated corpus with known, injected errors.

80 reports (40 agencies × two consecutive years, both templates) go through the real Dagster
job; ``report_flags`` and the warning checks must equal what an independent oracle computes
from the printed values: every break found (recall), nothing else flagged (precision).
"""

from __future__ import annotations

import json
import re
from contextlib import closing

import dagster as dg
import duckdb
import pytest

from bench.report_generator import (
    GeneratedReport,
    broken_cross_year,
    broken_identities,
    broken_narrative,
    generate_corpus,
)
from pipeline.definitions import defs

pytestmark = pytest.mark.dagster


@pytest.fixture(scope="module")
def corpus() -> list[GeneratedReport]:
    return generate_corpus(40, seed=11, injected_share=0.3)


@pytest.fixture(scope="module")
def warehouse(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("flags")
    raw = folder / "raw"
    raw.mkdir()
    for report in corpus:
        (raw / report.name).write_text(report.text(), encoding="utf-8")
    job = defs().resolve_job_def("govreports_job")
    result = job.execute_in_process(
        run_config={
            "resources": {
                "raw_files": {"config": {"raw_dir": str(raw), "workers": 1}},
                "warehouse": {"config": {"path": str(folder / "wh.duckdb")}},
            }
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    with closing(duckdb.connect(str(folder / "wh.duckdb"), read_only=True)) as con:
        yield con, folder


def test_corpus_has_every_kind_of_break(corpus):
    kinds = {kind for report in corpus for kind in report.injected}
    assert kinds == {"balance", "outcomes", "row_total", "appeal_total", "narrative"}
    assert {r.template_version for r in corpus} == {"2019", "2021"}


def test_every_report_parsed(warehouse, corpus):
    con, _ = warehouse
    assert con.execute("select parse_status, count(*) from reports group by all").fetchall() == [
        ("parsed", len(corpus))
    ]


def test_error_flags_are_exactly_the_broken_identities(warehouse, corpus):
    con, _ = warehouse
    truth = {(r.name, rule, column) for r in corpus for rule, column in broken_identities(r)}
    flagged = set(
        con.execute("select source_path, rule_id, column_key from report_flags").fetchall()
    )

    assert len(truth) >= 20
    assert flagged - truth == set()  # precision 100 %
    assert truth - flagged == set()  # recall 100 %
    assert con.execute(
        "select count(*) from checks where status = 'not_assessable'"
    ).fetchall() == [(0,)]


def test_narrative_warnings_are_exactly_the_misstated_numbers(warehouse, corpus):
    con, _ = warehouse
    truth = {(r.name, rule) for r in corpus for rule in broken_narrative(r)}
    warned = set(
        con.execute(
            """
            select reports.source_path, checks.rule_id
            from checks join reports using (report_id)
            where checks.suite = 'narrative' and checks.status = 'failed'
            """
        ).fetchall()
    )

    assert len(truth) >= 3
    assert warned == truth


def test_cross_year_warnings_are_exactly_the_inconsistent_pairs(warehouse, corpus):
    con, _ = warehouse
    by_agency: dict[str, list[GeneratedReport]] = {}
    for report in corpus:
        by_agency.setdefault(report.agency, []).append(report)
    truth = set()
    for first, second in by_agency.values():
        for rule, key in broken_cross_year(first, second):
            truth.add((second.name, rule, key))
    warned = set(
        con.execute(
            """
            select
                reports.source_path,
                checks.rule_id,
                case
                    when checks.rule_id = 'carryover' then checks.column_key
                    else checks.row_key
                end
            from checks join reports using (report_id)
            where checks.suite = 'cross_year' and checks.status = 'failed'
            """
        ).fetchall()
    )

    assert {rule for _, rule, _ in truth} == {"carryover", "in_force_trend"}
    assert warned == truth
    assert con.execute(
        "select count(distinct report_id) from checks where suite = 'cross_year'"
    ).fetchall() == [(len(by_agency),)]


def test_dashboard_numbers_equal_report_flags(warehouse):
    con, folder = warehouse
    html = (folder / "dashboard.html").read_text(encoding="utf-8")
    (embedded,) = re.findall(r'id="dashboard-data">(.*?)</script>', html, re.S)
    data = json.loads(embedded)
    ((flagged, flags),) = con.execute(
        "select count(distinct report_id), count(*) from report_flags"
    ).fetchall()

    assert (data["totals"]["flagged_reports"], data["totals"]["error_flags"]) == (flagged, flags)
    assert sum(row["flagged_reports"] for row in data["by_year"]) == flagged
    by_rule = dict(
        con.execute(
            "select rule, count(distinct report_id) from report_flags group by rule"
        ).fetchall()
    )
    assert {
        row["rule"]: row["failed_reports"]
        for row in data["by_rule"]
        if row["severity"] == "error" and row["failed_reports"]
    } == by_rule
    assert f'id="flagged-reports">{flagged}<' in html
