"""Start the job when files appear or change in the raw dir."""

import hashlib
import json

import dagster as dg

from pipeline.defs.jobs import JOB_NAME
from pipeline.defs.resources import RawFilesResource
from pipeline.ingest import scan_raw_dir


@dg.sensor(
    job_name=JOB_NAME,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_raw_files_sensor(
    context: dg.SensorEvaluationContext, raw_files: RawFilesResource
) -> dg.SensorResult:
    """Cursor: JSON of every seen path -> [size, mtime_ns]; a new or changed entry starts a run."""
    if not raw_files.path.is_dir():
        return dg.SensorResult(skip_reason=f"raw directory not found: {raw_files.path}")
    manifest = scan_raw_dir(raw_files.path)
    current = {path: [size, mtime] for path, size, mtime in manifest.iter_rows()}
    seen = json.loads(context.cursor) if context.cursor else {}
    changed = [path for path, stat in current.items() if seen.get(path) != stat]
    cursor = json.dumps(current, sort_keys=True, separators=(",", ":"))
    if not changed:
        return dg.SensorResult(skip_reason="no new or changed files", cursor=cursor)
    run_request = dg.RunRequest(
        run_key=hashlib.sha256(cursor.encode()).hexdigest()[:16],
        tags={"govreports/changed_files": str(len(changed))},
    )
    return dg.SensorResult(run_requests=[run_request], cursor=cursor)
