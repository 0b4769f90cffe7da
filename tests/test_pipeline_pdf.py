"""PDFs through the real Dagster job: page and box provenance in the warehouse; a scan is recorded
as failed and the run goes on. Also: a warehouse created before PDF input gains the columns."""

from __future__ import annotations

import random
import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from bench.pdf_generator import PdfStyle, render_pdf
from bench.report_generator import consistent_report
from pipeline import warehouse
from tests.test_parser_pdf import HONGZE, _scan_of
from tests.test_pipeline_job import run_job


@pytest.fixture
def pdf_raw_dir(tmp_path) -> Path:
    """The real PDF, a generated borderless PDF, and a scan of the real PDF."""
    raw = tmp_path / "raw"
    (raw / "2024").mkdir(parents=True)
    shutil.copy(HONGZE, raw / "2024" / HONGZE.name)
    report = consistent_report(random.Random(7), "gen.pdf", "海淀区第三市场监督管理局", 2023)
    (raw / "generated.pdf").write_bytes(render_pdf(report, PdfStyle(style="borderless")))
    (raw / "scan.PDF").write_bytes(_scan_of(HONGZE.read_bytes()))
    return raw


@pytest.mark.dagster
def test_job_loads_pdfs_with_page_and_box_of_every_fact(pdf_raw_dir, tmp_path):
    path = tmp_path / "wh.duckdb"

    result = run_job(pdf_raw_dir, path)

    assert result.success
    with closing(duckdb.connect(str(path), read_only=True)) as con:
        assert con.execute(
            "select source_path, parse_status, layout, n_cells from reports order by source_path"
        ).fetchall() == [
            ("2024/31_hongze_2024.pdf", "parsed", "pdf_cells", 186),
            ("generated.pdf", "parsed", "pdf_words", 200),
            ("scan.PDF", "failed", None, 0),
        ]
        assert con.execute(
            """
            select count(*), count(source_page), count(source_bbox), min(source_page),
                max(source_page)
            from facts
            """
        ).fetchall() == [(386, 386, 386, 1, 4)]
        assert con.execute(
            """
            select value, source_page, source_bbox like '%,%,%,%'
            from fact_applications
            join reports using (report_id)
            where source_path like '2024/%'
                and row_key = 'unable_needs_creation'
                and applicant_type = 'total'
            """
        ).fetchall() == [(1, 4, True)]
        assert con.execute(
            "select source_path, severity, code from parse_issues where code like '%pdf'"
        ).fetchall() == [("scan.PDF", "error", "scanned_pdf")]


def test_warehouse_from_before_pdf_input_gains_the_provenance_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    with closing(warehouse.connect(path)) as con:
        con.execute(
            """
            create table facts (
                report_id varchar not null, agency varchar, year integer,
                section varchar not null, row_key varchar not null, column_key varchar not null,
                value decimal(38, 6), raw_text varchar, source_line integer
            )
            """
        )
        warehouse.ensure_schema(con)
        columns = [row[0] for row in con.execute("describe facts").fetchall()]
        view_columns = [row[0] for row in con.execute("describe fact_cells").fetchall()]

    assert columns[-3:] == ["source_line", "source_page", "source_bbox"]
    assert view_columns[-3:] == ["source_line", "source_page", "source_bbox"]
