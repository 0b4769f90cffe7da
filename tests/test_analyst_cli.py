"""``govreports flags / show / query / --version`` on the review warehouse, through the real CLI."""

from __future__ import annotations

import csv
import io
import re
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline import analyst_cli
from pipeline.cli import app
from pipeline.settings import RAW_DIR_ENV, WAREHOUSE_ENV
from tests.conftest import DEFAULT_RAW_DIR, REVIEW_VARIANTS, seed_variant

runner = CliRunner()


@pytest.fixture
def cli(review_warehouse, monkeypatch):
    """Run ``govreports …`` against the review warehouse on a wide terminal."""
    monkeypatch.setenv(WAREHOUSE_ENV, str(review_warehouse))
    monkeypatch.setattr(analyst_cli.console, "width", 250)

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke


def csv_of(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_version_prints_the_package_version(cli):
    result = cli("--version")

    assert result.exit_code == 0
    assert re.fullmatch(r"govreports (\d+\.\d+\.\d+\S*|unknown)\n", result.output)


def test_flags_lists_the_failed_error_checks_largest_first(cli):
    result = cli("flags", "--csv")

    assert result.exit_code == 0, result.output
    rows = csv_of(result.stdout)
    assert [(r["source_path"], r["rule_id"], r["difference"]) for r in rows] == [
        ("appeal_total_2023.txt", "appeal_total:litigation_direct", "-3"),
        ("balance_2023.txt", "balance:natural_person", "2"),
        ("balance_2023.txt", "balance:total", "2"),
        ("hostile_2022.txt", "appeal_total:litigation_after_review", "-1"),
        ("anonymous.txt", "structure:agency_present", ""),
        ("anonymous.txt", "structure:year_present", ""),
    ]
    table = cli("flags")
    assert table.exit_code == 0
    assert "balance:natural_person 收支平衡" in table.stdout
    assert "6 of 6 flags (failed error checks) shown, in 4 reports" in table.stdout


def test_flags_filters_by_year_rule_and_agency(cli):
    by_rule = csv_of(cli("flags", "--rule", "balance", "--csv").stdout)
    by_rule_id = csv_of(cli("flags", "--rule", "balance:total", "--csv").stdout)
    by_year = csv_of(cli("flags", "--year", "2022", "--csv").stdout)
    by_agency = csv_of(cli("flags", "--agency", "丁街道", "--warnings", "--csv").stdout)

    assert {r["rule_id"] for r in by_rule} == {"balance:natural_person", "balance:total"}
    assert [r["rule_id"] for r in by_rule_id] == ["balance:total"]
    assert [r["source_path"] for r in by_year] == ["hostile_2022.txt"]
    assert [(r["severity"], r["rule_id"]) for r in by_agency] == [
        ("error", "appeal_total:litigation_direct"),
        ("warning", "narrative:litigation_cases"),
    ]
    capped = cli("flags", "--limit", "2")
    assert "2 of 6 flags (failed error checks) shown, in 4 reports; " in capped.stdout
    assert "--limit 0 or --csv for all 6" in capped.stdout


def test_show_prints_the_tables_beside_their_source_lines_with_the_failing_cells(
    cli, tmp_path, monkeypatch
):
    raw = tmp_path / "raw"
    raw.mkdir()
    agency, year, replacements = REVIEW_VARIANTS["balance_2023.txt"]
    (raw / "balance_2023.txt").write_bytes(seed_variant(agency, year, replacements))
    monkeypatch.setenv(RAW_DIR_ENV, str(raw))

    result = cli("show", "balance_2023.txt")

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "甲街道办事处 · 2023 · balance_2023.txt" in out
    assert "parsed · template 2021" in out
    # the failed checks, then each table with the row's source line beside it
    assert re.search(r"error\s+│ balance:total\s+│ 收支平衡 .*│\s+5 │\s+7 │\s+2 │", out)
    carried_forward = next(line for line in out.splitlines() if "四、结转下年度继续办理" in line)
    cells = r"│\s+2 \*\s+│(\s+0 │){5}\s+2 \*\s+│"
    assert re.search(cells + r" L57 四、结转下年度继续办理 \| 2 \|", carried_forward)
    granted = next(line for line in out.splitlines() if "（一）予以公开" in line)
    assert "*" not in granted  # a cell no failing identity reads is not marked
    assert "行政处罚" in out and "L21 行政处罚 | 1192 |" in out

    # by report id too; without the raw file, the tables still print and say so
    report_id = re.search(r"report_id (\w+)", out).group(1)
    shutil.rmtree(raw)
    again = cli("show", report_id)
    assert again.exit_code == 0
    assert "source file not found under" in again.stdout
    assert "2 *" in again.stdout


def test_query_is_read_only_and_prints_a_table_or_csv(cli, review_warehouse):
    sql = "select source_path, parse_status from reports where parse_status <> 'parsed' order by 1"

    table = cli("query", sql)
    as_csv = cli("query", sql, "--csv")
    write = cli("query", "delete from reports")
    outside = cli("query", "copy (select 1) to 'x.csv'")

    assert table.exit_code == 0
    assert re.search(r"anonymous\.txt\s+│ partial", table.stdout)
    assert "2 of 2 rows" in table.stdout
    assert as_csv.stdout == "source_path,parse_status\nanonymous.txt,partial\ngarbage.txt,failed\n"
    assert write.exit_code == 1
    assert write.stderr.startswith("error: Invalid Input Error: Cannot execute statement")
    assert outside.exit_code == 1 and "file system operations are disabled" in outside.stderr
    with duckdb.connect(str(review_warehouse), read_only=True) as con:
        assert con.execute("select count(*) from reports").fetchall() == [(10,)]


def test_problems_are_one_line_not_a_traceback(cli, tmp_path, monkeypatch):
    bad_sql = cli("query", "select * from no_such_table")
    unknown = cli("show", "no_such_report")
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path / "missing.duckdb"))
    missing = cli("flags")

    for result in (bad_sql, unknown, missing):
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.output
    assert bad_sql.stderr.startswith("error: Catalog Error: Table with name no_such_table")
    assert unknown.stderr.startswith("error: no report with id or path 'no_such_report'")
    assert "run `govreports run` first" in missing.stderr
    assert DEFAULT_RAW_DIR.is_dir()  # nothing above touched the project's data
