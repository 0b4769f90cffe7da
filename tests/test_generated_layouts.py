"""Every layout and quirk the parser must read, rendered from known values (bench.report_generator).

One report per layout × template with its hardest quirks, a hypothesis property over random
layouts, quirks, encodings and values (render → parse → the same values), and the ambiguous
input (numbers run together) that must never be claimed as parsed.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.report_generator import (
    ENCODINGS,
    LAYOUTS,
    QUIRKS,
    GeneratedReport,
    consistent_report,
    run_together_row,
)
from pipeline.parsing import parse
from pipeline.parsing import template as tpl

CERTAIN_QUIRKS = tuple(q for q in QUIRKS if q != "run_together")


def generated(layout: str, year: int, quirks: set[str], seed: int = 0, encoding="utf-8"):
    report = consistent_report(
        random.Random(seed), f"case_{layout}_{year}.txt", "海淀区某某街道办事处", year
    )
    report.layout, report.quirks, report.encoding = layout, frozenset(quirks), encoding
    return report


def assert_read_exactly(report: GeneratedReport) -> None:
    parsed = parse(report.data(), report.name, current_year=2026)
    got = parsed.values()
    assert (parsed.agency, parsed.year, parsed.template_version) == (
        report.agency,
        report.year,
        report.template_version,
    )
    assert got == report.truth()
    assert parsed.parse_status == "parsed", [i.message for i in parsed.issues]


@pytest.mark.parametrize("year", [2020, 2023])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_exactly_with_every_certain_quirk(layout, year):
    assert_read_exactly(generated(layout, year, set(CERTAIN_QUIRKS)))


@pytest.mark.parametrize("layout", ["tab_grid", "html", "space_columns_wrapped"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_with_crlf(encoding, layout):
    assert_read_exactly(generated(layout, 2022, {"crlf", "fullwidth"}, encoding=encoding))


@pytest.mark.parametrize("layout", ["tab_grid", "cell_per_line", "pipe_rows", "space_columns"])
def test_numbers_run_together_are_never_claimed_as_parsed(layout):
    report = generated(layout, 2022, {"run_together"}, seed=3)
    row = run_together_row(report)
    assert report.ambiguous()  # the oracle finds several readings of the digits

    parsed = parse(report.data(), report.name, current_year=2026)

    assert parsed.parse_status == "partial"
    (issue,) = [i for i in parsed.issues if i.severity == "error"]
    assert (issue.code, issue.row_key) == ("digits_run_together", row)
    assert "run together" in issue.message
    assert {c.value for c in parsed.cells if c.row_key == row} == {None}
    got = parsed.values()
    assert got == report.truth()  # everything else loaded, that row NULL


@pytest.mark.parametrize("layout", ["tab_grid", "pipe_rows", "markdown", "html"])
def test_numbers_run_together_with_one_reading_are_split_with_a_warning(layout):
    report = generated(layout, 2022, {"run_together"})
    row = run_together_row(report)
    for column, value in zip(tpl.APPLICANT_KEYS, (3, 0, 1, 0, 0, 0, 4), strict=True):
        report.cells[("applications", row, column)] = Decimal(value)  # 3010004: one reading
    assert not report.ambiguous()

    parsed = parse(report.data(), report.name, current_year=2026)

    assert parsed.parse_status == "parsed"
    assert [(i.code, i.row_key) for i in parsed.issues if i.severity != "info"] == [
        ("digits_split", row)
    ]
    assert parsed.values() == report.truth()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layout=st.sampled_from(LAYOUTS),
    year=st.sampled_from([2019, 2020, 2021, 2024]),
    quirks=st.sets(st.sampled_from(CERTAIN_QUIRKS)),
    encoding=st.sampled_from(ENCODINGS),
    seed=st.integers(0, 2**32 - 1),
)
def test_render_then_parse_gives_the_same_values(layout, year, quirks, encoding, seed):
    assert_read_exactly(generated(layout, year, quirks, seed=seed, encoding=encoding))
