"""The run's plan: which report files in the raw dir are new, changed or removed."""

import dagster as dg

from pipeline.defs.jobs import LOCK_HELD, LOCK_TAG
from pipeline.defs.resources import RawFilesResource, WarehouseResource
from pipeline.runs import RunPlan, plan_run
from pipeline.settings import load_settings
from pipeline.store import acquire_writer_lock


@dg.asset(group_name="ingest")
def raw_report_files(
    context: dg.AssetExecutionContext, raw_files: RawFilesResource, warehouse: WarehouseResource
) -> dg.Output[RunPlan]:
    """The raw dir listed and compared with the warehouse's manifest (a stat per file; a hash
    only for files whose size or mtime changed). The plan (paths to read, by shard) is written
    to the run's folder; this asset's value is its small description, never the files."""
    if context.run.tags.get(LOCK_TAG) != LOCK_HELD:
        acquire_writer_lock(warehouse.file)  # one writer at a time; released on publishing
    plan = plan_run(
        raw_files.path, warehouse.file, context.run.run_id, shards=load_settings().shards
    )
    listing = plan.listing
    return dg.Output(
        plan,
        metadata={
            "files": listing.files_seen,
            "new": listing.files_new,
            "changed": listing.files_changed,
            "unchanged": listing.files_unchanged,
            "removed": listing.files_removed,
            "to_read": listing.files_to_read,
            "check_all": plan.check_all,
            "raw_dir": dg.MetadataValue.path(str(raw_files.path)),
            "dagster/row_count": listing.files_seen,
        },
    )
