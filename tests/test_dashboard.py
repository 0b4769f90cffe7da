"""The reviewer's dashboard on the review warehouse: what it lists, its exports, and the page in
a real headless browser (Debian's Chromium: filters run, markup in the data stays text)."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import duckdb
import markupsafe
import pytest

from pipeline.quality import dashboard as dashboard_module
from pipeline.quality.dashboard import dashboard_data, embedded_json, write_dashboard
from pipeline.settings import dashboard_path
from tests.conftest import HOSTILE_AGENCY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Chromium (.ci/run) and sets this: there a missing browser fails instead of skipping.
REQUIRE_BROWSER = os.environ.get("GOVREPORTS_REQUIRE_BROWSER") == "1"


def page(warehouse: Path) -> str:
    return dashboard_path(warehouse).read_text(encoding="utf-8")


def embedded(text: str) -> dict:
    (data,) = re.findall(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', text, re.S
    )
    return json.loads(data)


def section(text: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the next heading of its level."""
    start = text.index(f'id="{element_id}"')
    end = text.find('<section class="report"', start + 1)
    return text[start : end if end > 0 else len(text)]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_parse_health_lists_the_partial_and_the_failed_report_with_their_issues(
    review_warehouse,
):
    text = page(review_warehouse)
    health = text[text.index('id="parse-health-table"') : text.index("Flag rate by year")]

    assert 'id="reports-partial">1<' in text
    assert 'id="reports-failed">1<' in text
    assert 'id="reports-read">9<' in text
    assert "Showing <b" in health or 'data-shown-for="parse-health">2<' in text
    assert health.count("<tr data-filter") == 2
    for expected in ("garbage.txt", "anonymous.txt", "year_not_found", "agency_not_found"):
        assert expected in health
    assert embedded(text)["totals"]["reports_not_parsed"] == 2


def test_every_list_says_n_of_m_and_links_its_full_csv(review_warehouse, monkeypatch):
    folder = review_warehouse.parent
    flags = csv_rows(folder / "exports" / "report_flags.csv")
    failed = csv_rows(folder / "exports" / "failed_checks.csv")
    issues = csv_rows(folder / "exports" / "parse_issues.csv")
    with closing(duckdb.connect(str(review_warehouse), read_only=True)) as con:
        ((n_flags, n_failed, n_issues),) = con.execute(
            """
            select
                (select count(*) from report_flags),
                (select count(*) from checks where status = 'failed'),
                (select count(*) from parse_issues)
            """
        ).fetchall()
        # two flags each for balance_2023.txt and anonymous.txt, one per appeal_total variant
        assert (n_flags, n_failed) == (6, 8)
        assert [len(flags), len(failed), len(issues)] == [n_flags, n_failed, n_issues]
        assert {row["source_path"] for row in flags} == {
            "balance_2023.txt",
            "appeal_total_2023.txt",
            "hostile_2022.txt",
            "anonymous.txt",
        }
        # the whole list is on the page, and it says so
        text = page(review_warehouse)
        assert "8 listed here (8 in all)" in text.replace("<b", "").replace("</b>", "")
        assert 'href="exports/failed_checks.csv"' in text

        # capped lists say how many of how many, and where the rest is
        monkeypatch.setattr(dashboard_module, "FAILED_CHECK_LIMIT", 3)
        monkeypatch.setattr(dashboard_module, "REPORT_LIMIT", 2)
        data = dashboard_data(con)
    out = write_dashboard(data, review_warehouse.parent / "capped" / "dashboard.html", None)
    capped = out.read_text(encoding="utf-8")
    assert "the page lists 3 of 8." in capped
    assert "the page lists 2 of 4." in capped  # reports with a failed check
    assert capped.count('<section class="report"') == 2


def size(check: dict) -> Decimal:
    return abs(check["difference"]) if check["difference"] is not None else Decimal(-1)


LIMITS = (
    "FAILED_CHECK_LIMIT",
    "REPORT_LIMIT",
    "PARSE_HEALTH_LIMIT",
    "AGENCY_LIMIT",
    "DISCREPANCY_LIMIT",
)


