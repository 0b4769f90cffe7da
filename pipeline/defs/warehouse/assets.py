"""Parsing in shards, loading the increment, publishing the checked warehouse."""

from collections import Counter

import dagster as dg

from pipeline.defs.jobs import LOCK_HELD, LOCK_TAG
from pipeline.defs.resources import RawFilesResource, WarehouseResource
from pipeline.runs import RunPlan, load_plan, load_run, parse_run_shard, publish_run
from pipeline.settings import load_settings
from pipeline.store import release_writer_lock


def parse_shard_op(shard: int) -> dg.OpDefinition:
    """One shard of the parse stage: its files of the plan, parsed into Parquet parts."""

    @dg.op(name=f"parse_shard_{shard}", tags={"govreports/stage": "parse"})
    def parse_one_shard(plan: RunPlan, raw_files: RawFilesResource) -> dict[str, int]:
        return dict(parse_run_shard(plan, shard, raw_files.processes))

    return parse_one_shard


@dg.op(tags={"govreports/stage": "parse"})
def combine_shards(shards: list[dict[str, int]]) -> dg.Output[dict[str, int]]:
    """The shards' counts (the parts themselves stay on disk for the load)."""
    total: Counter[str] = Counter()
    for counts in shards:
        total.update(counts)
    counts = {
        "reports": total["reports"],
        "parsed": total["status_parsed"],
        "partial": total["status_partial"],
        "failed": total["status_failed"],
        "facts": total["facts"],
        "issues": total["issues"],
        "files_read": total["files_parsed"] + total["files_touched"],
        "files_touched": total["files_touched"],
    }
    return dg.Output(counts, metadata=dict(counts))


SHARDS = [parse_shard_op(shard) for shard in range(load_settings().shards)]


@dg.graph_asset(group_name="warehouse", ins={"plan": dg.AssetIn(key="raw_report_files")})
def parsed_reports(plan: RunPlan) -> dict[str, int]:
    """The plan's files parsed in shards (one step each, ``GOVREPORTS_SHARDS``), each over a
    process pool, chunk by chunk into Parquet; the value is counts only."""
    return combine_shards([shard(plan) for shard in SHARDS])


@dg.asset(group_name="warehouse", ins={"parsed": dg.AssetIn(key="parsed_reports")})
def warehouse_tables(
    context: dg.AssetExecutionContext, parsed: dict[str, int], warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The increment loaded into the standby buffer (replacing earlier versions of its
    reports) in one transaction; counts are warehouse totals."""
    del parsed  # the parts are on disk: the asset is only the dependency
    counts = load_run(load_plan(warehouse.file, context.run.run_id))
    return dg.MaterializeResult(
        metadata={**counts, "warehouse": dg.MetadataValue.path(str(warehouse.file))}
    )


@dg.asset(group_name="warehouse", deps=["data_quality"])
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The checked standby published: the warehouse path now opens it (one atomic rename),
    with its dashboard, Data Docs and Parquet export; nothing when the run changed nothing."""
    outcome = publish_run(load_plan(warehouse.file, context.run.run_id))
    if context.run.tags.get(LOCK_TAG) != LOCK_HELD:
        release_writer_lock(warehouse.file)
    return dg.MaterializeResult(metadata=outcome)
