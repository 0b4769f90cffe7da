"""Golden tests on real published reports (fixtures/real: raw file + hand-checked gold JSON).

Every scorable cell (gold ``facts`` minus ``uncertain``) must be right or, for the few the parser
cannot read with certainty, NULL or absent — pinned here by name, so a regression and an
improvement both show. No cell may be wrong. Metadata, parse status, issue codes and, through
the real Dagster job, the flags must equal the gold.
"""

from __future__ import annotations

import json
import shutil
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import execute_pipeline
from pipeline.parsing import parse
from pipeline.settings import Settings

REAL = Path(__file__).parent / "fixtures" / "real"
TEXT_CASES = sorted(p.name for p in (REAL / "raw").iterdir() if p.suffix != ".pdf")

# Cells a certain reading cannot give (not wrong: NULL or absent, with an issue saying why).
NOT_READ = {
    # '| 规章 | 22 | 235 |': the converter dropped one of three cells; which one is not known
    "11_shanghai_shibangongting_2025.pdf2md.md": {
        ("active_disclosure", "rules", "issued"),
        ("active_disclosure", "rules", "in_force"),
        ("active_disclosure", "normative_documents", "issued"),
        ("active_disclosure", "normative_documents", "in_force"),
    },
    # '110000011' for 7 cells: 11|0|0|0|0|0|11, 1|10|…|11, 1|100|…|1|1, 11|0|…|1|1
    "16_pingtan_jinjingpianqu_2025.page.txt": {
        ("applications", "new_received", "other_org"),
        ("applications", "new_received", "total"),
        ("applications", "total_processed", "other_org"),
        ("applications", "total_processed", "total"),
    },
}
STATUS_AND_ISSUES = {
    "11_shanghai_shibangongting_2025.pdf2md.md": (
        "partial",
        {"row_placed_by_order", "row_value_count"},
    ),
    "12_pingtan_2023.html": ("parsed", set()),
    "13_pingtan_shehuishiyeju_2024.html": ("parsed", {"row_not_printed"}),
    "14_pingtan_ziranziyuanju_2024.html": ("parsed", set()),
    "15_pingtan_caizhengjinrongju_2019.page.txt": (
        "partial",
        {"digits_run_together", "digits_split"},
    ),
    "16_pingtan_jinjingpianqu_2025.page.txt": (
        "partial",
        {"digits_run_together", "digits_split", "row_not_printed"},
    ),
    "17_pingtan_jiaotongjiansheju_2022.page.txt": ("parsed", set()),
    "18_pingtan_haitanpianqu_2021.page.txt": ("partial", {"digits_run_together", "digits_split"}),
}
LAYOUTS = {
    ".md": "pipe_rows+markdown",
    ".html": "html_tab_grid",
    ".txt": "flat_text",
}