def test_capped_lists_are_fetched_capped_and_counted_in_full(review_warehouse, monkeypatch):
    fetched = []
    rows = dashboard_module._rows

    def recording(con, name, parameters=None):
        result = rows(con, name, parameters)
        fetched.append((name, parameters or {}, len(result)))
        return result

    with closing(duckdb.connect(str(review_warehouse), read_only=True)) as con:
        full = dashboard_data(con)
        for limit in LIMITS:
            monkeypatch.setattr(dashboard_module, limit, 1)
        monkeypatch.setattr(dashboard_module, "_rows", recording)
        capped = dashboard_data(con)
        # the pipeline ranks the agencies once for the page and agencies.csv: the same rows
        ranked = dashboard_module.ranked_agencies(con)
        assert dashboard_data(con, agencies=ranked).agencies == capped.agencies
        assert ranked.num_rows == capped.totals["agencies"]

    # every number is the warehouse's, only the listed_* ones follow the limits
    listed = {key: value for key, value in capped.totals.items() if key.startswith("listed_")}
    assert listed == {
        "listed_failed_checks": 1,
        "listed_reports": 1,
        "listed_parse_health": 1,
        "listed_agencies": 1,
    }
    assert {key: capped.totals[key] for key in capped.totals.keys() - listed.keys()} == {
        key: full.totals[key] for key in full.totals.keys() - listed.keys()
    }
    assert [capped.totals[key] for key in ("failed_checks", "reports_with_failures")] == [8, 4]
    assert [capped.totals[key] for key in ("reports_not_parsed", "agencies")] == [
        2,
        len(full.agencies),
    ]
    assert capped.totals["reviews_unreviewed"] == full.totals["reviews_unreviewed"] > 0
    assert capped.totals["error_checks_failed"] + capped.totals["warning_checks_failed"] == 8
    assert capped.filters == full.filters and capped.by_rule == full.by_rule
    # exactly `limit` rows of each list, the first ones of the full list
    for name in (
        "failed_checks",
        "reports",
        "parse_health",
        "agencies",
        "largest_errors",
        "largest_warnings",
    ):
        assert len(getattr(capped, name)) == 1, name
        first = {k: v for k, v in getattr(full, name)[0].items() if k != "tables"}
        assert {k: v for k, v in getattr(capped, name)[0].items() if k != "tables"} == first
    # the largest discrepancies: each severity's failed checks, by |difference| (NULL last),
    # ties in the failed-checks list's order
    for severity, largest in (("error", full.largest_errors), ("warning", full.largest_warnings)):
        checks = [c for c in full.failed_checks if c["severity"] == severity]
        assert largest == sorted(checks, key=size, reverse=True)[: len(largest)]
    assert None in [c["difference"] for c in full.failed_checks]
    # the lists were fetched with their limit, the checks only for the report shown
    for name, parameters, count in fetched:
        if name in ("select_dashboard_reports", "select_dashboard_agencies"):
            assert parameters["limit"] == 1 and count <= 1, name
        if name == "select_dashboard_failed_checks":
            assert parameters["limit"] == 1 or parameters["report_ids"] == [
                capped.reports[0]["report_id"]
            ]
    out = write_dashboard(capped, review_warehouse.parent / "capped-1" / "dashboard.html", None)
    text = out.read_text(encoding="utf-8")
    for total in (8, 4, 2, len(full.agencies)):
        assert f"the page lists 1 of {total}." in text
    assert len(embedded(text)["failed_checks"]) == 1


def test_rules_rows_and_columns_carry_their_chinese_labels(review_warehouse):
    text = page(review_warehouse)
    checks = text[text.index('id="failed-checks-table"') : text.index("Largest discrepancies")]

    assert "<code>balance:natural_person</code> <span" in checks
    assert '<span class="zh">收支平衡</span>' in checks
    assert '<span class="zh">复议诉讼合计</span>' in checks
    assert '<code>litigation_direct</code> <span class="zh">行政诉讼 › 未经复议直接起诉</span>' in (
        checks
    )
    assert '<code>natural_person</code> <span class="zh">自然人</span>' in checks
    assert "结构检查" in text and "表格完整" not in checks  # only failing rules are listed
    rules = embedded(text)["rules"]
    assert rules["balance"]["label_zh"] == "收支平衡"
    assert rules["structure:year_present"]["label_zh"] == "年度已识别"


