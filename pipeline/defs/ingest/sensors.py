"""Start the job when files appear or change in the raw dir."""

import hashlib
import json

import dagster as dg

from pipeline.defs.jobs import JOB_NAME
from pipeline.defs.resources import RawFilesResource
from pipeline.ingest import scan_raw_dir


def listing_fingerprint(raw_files: RawFilesResource) -> tuple[int, str]:
    """(number of files, hash of every path, size and mtime): changes when any file does."""
    manifest = scan_raw_dir(raw_files.path)
    digest = hashlib.sha256()
    for path, size, mtime_ns in manifest.iter_rows():
        digest.update(f"{path}\t{size}\t{mtime_ns}\n".encode())
    return len(manifest), digest.hexdigest()[:16]


@dg.sensor(
    job_name=JOB_NAME,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_raw_files_sensor(
    context: dg.SensorEvaluationContext, raw_files: RawFilesResource
) -> dg.SensorResult:
    """Cursor: file count and listing fingerprint (constant size, whatever the corpus size)."""
    if not raw_files.path.is_dir():
        return dg.SensorResult(skip_reason=f"raw directory not found: {raw_files.path}")
    files, fingerprint = listing_fingerprint(raw_files)
    cursor = json.dumps({"files": files, "fingerprint": fingerprint}, sort_keys=True)
    if cursor == context.cursor:
        return dg.SensorResult(skip_reason="no new or changed files", cursor=cursor)
    run_request = dg.RunRequest(run_key=fingerprint, tags={"govreports/files": str(files)})
    return dg.SensorResult(run_requests=[run_request], cursor=cursor)