def gold(name: str) -> dict:
    return json.loads((REAL / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def scorable(name: str) -> dict[tuple[str, str, str], Decimal | None]:
    g = gold(name)
    uncertain = {(u["section"], u["row_key"], u["column_key"]) for u in g["uncertain"]}
    facts = {(f["section"], f["row_key"], f["column_key"]): f["value"] for f in g["facts"]}
    return {
        key: None if value is None else Decimal(str(value))
        for key, value in facts.items()
        if key not in uncertain
    }


def parsed(name: str):
    return parse((REAL / "raw" / name).read_bytes(), name, current_year=2026)


def test_the_eight_text_fixtures_are_there():
    assert len(TEXT_CASES) == 8
    assert set(STATUS_AND_ISSUES) == set(TEXT_CASES)


@pytest.mark.parametrize("name", TEXT_CASES)
def test_every_scorable_cell_is_right_or_pinned_as_not_read(name):
    report = parsed(name)
    got = report.values()
    truth = scorable(name)
    wrong = {k: (got[k], v) for k, v in truth.items() if got.get(k) is not None and got[k] != v}
    not_read = {k for k, v in truth.items() if got.get(k) is None and v is not None}

    assert wrong == {}
    assert not_read == NOT_READ.get(name, set())
    assert sum(got.get(k) == v for k, v in truth.items()) == len(truth) - len(not_read)


@pytest.mark.parametrize("name", TEXT_CASES)
def test_metadata_status_and_issue_codes(name):
    report, g = parsed(name), gold(name)
    status, codes = STATUS_AND_ISSUES[name]

    assert (report.agency, report.year, report.template_version) == (
        g["agency"],
        g["year"],
        g["template"],
    )
    assert report.layout == LAYOUTS[Path(name).suffix]
    assert report.parse_status == status
    assert {i.code for i in report.issues if i.severity != "info"} == codes


def test_fused_runs_are_quoted_in_their_issues():
    report = parsed("16_pingtan_jinjingpianqu_2025.page.txt")
    by_row = {(i.code, i.row_key): i.message for i in report.issues}

    assert "'7000007'" in by_row[("digits_split", "unable_not_held")]
    assert "7 | 0 | 0 | 0 | 0 | 0 | 7" in by_row[("digits_split", "unable_not_held")]
    ambiguous = by_row[("digits_run_together", "new_received")]
    assert "'110000011'" in ambiguous and "cells 1, 2, 6, 7 left NULL" in ambiguous
    cells = {(c.row_key, c.column_key): c for c in report.cells}
    assert cells[("new_received", "research_institution")].value == 0
    assert cells[("new_received", "natural_person")].value is None
    assert cells[("new_received", "natural_person")].raw_text == "110000011"


def test_the_2025_fee_table_is_its_own_section():
    report = parsed("16_pingtan_jinjingpianqu_2025.page.txt")
    fees = {c.column_key: c.value for c in report.cells if c.section == "fees"}

    assert fees == {
        "notified_count": 0,
        "notified_amount_yuan": 0,
        "collected_amount_yuan": 0,
    }
    assert report.value("appeals", "review", "total") == 0  # table 四 did not take them


@pytest.fixture(scope="module")
def real_warehouse(tmp_path_factory):
    """The real job over the eight text fixtures, once."""
    tmp = tmp_path_factory.mktemp("real")
    raw = tmp / "raw"
    raw.mkdir()
    for name in TEXT_CASES:
        shutil.copy(REAL / "raw" / name, raw / name)
    warehouse = tmp / "real.duckdb"
    result = execute_pipeline(Settings(raw_dir=raw, warehouse=warehouse, workers=1))
    assert result.success
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        yield con


@pytest.mark.dagster
@pytest.mark.parametrize("name", TEXT_CASES)
def test_flags_are_exactly_the_identities_gold_says_are_broken(real_warehouse, name):
    rows = real_warehouse.execute(
        "select rule_id from report_flags where source_path = ? order by rule_id", [name]
    ).fetchall()

    assert [rule for (rule,) in rows] == sorted(gold(name)["flags"])


@pytest.mark.dagster
def test_warehouse_holds_every_scorable_cell(real_warehouse):
    wrong = 0
    for name in TEXT_CASES:
        facts = dict(
            ((section, row, column), value)
            for section, row, column, value in real_warehouse.execute(
                """
                select section, row_key, column_key, value
                from facts join reports using (report_id)
                where source_path = ?
                """,
                [name],
            ).fetchall()
        )
        truth = scorable(name)
        wrong += sum(facts.get(k) is not None and facts[k] != v for k, v in truth.items())
    assert wrong == 0


@pytest.mark.dagster
def test_a_row_not_printed_keeps_the_report_complete(real_warehouse):
    rows = real_warehouse.execute(
        """
        select checks.rule_id, checks.status
        from checks join reports using (report_id)
        where reports.source_path = '13_pingtan_shehuishiyeju_2024.html'
            and checks.suite = 'structure'
            and checks.rule_id = 'structure:complete_cells'
        """
    ).fetchall()
    assert rows == [("structure:complete_cells", "passed")]
