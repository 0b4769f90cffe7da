"""The DuckDB warehouse: connection, schema, Arrow staging of parsed reports, idempotent loads.

A plain library (no Dagster). Typical use::

    con = connect(path)
    ensure_schema(con)
    load(con, reports_to_arrow([(path, parse(data, path, current_year=year)), ...]))
    summary(con)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.parsing import template
from pipeline.parsing.model import (
    SEVERITY_INFO,
    STATUS_FAILED,
    STATUS_PARSED,
    STATUS_PARTIAL,
    Cell,
    ParsedReport,
    ParseIssue,
)
from pipeline.settings import (
    DUCKDB_MEMORY_LIMIT,
    DUCKDB_THREADS,
    STORAGE_COMPATIBILITY_VERSION,
)
from pipeline.sql import load_sql

_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
DUPLICATE_CONTENT = "duplicate_content"
UNREADABLE_FILE = "unreadable_file"  # pipeline.ingest.parse_file

REPORTS_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("agency", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("template_version", pa.string()),
        pa.field("parse_status", pa.string(), nullable=False),
        pa.field("encoding", pa.string()),
        pa.field("layout", pa.string()),
        pa.field("title", pa.string()),
        pa.field("parser_version", pa.string(), nullable=False),
        pa.field("source_bytes", pa.int64(), nullable=False),
        pa.field("n_cells", pa.int32(), nullable=False),
        pa.field("n_issues", pa.int32(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("applications_version", pa.string()),
    ]
)
FACTS_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("agency", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("section", pa.string(), nullable=False),
        pa.field("row_key", pa.string(), nullable=False),
        pa.field("column_key", pa.string(), nullable=False),
        pa.field("value", pa.decimal128(38, 6)),
        pa.field("raw_text", pa.string()),
        pa.field("source_line", pa.int32()),
        pa.field("source_page", pa.int32()),
        pa.field("source_bbox", pa.string()),
    ]
)
PARSE_ISSUES_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("code", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("source_line", pa.int32()),
        pa.field("section", pa.string()),
        pa.field("row_key", pa.string()),
    ]
)
NARRATIVE_NUMBERS_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("narrative_key", pa.string(), nullable=False),
        pa.field("value", pa.decimal128(38, 6), nullable=False),
        pa.field("raw_text", pa.string(), nullable=False),
        pa.field("source_line", pa.int32()),
    ]
)
# Every file of the batch, duplicates included: the manifest rows (source_files) it writes.
# sha256 is NULL for a file that could not be read; size and mtime_ns come from the listing.
SOURCES_SCHEMA = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("sha256", pa.string()),
        pa.field("parser_version", pa.string()),
        pa.field("size", pa.int64()),
        pa.field("mtime_ns", pa.int64()),
    ]
)
BATCH_SCHEMAS: dict[str, pa.Schema] = {
    "reports": REPORTS_SCHEMA,
    "facts": FACTS_SCHEMA,
    "parse_issues": PARSE_ISSUES_SCHEMA,
    "narrative_numbers": NARRATIVE_NUMBERS_SCHEMA,
    "sources": SOURCES_SCHEMA,
}
# What a parse worker writes per chunk (each with an extra ``chunk`` column).
STAGED_SCHEMAS = BATCH_SCHEMAS
REMOVED_SCHEMA = pa.schema([pa.field("source_path", pa.string(), nullable=False)])

DIM_ROWS_SCHEMA = pa.schema(
    [
        pa.field("section", pa.string(), nullable=False),
        pa.field("template_version", pa.string(), nullable=False),
        pa.field("row_key", pa.string(), nullable=False),
        pa.field("label_zh", pa.string(), nullable=False),
        pa.field("parent_label_zh", pa.string()),
        pa.field("row_order", pa.int32(), nullable=False),
    ]
)
DIM_COLUMNS_SCHEMA = pa.schema(
    [
        pa.field("section", pa.string(), nullable=False),
        pa.field("template_version", pa.string(), nullable=False),
        pa.field("column_key", pa.string(), nullable=False),
        pa.field("label_zh", pa.string(), nullable=False),
        pa.field("parent_label_zh", pa.string()),
        pa.field("column_order", pa.int32(), nullable=False),
    ]
)
DIM_CELLS_SCHEMA = pa.schema(
    [
        pa.field("section", pa.string(), nullable=False),
        pa.field("template_version", pa.string(), nullable=False),
        pa.field("row_key", pa.string(), nullable=False),
        pa.field("column_key", pa.string(), nullable=False),
        pa.field("value_kind", pa.string(), nullable=False),
    ]
)

DIM_IDENTITY_TERMS_SCHEMA = pa.schema(
    [
        pa.field(name, pa.string(), nullable=False)
        for name in ("rule", "template_version", "section", "along", "side", "term_key")
    ]
)

# Tables first, then the views that read them.
SCHEMA_STATEMENTS = (
    "create_reports",
    "create_facts",
    "alter_facts_add_source_page",
    "alter_facts_add_source_bbox",
    "create_parse_issues",
    "create_narrative_numbers",
    "create_checks",
    "create_report_flags",
    "create_dim_rows",
    "create_dim_columns",
    "create_dim_cells",
    "create_dim_identity_terms",
    "alter_reports_add_applications_version",
    "create_source_files",
    "create_runs",
    "create_pending_checks",
    "create_export_pending",
    "create_reports_history",
    "create_facts_history",
    "create_parse_issues_history",
    "create_narrative_numbers_history",
    "view_report_versions",
    # analysts' tables, rebuilt by the quality step (pipeline/agencies.py)
    "create_agencies",
    "create_agency_names",
    "create_review_decisions",
    "view_fact_cells",
    "view_fact_applications",
    "view_fact_appeals",
    "view_fact_active_disclosure",
    "view_report_agencies",
    "view_report_templates",
    "view_template_cells",
    "view_expected_cells",
    "view_reconcile_arithmetic",
    "view_reconcile_structure",
    "view_reconcile_cross_year",
    "view_reconcile_narrative",
    "view_reconcile_fees",
    "view_failed_checks",
    "view_failed_check_cells",
    "view_check_reviews",
    # analysts' views (README: questions analysts ask)
    "view_applications_wide",
    "view_template_values",
    "view_report_headlines",
    "view_agency_year_over_year",
    "view_flag_rates",
    "view_implausible_jumps",
    "view_republished_reports",
)
DIM_STATEMENTS = (
    "delete_dim_rows",
    "delete_dim_columns",
    "delete_dim_cells",
    "delete_dim_identity_terms",
    "insert_dim_rows",
    "insert_dim_columns",
    "insert_dim_cells",
    "insert_dim_identity_terms",
)
# A batch in one transaction: the manifest first, then superseded versions to the history,
# replaced and superseded rows out, the batch in, duplicate-content issues, what to check.
LOAD_STATEMENTS = (
    "create_temp_batch_reports",
    "create_temp_previous_files",
    "delete_source_files_staged",
    "insert_source_files",
    "update_source_files_removed",
    "create_temp_replaced_reports",
    "create_temp_superseded_reports",
    "create_temp_moved_reports",
    "create_temp_dropped_reports",
    "insert_reports_history",
    "insert_facts_history",
    "insert_parse_issues_history",
    "insert_narrative_numbers_history",
    "delete_reports_history_reloaded",
    "delete_facts_history_reloaded",
    "delete_parse_issues_history_reloaded",
    "delete_narrative_numbers_history_reloaded",
    "delete_report_rows_facts",
    "delete_report_rows_narrative_numbers",
    "delete_report_rows_parse_issues",
    "delete_report_rows_checks",
    "delete_report_rows_report_flags",
    "delete_report_rows_reports",
    "update_reports_moved",
    "update_parse_issues_moved",
    "insert_reports",
    "insert_facts",
    "insert_narrative_numbers",
    "insert_parse_issues",
    "create_temp_dedup_reports",
    "delete_duplicate_issues",
    "insert_duplicate_issues",
    "update_reports_n_issues",
    "insert_pending_checks",
    "insert_export_pending",
)
RUN_STATEMENTS = ("insert_runs",)
DROP_TEMP_STATEMENTS = (
    "drop_temp_batch_reports",
    "drop_temp_previous_files",
    "drop_temp_replaced_reports",
    "drop_temp_superseded_reports",
    "drop_temp_moved_reports",
    "drop_temp_dropped_reports",
    "drop_temp_dedup_reports",
)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, creating the file (and its folder) if needed.

    A new file is written in the ``STORAGE_COMPATIBILITY_VERSION`` format so DuckDB 1.x tools
    can read it. The format is fixed when the file is created: an existing file keeps its own.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        str(path),
        config={
            "storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION,
            # bounded memory whatever the batch: beyond it DuckDB spills to a temp file
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "threads": DUCKDB_THREADS,
            "preserve_insertion_order": False,
        },
    )


def fetch_arrow(
    con: duckdb.DuckDBPyConnection, name: str, parameters: Mapping[str, object] | None = None
) -> pa.Table:
    """The rows of ``sql/<name>.sql`` (with the parameters it names) as an Arrow table."""
    sql = load_sql(name)
    return con.sql(sql, params=bound_parameters(sql, parameters or {}) or None).to_arrow_table()


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The storage format of the connected database file, e.g. ``v1.0.0+``."""
    ((version,),) = con.execute(load_sql("select_storage_version")).fetchall()
    return version


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and views; refresh the dimension tables from the template."""
    with staged(con, dim_tables()):
        run_in_transaction(con, SCHEMA_STATEMENTS + DIM_STATEMENTS)


def dim_tables() -> dict[str, pa.Table]:
    """``dim_rows``, ``dim_columns``, ``dim_cells`` and ``dim_identity_terms`` for every section
    and template version."""
    rows: list[dict[str, object]] = []
    columns: list[dict[str, object]] = []
    for version in template.TEMPLATE_VERSIONS:
        for section in (*template.SECTIONS, *template.OPTIONAL_SECTIONS):
            where = {"section": section, "template_version": version}
            for order, row in enumerate(template.rows_for(section, version), start=1):
                rows.append(
                    where
                    | {
                        "row_key": row.key,
                        "label_zh": row.label,
                        "parent_label_zh": row.parent,
                        "row_order": order,
                    }
                )
            for order, col in enumerate(_columns_for(section, version), start=1):
                columns.append(
                    where
                    | {
                        "column_key": col.key,
                        "label_zh": col.label,
                        "parent_label_zh": col.parent,
                        "column_order": order,
                    }
                )
    cells = [
        (section, version, row_key, column_key, template.value_kind(column_key))
        for version in template.TEMPLATE_VERSIONS
        for section, row_key, column_key in sorted(template.expected_cells(version))
    ]
    terms = [
        (identity.rule, version, identity.section, identity.along, side, term)
        for version in template.TEMPLATE_VERSIONS
        for identity in template.identities(version)
        for side, keys in (("expected", identity.expected), ("actual", identity.actual))
        for term in keys
    ]
    return {
        "dim_rows": pa.Table.from_pylist(rows, schema=DIM_ROWS_SCHEMA),
        "dim_columns": pa.Table.from_pylist(columns, schema=DIM_COLUMNS_SCHEMA),
        "dim_cells": _table(cells, DIM_CELLS_SCHEMA),
        "dim_identity_terms": _table(terms, DIM_IDENTITY_TERMS_SCHEMA),
    }


def _columns_for(section: str, template_version: str) -> tuple[template.ColumnSpec, ...]:
    if section == "applications":
        return template.APPLICANT_COLUMNS
    if section == "appeals":
        return template.APPEAL_COLUMNS
    if section == "fees":
        return template.FEE_COLUMNS
    return template.ACTIVE_COLUMNS[template_version]


def reports_to_arrow(
    parsed: Sequence[tuple[str, ParsedReport]], ingested_at: datetime | None = None
) -> dict[str, pa.Table]:
    """Stage parsed reports as Arrow: reports, facts, parse_issues, narrative_numbers, sources.

    ``parsed`` pairs each report with its path relative to the raw dir. Files with identical
    content share a report_id: the first path (sorted) is kept, and its report gets an info issue
    ``duplicate_content`` naming each other path.
    """
    ingested_at = ingested_at or datetime.now(UTC)
    ordered = sorted(parsed, key=lambda pair: pair[0])
    kept: dict[str, tuple[str, ParsedReport, list[ParseIssue]]] = {}
    for source_path, report in ordered:
        if report.report_id in kept:
            message = f"identical content also at {source_path}"
            kept[report.report_id][2].append(ParseIssue(SEVERITY_INFO, DUPLICATE_CONTENT, message))
        else:
            kept[report.report_id] = (source_path, report, list(report.issues))

    reports = [
        (
            report_id,
            path,
            r.source_sha256,
            r.agency,
            r.year,
            r.template_version,
            r.parse_status,
            r.encoding,
            r.layout,
            r.title,
            r.parser_version,
            r.source_bytes,
            len(r.cells),
            len(issues),
            ingested_at,
            r.applications_version,
        )
        for report_id, (path, r, issues) in kept.items()
    ]
    facts = _facts_table([(report_id, r) for report_id, (_, r, _) in kept.items()])
    parse_issues = [
        (report_id, path, i.severity, i.code, i.message, i.source_line, i.section, i.row_key)
        for report_id, (path, _, issues) in kept.items()
        for i in issues
    ]
    narrative_numbers = [
        (report_id, n.key, n.value, n.raw_text, n.source_line)
        for report_id, (_, r, _) in kept.items()
        for n in r.narrative
    ]
    sources = [
        (path, r.report_id, _content_hash(r), r.parser_version, None, None) for path, r in ordered
    ]
    return {
        "reports": _table(reports, REPORTS_SCHEMA),
        "facts": facts,
        "parse_issues": _table(parse_issues, PARSE_ISSUES_SCHEMA),
        "narrative_numbers": _table(narrative_numbers, NARRATIVE_NUMBERS_SCHEMA),
        "sources": _table(sources, SOURCES_SCHEMA),
    }


def _content_hash(report: ParsedReport) -> str | None:
    """The file's SHA-256; None when the file could not be read (its id comes from the path)."""
    if any(issue.code == UNREADABLE_FILE for issue in report.issues):
        return None
    return report.source_sha256


