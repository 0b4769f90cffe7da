"""Data quality: reconcile every report (SQL), let Great Expectations decide, publish the results.

A plain library (no Dagster)::

    with closing(connect(warehouse)) as con:
        outcome = assess(con, data_docs_dir=..., dashboard=...)

``assess`` rebuilds ``agencies``/``agency_names`` from ``reports``, reloads the reviewers'
decisions (``review_decisions.csv`` beside the warehouse unless ``reviews`` says otherwise),
reads the ``reconcile_*`` views, validates them with the suites in ``expectations/`` in one
checkpoint, rewrites ``checks`` and ``report_flags`` from the results, and renders Data Docs,
the dashboard and its CSV exports (``exports/`` beside it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipeline.agencies import write_agencies
from pipeline.quality.checks import check_rows, read_frames, write_checks
from pipeline.quality.dashboard import (
    EXPORTS_DIRNAME,
    DashboardData,
    dashboard_data,
    write_dashboard,
    write_exports,
)
from pipeline.quality.validation import SuiteOutcome, load_suite_configs, run_checkpoint
from pipeline.reviews import reviews_path, sync_decisions, warehouse_file
from pipeline.settings import EXPECTATIONS_DIR

__all__ = ["QualityOutcome", "assess"]


@dataclass(frozen=True)
class QualityOutcome:
    suites: dict[str, SuiteOutcome]
    checks: pl.DataFrame
    dashboard: DashboardData
    data_docs_index: Path | None
    dashboard_path: Path | None


def assess(
    con: duckdb.DuckDBPyConnection,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    data_docs_dir: Path | None = None,
    dashboard: Path | None = None,
    current_year: int | None = None,
    reviews: Path | None = None,
) -> QualityOutcome:
    """Validate the whole warehouse and replace ``checks``/``report_flags`` with the results."""
    write_agencies(con)  # the cross-year rules compare the same body's reports
    warehouse = warehouse_file(con)
    if reviews is None and warehouse is not None:
        reviews = reviews_path(warehouse)
    if reviews is not None:
        sync_decisions(con, reviews)  # a rebuilt warehouse gets its reviewers' decisions back
    frames = read_frames(con)
    suites = run_checkpoint(
        frames,
        load_suite_configs(expectations_dir),
        current_year=current_year or date.today().year,
        data_docs_dir=data_docs_dir,
    )
    checks = check_rows(frames, suites.values())
    write_checks(con, checks)
    data = dashboard_data(con, expectations_dir)
    docs_index = data_docs_dir / "index.html" if data_docs_dir else None
    if dashboard is not None:
        write_exports(con, dashboard.parent / EXPORTS_DIRNAME)
        write_dashboard(data, dashboard, docs_index)
    return QualityOutcome(suites, checks, data, docs_index, dashboard)