def test_a_flagged_report_shows_its_tables_with_the_failing_cells_highlighted(review_warehouse):
    with closing(duckdb.connect(str(review_warehouse), read_only=True)) as con:
        ((report_id,),) = con.execute(
            "select report_id from reports where source_path = 'balance_2023.txt'"
        ).fetchall()
    report = section(page(review_warehouse), f"r-{report_id}")

    assert "甲街道办事处 · 2023" in report
    assert report.count('<table class="grid"') == 3
    highlighted = re.findall(
        r'<td class="cell hl-error( hl-expected)?" data-row="(\w+)" data-column="(\w+)"'
        r' data-checks="([^"]+)" title="raw text: ([^;"]*); line (\d+)',
        report,
    )
    # balance in natural_person and total: its four rows in each of the two columns
    assert sorted(
        (row, column, side == " hl-expected") for side, row, column, *_ in highlighted
    ) == [
        (row, column, row in ("new_received", "carried_over"))
        for row in ("carried_forward", "carried_over", "new_received", "total_processed")
        for column in ("natural_person", "total")
    ]
    carried_forward = [h for h in highlighted if h[1] == "carried_forward"]
    assert {(column, raw) for _, _, column, _, raw, _ in carried_forward} == {
        ("natural_person", "2"),
        ("total", "2"),
    }
    assert {line for *_, line in carried_forward} == {"57"}  # the line printing 四、结转…
    # every printed cell shows its value and source line, every template cell is there
    assert len(re.findall(r'<td class="cell[^"]*" data-row=', report)) == 200


def test_markup_in_the_data_stays_text(review_warehouse):
    text = page(review_warehouse)
    hostile = str(markupsafe.escape(HOSTILE_AGENCY))  # as Jinja's autoescape writes it

    assert HOSTILE_AGENCY not in text
    assert hostile in text
    assert text.count("<script") == 2  # the JSON data and the filters, nothing injected
    data_block = re.search(r'id="dashboard-data">(.*?)</script>', text, re.S).group(1)
    assert "\\u003c/script\\u003e\\u003cscript\\u003e" in data_block
    assert "</" not in data_block
    assert HOSTILE_AGENCY in {check["agency"] for check in embedded(text)["failed_checks"]}
    assert embedded_json({"a": "</script>&"}) == '{\n "a": "\\u003c/script\\u003e\\u0026"\n}'


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran, from headless Chromium (no network, fresh profile)."""
    if CHROMIUM is None:
        if REQUIRE_BROWSER:
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def visible_sections(dom: str) -> list[str]:
    return re.findall(r'<section class="report" id="r-(\w+)" data-filter=""(?! hidden)', dom)


def test_in_a_real_browser_the_page_renders_and_the_filters_work(review_warehouse, tmp_path):
    url = dashboard_path(review_warehouse).as_uri()

    dom = dump_dom(url, tmp_path / "profile-all")
    # rendered, scripts ran, the injected markup did not
    assert "<title>govreports — data quality 数据质量</title>" in dom
    assert "No filter: everything listed is shown." in dom
    assert 'data-shown-for="failed-checks">8<' in dom
    assert len(re.findall(r"<section class=\"report\"", dom)) == 4
    assert "pwned" not in dom.split("<body>")[0]
    assert html.escape(HOSTILE_AGENCY, quote=False) in dom

    # ?rule=balance: only the report breaking balance, and only its failed checks
    dom = dump_dom(f"{url}?rule=balance", tmp_path / "profile-rule")
    assert "Filtered: rule = balance" in dom
    assert 'data-shown-for="failed-checks">2<' in dom
    assert 'data-shown-for="reports">1<' in dom
    assert len(re.findall(r"<section class=\"report\"[^>]*hidden", dom)) == 3

    # year and agency together (the agency typed in Chinese)
    query = f"?year=2023&agency={quote('丁街道')}"
    dom = dump_dom(url + query, tmp_path / "profile-agency")
    assert "Filtered: year = 2023, agency = 丁街道" in dom
    assert 'data-shown-for="failed-checks">2<' in dom  # appeal_total error + narrative warning
    assert 'data-shown-for="reports">1<' in dom

    # severity=warning: the narrative warnings of the two reports printing litigation cases
    # their text denies; rows without checks (parse health) are not filtered by severity
    dom = dump_dom(f"{url}?severity=warning", tmp_path / "profile-severity")
    assert 'data-shown-for="failed-checks">2<' in dom
    assert 'data-shown-for="reports">2<' in dom
    assert 'data-shown-for="parse-health">2<' in dom

    # level: reports of bodies whose name says township (甲, 丁街道办事处; the name with markup
    # in it gives no unit)
    dom = dump_dom(f"{url}?level=township&severity=error", tmp_path / "profile-level")
    assert 'data-shown-for="reports">2<' in dom
    assert 'data-shown-for="parse-health">0<' in dom
