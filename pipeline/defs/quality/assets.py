"""The data-quality step: Great Expectations over the whole warehouse after every load."""

from __future__ import annotations

import dagster as dg

from pipeline.defs.quality.checks import QUALITY_ASSET, SUITE_CHECK_SPECS, suite_check_result
from pipeline.defs.resources import WarehouseResource
from pipeline.quality import assess
from pipeline.settings import dashboard_path, data_docs_dir


@dg.asset(
    name=QUALITY_ASSET,
    group_name="quality",
    deps=["warehouse_tables"],
    check_specs=SUITE_CHECK_SPECS,
)
def data_quality(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """checks and report_flags rewritten from a checkpoint run; Data Docs and the dashboard."""
    path = warehouse.file
    with warehouse.connect() as con:
        outcome = assess(con, data_docs_dir=data_docs_dir(path), dashboard=dashboard_path(path))
    totals = outcome.dashboard.totals
    return dg.MaterializeResult(
        metadata={
            "flagged": totals["flagged_reports"],
            "error_flags": totals["error_flags"],
            "warned_reports": totals["warned_reports"],
            "warnings": totals["warnings"],
            "not_assessable_checks": totals["not_assessable_checks"],
            "checks": totals["checks"],
            "dashboard": dg.MetadataValue.path(str(outcome.dashboard_path)),
            "data_docs": dg.MetadataValue.path(str(outcome.data_docs_index)),
        },
        check_results=[
            suite_check_result(suite, outcome.checks) for suite in outcome.suites.values()
        ],
    )
