"""The data-quality step: Great Expectations over what the load changed."""

import dagster as dg

from pipeline.defs.quality.checks import QUALITY_ASSET, SUITE_CHECK_SPECS, suite_check_results
from pipeline.defs.resources import WarehouseResource
from pipeline.runs import check_run, load_plan, quality_totals


@dg.asset(
    name=QUALITY_ASSET,
    group_name="quality",
    deps=["warehouse_tables"],
    check_specs=SUITE_CHECK_SPECS,
)
def data_quality(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """checks and report_flags of the loaded and neighbouring reports rewritten from checkpoint
    runs; Data Docs and the dashboard. Totals and verdicts are the warehouse's."""
    plan = load_plan(warehouse.file, context.run.run_id)
    outcome = check_run(plan)
    with quality_totals(plan) as (totals, suites):
        return dg.MaterializeResult(
            metadata={
                "flagged": totals["flagged_reports"],
                "error_flags": totals["error_flags"],
                "warned_reports": totals["warned_reports"],
                "warnings": totals["warnings"],
                "not_assessable_checks": totals["not_assessable_checks"],
                "checks": totals["checks"],
                "checked_reports": outcome.checked_reports if outcome else 0,
            },
            check_results=suite_check_results(suites, outcome),
        )
