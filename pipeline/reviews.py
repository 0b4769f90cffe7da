"""Reviewer decisions on failed checks: confirmed (the report is wrong) or dismissed (a parser
error, with a note). No Dagster.

A decision is keyed by the file's content hash + rule_id + cell (row_key, column_key), so it
survives re-runs and applies again whenever the same file is loaded. Decisions live in the
warehouse table ``review_decisions`` and in a CSV file (``review_decisions.csv`` beside the
warehouse, or ``GOVREPORTS_REVIEWS``): every decision is written to both, and every quality run
reloads the table from the file — so a rebuilt warehouse keeps them. Keep the file (commit it,
back it up): it is the reviewers' work, the warehouse is derived data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from pipeline.sql import load_sql
from pipeline.warehouse import run_in_transaction, staged

REVIEWS_ENV = "GOVREPORTS_REVIEWS"
REVIEWS_FILENAME = "review_decisions.csv"
CONFIRMED, DISMISSED = "confirmed", "dismissed"
DECISIONS = (CONFIRMED, DISMISSED)

REVIEWS_SCHEMA = pa.schema(
    [
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("source_path", pa.string()),
        pa.field("rule_id", pa.string(), nullable=False),
        pa.field("row_key", pa.string()),
        pa.field("column_key", pa.string()),
        pa.field("decision", pa.string(), nullable=False),
        pa.field("note", pa.string()),
        pa.field("reviewer", pa.string()),
        pa.field("decided_at", pa.string(), nullable=False),
    ]
)
REPLACE_STATEMENTS = ("delete_review_decisions", "insert_review_decisions")
RECORD_STATEMENTS = ("delete_review_decision", "insert_review_decisions")


class ReviewError(ValueError):
    """A decision that cannot be recorded as asked (no such failed check, or several)."""


@dataclass(frozen=True)
class Decision:
    report: str  # report_id or source_path
    rule_id: str
    decision: str
    note: str | None = None
    reviewer: str | None = None
    row_key: str | None = None
    column_key: str | None = None


def reviews_path(warehouse: Path) -> Path:
    """Where the decisions of this warehouse are kept: ``GOVREPORTS_REVIEWS``, else beside it."""
    configured = os.environ.get(REVIEWS_ENV)
    return Path(configured).resolve() if configured else Path(warehouse).parent / REVIEWS_FILENAME


def warehouse_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connected database (None in memory)."""
    ((path,),) = con.execute(load_sql("select_database_path")).fetchall()
    return Path(path) if path else None


def sync_decisions(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Reload ``review_decisions`` from the file (the file wins); write the file if there is
    none yet but the warehouse holds decisions. Returns the number of decisions."""
    if path.is_file():
        table = read_decisions(path)
        with staged(con, {"review_decisions": table}):
            run_in_transaction(con, REPLACE_STATEMENTS)
        return table.num_rows
    table = con.sql(load_sql("select_review_decisions")).to_arrow_table()
    if table.num_rows:
        write_decisions(path, table)
    return table.num_rows


def record(con: duckdb.DuckDBPyConnection, path: Path, decision: Decision) -> dict[str, object]:
    """Record one decision on one failed check of one report (replacing an earlier decision on
    it) in the warehouse and in the file. Returns the check it applies to."""
    if decision.decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {DECISIONS}, not {decision.decision!r}")
    if decision.decision == DISMISSED and not (decision.note or "").strip():
        raise ReviewError("a dismissal needs a note saying what the parser got wrong")
    cursor = con.execute(
        load_sql("select_reviewable_checks"),
        {
            "report": decision.report,
            "rule_id": decision.rule_id,
            "row_key": decision.row_key,
            "column_key": decision.column_key,
        },
    )
    columns = [column[0] for column in cursor.description]
    checks = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    if not checks:
        raise ReviewError(
            f"no failed check {decision.rule_id!r} in report {decision.report!r} "
            "(see `govreports flags --warnings` or `govreports show`)"
        )
    if len(checks) > 1:
        cells = ", ".join(f"--row {c['row_key']} --column {c['column_key']}" for c in checks)
        raise ReviewError(f"{decision.rule_id!r} failed in several cells; name one: {cells}")
    (check,) = checks
    row = {
        "source_sha256": check["source_sha256"],
        "source_path": check["source_path"],
        "rule_id": check["rule_id"],
        "row_key": check["row_key"],
        "column_key": check["column_key"],
        "decision": decision.decision,
        "note": (decision.note or "").strip() or None,
        "reviewer": decision.reviewer,
        "decided_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if path.is_file():  # decisions recorded elsewhere since the last run are kept
        sync_decisions(con, path)
    with staged(con, {"review_decisions": pa.Table.from_pylist([row], schema=REVIEWS_SCHEMA)}):
        run_in_transaction(con, RECORD_STATEMENTS)
    write_decisions(path, con.sql(load_sql("select_review_decisions")).to_arrow_table())
    return check


def read_decisions(path: Path) -> pa.Table:
    """The decisions file (UTF-8 CSV, header row; an empty field is NULL)."""
    options = pacsv.ConvertOptions(
        column_types=REVIEWS_SCHEMA, strings_can_be_null=True, include_columns=REVIEWS_SCHEMA.names
    )
    table = pacsv.read_csv(path, convert_options=options)
    return table.select(REVIEWS_SCHEMA.names).cast(REVIEWS_SCHEMA)


def write_decisions(path: Path, table: pa.Table) -> None:
    """Write the decisions file whole (to a temporary file first, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    pacsv.write_csv(table.select(REVIEWS_SCHEMA.names).cast(REVIEWS_SCHEMA), temporary)
    temporary.replace(path)
