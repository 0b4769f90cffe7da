"""The one job: every asset, in a single process (steps are a short chain; no per-step fork)."""

import dagster as dg

JOB_NAME = "govreports_job"

govreports_job = dg.define_asset_job(
    name=JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Scan the raw dir, parse every report, load the DuckDB warehouse.",
)
