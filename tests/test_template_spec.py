"""The parser's template agrees with the oracle's own statement of report-template.md.

``bench/template_spec.py`` is written from the spec, independently of
``pipeline/parsing/template.py``; the generated-corpus tests render and judge reports with it.
Here every key, label, parent, column and identity of the two must be the same, so a change to
one that the other does not share fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import template_spec as spec
from pipeline.parsing import template as tpl

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("version", tpl.TEMPLATE_VERSIONS)
def test_table_3_rows_agree(version):
    assert [(r.key, r.label, r.parent, r.columns) for r in tpl.APPLICATION_ROWS[version]] == [
        tuple(r) for r in spec.APPLICATION_ROWS[version]
    ]


@pytest.mark.parametrize("version", tpl.TEMPLATE_VERSIONS)
def test_table_2_rows_and_columns_agree(version):
    assert [(r.key, r.label, r.parent, r.columns) for r in tpl.ACTIVE_ROWS[version]] == [
        tuple(r) for r in spec.ACTIVE_ROWS[version]
    ]
    assert [(c.key, c.label) for c in tpl.ACTIVE_COLUMNS[version]] == [
        tuple(c) for c in spec.ACTIVE_COLUMNS[version]
    ]


def test_table_4_and_the_columns_agree():
    assert [(r.key, r.label, r.parent, r.columns) for r in tpl.APPEAL_ROWS] == [
        tuple(r) for r in spec.APPEAL_ROWS
    ]
    assert tpl.APPLICANT_KEYS == spec.APPLICANT_KEYS
    assert tpl.APPEAL_KEYS == spec.APPEAL_KEYS
    assert {c for c in tpl.DECIMAL_COLUMNS if c in {"amount_10k_yuan", "procurement_amount"}} == (
        spec.DECIMAL_COLUMNS
    )
    assert tpl.SIGNED_COLUMNS == spec.SIGNED_COLUMNS


@pytest.mark.parametrize("version", tpl.TEMPLATE_VERSIONS)
def test_identities_agree(version):
    ours = {i.rule: (i.section, i.expected, i.actual) for i in tpl.identities(version)}

    assert ours == spec.identities(version)
    assert tpl.OUTCOME_ROWS[version] == spec.outcome_rows(version)


def test_identities_hold_in_every_column_or_every_row_as_the_spec_says():
    along = {i.rule: i.along for i in tpl.identities("2021")}

    assert along == {
        "balance": tpl.ALONG_COLUMNS,
        "outcomes": tpl.ALONG_COLUMNS,
        "row_total": tpl.ALONG_ROWS,
        "appeal_total": tpl.ALONG_ROWS,
    }


def test_the_readme_template_numbers_are_the_templates():
    text = README.read_text(encoding="utf-8")
    outcome_counts = re.search(r"\(2021: (\d+) rows; 2019: (\d+)", text)
    cells = re.search(r"every cell of its template \((\d+) in 2021, (\d+) in 2019\)", text)

    assert outcome_counts is not None and cells is not None
    assert [int(n) for n in outcome_counts.groups()] == [
        len(tpl.OUTCOME_ROWS["2021"]),
        len(tpl.OUTCOME_ROWS["2019"]),
    ]
    assert [int(n) for n in cells.groups()] == [
        len(tpl.expected_cells("2021")),
        len(tpl.expected_cells("2019")),
    ]
