"""Golden tests: the five real seed reports, every cell exact (fixtures/seeds/<case>.txt|json)."""

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.parsing import parse
from pipeline.parsing import template as tpl

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
CASES = sorted(p.stem for p in SEEDS.glob("*.txt"))


def _parse_case(case: str):
    return parse((SEEDS / f"{case}.txt").read_bytes(), f"{case}.txt", current_year=2026)


def _golden(case: str) -> dict:
    return json.loads((SEEDS / f"{case}.json").read_text(encoding="utf-8"))


def _as_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_there_are_five_seed_layouts():
    assert len(CASES) == 5
    layouts = {_golden(case)["layout"] for case in CASES}
    assert layouts == {"tab_grid", "cell_per_line", "pipe_rows", "tab_grid+markdown"}


@pytest.mark.parametrize("case", CASES)
def test_seed_metadata(case):
    report, golden = _parse_case(case), _golden(case)
    assert report.agency == golden["agency"]
    assert report.year == golden["year"]
    assert report.template_version == golden["template_version"]
    assert report.parse_status == golden["parse_status"] == "parsed"
    assert report.layout == golden["layout"]
    assert report.encoding == golden["encoding"]
    assert sorted(i.code for i in report.issues) == golden["issues"]


@pytest.mark.parametrize("case", CASES)
def test_seed_every_cell(case):
    report, golden = _parse_case(case), _golden(case)
    got = report.values()
    expected = {}
    for row_key, values in golden["active_disclosure"].items():
        for column_key, value in values.items():
            expected[("active_disclosure", row_key, column_key)] = _as_decimal(value)
    for section in ("applications", "appeals"):
        for row_key, values in golden[section].items():
            columns = tpl.rows_for(section, golden["template_version"])[0].columns
            for column_key, value in zip(columns, values, strict=True):
                expected[(section, row_key, column_key)] = _as_decimal(value)
    assert got == expected
    assert Counter(c.section for c in report.cells) == {
        "applications": 175,
        "appeals": 15,
        "active_disclosure": 10,
    }
    assert len(report.cells) == len(got)  # no cell reported twice


@pytest.mark.parametrize(
    ("case", "agency", "year"),
    [
        ("000_d9cb11323f1ad30e", "老城区西南隅街道办事处", 2022),
        ("001_1289612543b54ddb", "环南街道", 2021),
        ("002_1fda27c24fffeb28", "北新桥街道", 2023),  # no title: from the body text
        ("003_24921fc8b53a72a1", "民权县绿洲街道办事处", 2023),  # spaces inside the title
        ("004_e02f11226f5e83d3", "老城区人民政府办公室", 2021),  # markdown heading
    ],
)
def test_seed_agency_and_year_spelled_out(case, agency, year):
    report = _parse_case(case)
    assert (report.agency, report.year) == (agency, year)


def test_seed_002_reads_agency_from_body_and_says_so():
    report = _parse_case("002_1fda27c24fffeb28")
    assert report.title is None
    codes = {i.code: i.severity for i in report.issues}
    assert codes == {"no_title": "info", "agency_from_body": "info", "year_from_body": "info"}


def test_seed_002_wrapped_pipe_row_keeps_value_from_next_line():
    report = _parse_case("002_1fda27c24fffeb28")
    cell = next(
        c for c in report.cells if (c.row_key, c.column_key) == ("rejected_confirmation", "total")
    )
    assert (cell.value, cell.raw_text, cell.source_line) == (Decimal(0), "0", 49)
    penalty = next(c for c in report.cells if c.row_key == "administrative_penalty")
    assert (penalty.value, penalty.raw_text, penalty.source_line) == (Decimal(1192), "1192", 20)


def test_seed_004_total_row_with_eight_numbers_is_repaired_and_recorded():
    report = _parse_case("004_e02f11226f5e83d3")
    total = [report.value("applications", "total_processed", k) for k in tpl.APPLICANT_KEYS]
    assert total == [16, 0, 0, 0, 0, 0, 16]
    repaired = [i for i in report.issues if i.code == "row_repaired"]
    assert [(i.row_key, i.severity, i.source_line) for i in repaired] == [
        ("total_processed", "warning", 72),
        ("carried_forward", "warning", 73),
    ]
    assert "16 0 0 0 0 0 0 16" in repaired[0].message
    assert "admit only 16 0 0 0 0 0 16" in repaired[0].message


def test_seed_004_appeals_row_provenance():
    report = _parse_case("004_e02f11226f5e83d3")
    cells = [c for c in report.cells if c.section == "appeals"]
    assert [c.raw_text for c in cells] == "0 1 0 0 1 0 3 1 1 5 0 0 0 0 0".split()
    assert {c.source_line for c in cells} == {80}


def test_seed_001_cell_per_line_source_lines():
    report = _parse_case("001_1289612543b54ddb")
    cell = next(
        c for c in report.cells if (c.row_key, c.column_key) == ("normative_documents", "in_force")
    )
    assert (cell.value, cell.source_line) == (Decimal(2), 28)