def _facts_table(reports: Sequence[tuple[str, ParsedReport]]) -> pa.Table:
    """One row per cell, built column by column (a report's columns repeat its id and agency)."""
    cells: list[Cell] = []
    report_ids: list[str] = []
    agencies: list[str | None] = []
    years: list[int | None] = []
    for report_id, report in reports:
        count = len(report.cells)
        cells.extend(report.cells)
        report_ids.extend([report_id] * count)
        agencies.extend([report.agency] * count)
        years.extend([report.year] * count)
    # a Cell is a tuple of section … source_bbox, the schema's order from its fourth column
    cell_columns = (list(map(itemgetter(i), cells)) for i in range(len(Cell._fields)))
    columns = [report_ids, agencies, years, *cell_columns]
    arrays = [
        _array(column, field.type) for column, field in zip(columns, FACTS_SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=FACTS_SCHEMA)


def _table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    """Rows given as tuples in schema order → an Arrow table (one column array at a time)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [_array(column, field.type) for column, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _array(values: Sequence[object], type_: pa.DataType) -> pa.Array:
    """One column. Decimals go through their text (``str``, exponent and all: Arrow reads
    ``1E+3``): Arrow parses text to decimal128 fifteen times faster than it converts Python
    Decimals, and just as exactly."""
    if pa.types.is_decimal(type_):
        text = [None if v is None else str(v) for v in values]
        return pa.array(text, type=pa.string()).cast(type_)
    return pa.array(values, type=type_)


def load(
    con: duckdb.DuckDBPyConnection,
    tables: Mapping[str, pa.Table],
    *,
    removed: Sequence[str] = (),
    run_at: datetime | None = None,
    check_all: bool = False,
) -> None:
    """Load a staged batch in one transaction (idempotent per report).

    A report loaded again replaces its rows; a file whose content changed makes its old report
    a superseded version (moved to the ``*_history`` tables) unless another file still holds
    it. ``removed`` paths are marked removed in ``source_files``. The reports to check are
    added to ``pending_checks``. ``tables`` is the output of :func:`reports_to_arrow`; call
    :func:`ensure_schema` first.
    """
    missing = BATCH_SCHEMAS.keys() - tables.keys()
    if missing:
        raise ValueError(f"batch lacks tables: {sorted(missing)}")
    batch = {name: _with_chunk(tables[name], 0) for name in BATCH_SCHEMAS}
    batch["removed"] = pa.Table.from_pydict({"source_path": list(removed)}, schema=REMOVED_SCHEMA)
    with staged(con, batch):
        run_in_transaction(con, load_statements(), _load_parameters(run_at, check_all))


def load_parquet(
    con: duckdb.DuckDBPyConnection,
    parsed_dir: Path,
    removed: pa.Table,
    *,
    run_at: datetime,
    check_all: bool = False,
    run: Mapping[str, object] | None = None,
) -> None:
    """:func:`load` for a batch staged as Parquet parts (``<parsed_dir>/<table>/*.parquet``,
    each with its ``chunk``), read by DuckDB in parallel and never whole in memory. With
    ``run`` (the ``runs`` row's values), the run is recorded as loading in the same
    transaction."""
    batch = {
        name: _parquet_relation(con, sorted((parsed_dir / name).glob("*.parquet")), schema)
        for name, schema in BATCH_SCHEMAS.items()
    }
    batch["removed"] = removed
    statements = load_statements(run=run is not None)
    parameters = _load_parameters(run_at, check_all) | dict(run or {})
    with staged(con, batch):
        run_in_transaction(con, statements, parameters)


def load_statements(*, run: bool = False) -> tuple[str, ...]:
    return LOAD_STATEMENTS + (RUN_STATEMENTS if run else ()) + DROP_TEMP_STATEMENTS


def _load_parameters(run_at: datetime | None, check_all: bool) -> dict[str, object]:
    return {"run_at": run_at or datetime.now(UTC), "check_all": check_all}


def _with_chunk(table: pa.Table, chunk: int) -> pa.Table:
    column = pa.array([chunk] * table.num_rows, type=pa.int32())
    return table.append_column(pa.field("chunk", pa.int32(), nullable=False), column)


def _parquet_relation(
    con: duckdb.DuckDBPyConnection, files: Sequence[Path], schema: pa.Schema
) -> duckdb.DuckDBPyRelation | pa.Table:
    if not files:
        return _with_chunk(schema.empty_table(), 0)
    return con.read_parquet([str(f) for f in files])


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Warehouse counts: reports (seen), parsed, partial, failed, facts, issues."""
    cursor = con.execute(load_sql("select_summary"))
    names = [column[0] for column in cursor.description]
    (row,) = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def batch_summary(tables: Mapping[str, pa.Table]) -> dict[str, int]:
    """The counts of :func:`summary` for a staged batch."""
    statuses = Counter(tables["reports"].column("parse_status").to_pylist())
    return {
        "reports": tables["reports"].num_rows,
        "parsed": statuses[STATUS_PARSED],
        "partial": statuses[STATUS_PARTIAL],
        "failed": statuses[STATUS_FAILED],
        "facts": tables["facts"].num_rows,
        "issues": tables["parse_issues"].num_rows,
    }


def bound_parameters(sql: str, parameters: Mapping[str, object]) -> dict[str, object]:
    """The named parameters a statement uses (DuckDB refuses unused ones)."""
    return {name: parameters[name] for name in set(_PARAMETER.findall(sql))}


@contextmanager
def staged(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table | duckdb.DuckDBPyRelation]
) -> Iterator[None]:
    """Register Arrow tables (or relations) as ``staged_<name>`` views for a ``with`` block."""
    views = {f"staged_{name}": table for name, table in tables.items()}
    for name, table in views.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in views:
            con.unregister(name)


def run_in_transaction(
    con: duckdb.DuckDBPyConnection,
    statements: Sequence[str],
    parameters: Mapping[str, object] | None = None,
) -> None:
    """Execute ``sql/<name>.sql`` for each name, all or nothing; each statement is given the
    ``parameters`` it names (``$name``)."""
    con.begin()
    try:
        for name in statements:
            sql = load_sql(name)
            con.execute(sql, bound_parameters(sql, parameters or {}))
    except BaseException:
        con.rollback()
        raise
    con.commit()
