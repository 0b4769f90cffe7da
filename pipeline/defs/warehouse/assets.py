"""Parsed reports as Arrow tables, then the DuckDB warehouse tables."""

import dagster as dg
import polars as pl
import pyarrow as pa

from pipeline.defs.resources import RawFilesResource, WarehouseResource
from pipeline.ingest import parse_files
from pipeline.warehouse import batch_summary, ensure_schema, load, reports_to_arrow, summary


@dg.asset(group_name="warehouse", ins={"manifest": dg.AssetIn(key="raw_report_files")})
def parsed_reports(
    manifest: pl.DataFrame, raw_files: RawFilesResource
) -> dg.Output[dict[str, pa.Table]]:
    """Every file of the manifest parsed and staged: Arrow reports, facts, parse_issues."""
    parsed = parse_files(raw_files.path, manifest["source_path"].to_list(), raw_files.processes)
    tables = reports_to_arrow(parsed)
    return dg.Output(tables, metadata=batch_summary(tables))


@dg.asset(group_name="warehouse", ins={"tables": dg.AssetIn(key="parsed_reports")})
def warehouse_tables(
    tables: dict[str, pa.Table], warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The batch loaded into DuckDB (replacing earlier versions); counts are warehouse totals."""
    with warehouse.connect() as con:
        ensure_schema(con)
        load(con, tables)
        counts = summary(con)
    return dg.MaterializeResult(
        metadata={**counts, "warehouse": dg.MetadataValue.path(str(warehouse.file))}
    )
