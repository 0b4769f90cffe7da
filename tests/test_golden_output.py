"""Whole-output golden files: the parser's entire output for each fixture, compared exactly.

Like ``jc``'s input/output pairs: ``fixtures/golden/<fixture>.json`` holds every cell (value,
raw text, source line, and page and box for a PDF), every issue (severity, code, message, line)
and every narrative number of one input. Any change in what the parser says about a fixture
shows here. After a deliberate change, regenerate and review the diff::

    GOVREPORTS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_output.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.parsing import ParsedReport, parse

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "golden"
INPUTS = sorted(
    [
        *(FIXTURES / "seeds").glob("*.txt"),
        *(FIXTURES / "reports").iterdir(),
        *(FIXTURES / "real" / "raw").iterdir(),
    ]
)
UPDATE = os.environ.get("GOVREPORTS_UPDATE_GOLDEN") == "1"


def as_json(report: ParsedReport) -> dict:
    return {
        "agency": report.agency,
        "year": report.year,
        "title": report.title,
        "template_version": report.template_version,
        "applications_version": report.applications_version,
        "parse_status": report.parse_status,
        "encoding": report.encoding,
        "layout": report.layout,
        "cells": [
            [
                c.section,
                c.row_key,
                c.column_key,
                None if c.value is None else str(c.value),
                c.raw_text,
                c.source_line,
                c.source_page,
                c.source_bbox,
            ]
            for c in report.cells
        ],
        "issues": [
            [i.severity, i.code, i.section, i.row_key, i.source_line, i.message]
            for i in report.issues
        ],
        "narrative": [[n.key, str(n.value), n.raw_text, n.source_line] for n in report.narrative],
    }


@pytest.mark.parametrize("source", INPUTS, ids=lambda p: p.name)
def test_parser_output_is_the_golden_output(source):
    got = as_json(parse(source.read_bytes(), source.name, current_year=2026))
    golden = GOLDEN / f"{source.name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_file_has_its_input():
    names = {p.name for p in INPUTS}
    assert {p.name.removesuffix(".json") for p in GOLDEN.glob("*.json")} == names
