"""The manifest of report files in the raw dir."""

import dagster as dg
import polars as pl

from pipeline.defs.resources import RawFilesResource
from pipeline.ingest import scan_raw_dir


@dg.asset(group_name="ingest")
def raw_report_files(raw_files: RawFilesResource) -> dg.Output[pl.DataFrame]:
    """Report files under the raw dir: source_path (relative), size, mtime_ns."""
    manifest = scan_raw_dir(raw_files.path)
    return dg.Output(
        manifest,
        metadata={
            "files": len(manifest),
            "bytes": int(manifest["size"].sum()),
            "raw_dir": dg.MetadataValue.path(str(raw_files.path)),
            "dagster/row_count": len(manifest),
        },
    )
