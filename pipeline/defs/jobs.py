"""The one job, on the executor ``GOVREPORTS_EXECUTOR`` names: the same definitions run
in-process (``govreports run``, the default), on Dagster's multiprocess executor (each step, the
parse shards among them, in its own process) or on a Dask cluster (``dagster-dask``)."""

import dagster as dg

from pipeline.settings import load_settings

JOB_NAME = "govreports_job"
# Runs launched by the Dagster daemon queue on this tag (one writer per warehouse): set
# ``tag_concurrency_limits`` for it to 1 in the instance's run coordinator.
WRITER_TAG = {"govreports/writer": "warehouse"}
# Set by ``govreports run``, which takes the writer lock itself before the run starts.
LOCK_TAG, LOCK_HELD = "govreports/lock", "held-by-caller"


def executor_for(name: str) -> dg.ExecutorDefinition:
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "dask":
        from dagster_dask import dask_executor  # only where a Dask cluster is used

        return dask_executor
    return dg.in_process_executor


govreports_job = dg.define_asset_job(
    name=JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=executor_for(load_settings().executor),
    tags=WRITER_TAG,
    description="List the raw dir, parse what is new or changed, load, check, publish.",
)
