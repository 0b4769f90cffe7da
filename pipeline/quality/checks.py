"""Reconciliation frames out of DuckDB, and ``checks`` / ``report_flags`` back in.

A check row's status comes from the Great Expectations result: ``failed`` when the row is in
the expectation's unexpected index, ``not_assessable`` when a value the expectation reads is
NULL (Great Expectations skips those rows), ``passed`` otherwise. An expectation with a
``row_condition`` judges only the frame rows it selects; every row of such a frame must be
judged by some expectation (a rule family added in SQL without its expectation is an error, not
a silent pass).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import polars as pl
import pyarrow as pa

from pipeline.quality.validation import (
    KEY_COLUMNS,
    ExpectationOutcome,
    SuiteOutcome,
    row_filter,
)
from pipeline.warehouse import fetch_arrow, run_in_transaction, staged

CROSS_YEAR_FRAME = "reconcile_cross_year"  # a report against the previous year's
# Frames read without the file, agency and year of each row, in no order: Data Docs add them
# (select_staged_frame_for_docs.sql). The others are small, or read with them once per queue.
FRAMES_PLAIN = ("reconcile_arithmetic", "reconcile_narrative")
FRAMES = (
    "reconcile_arithmetic",
    "reconcile_structure",
    CROSS_YEAR_FRAME,
    "reconcile_narrative",
    "reconcile_fees",
)
SEVERITIES = {"critical": "error", "warning": "warning", "info": "info"}
STATUS_PASSED, STATUS_FAILED, STATUS_NOT_ASSESSABLE = "passed", "failed", "not_assessable"

VALUE_TYPE = pl.Decimal(38, 6)
CHECKS_SCHEMA = {
    "report_id": pl.String,
    "suite": pl.String,
    "rule": pl.String,
    "rule_id": pl.String,
    "row_key": pl.String,
    "column_key": pl.String,
    "status": pl.String,
    "severity": pl.String,
    "expected": VALUE_TYPE,
    "actual": VALUE_TYPE,
}
# The reports of temp table check_batch: their checks and flags deleted (all of a queue's at
# once), then each chunk's inserted and no longer pending. Other reports' are untouched.
DELETE_STATEMENTS = ("delete_checks_batch", "delete_report_flags_batch")
INSERT_STATEMENTS = ("insert_checks", "insert_report_flags", "delete_pending_checks_batch")
WRITE_STATEMENTS = (*DELETE_STATEMENTS, *INSERT_STATEMENTS)


def read_frames(
    con: duckdb.DuckDBPyConnection, names: Sequence[str] = FRAMES
) -> dict[str, pa.Table]:
    """The ``reconcile_*`` views ``names`` as Arrow tables for the reports of ``check_batch``
    (all rules for scope ``report``, the cross-year rules for all); ``FRAMES_PLAIN`` in no
    order, the others in a stable one (but the cross-year frame's, made for a whole queue: see
    ``write_cross_year``)."""
    return {name: fetch_arrow(con, f"select_{name}") for name in names}


def check_rows(frames: dict[str, pa.Table], outcomes: Iterable[SuiteOutcome]) -> pl.DataFrame:
    """One check row per frame row and expectation, its status taken from the outcome."""
    parts = []
    for suite in outcomes:
        frame = pl.from_arrow(frames[suite.frame])  # once per suite, not per expectation
        filters = [row_filter(e.kwargs, e.meta) for e in suite.expectations]
        if filters and all(filters):
            _require_every_row_judged(frame, suite.name, filters)
        parts += [
            _expectation_checks(_rows_of(frame, where), suite.name, e)
            for e, where in zip(suite.expectations, filters, strict=True)
        ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=CHECKS_SCHEMA)


def _rows_of(frame: pl.DataFrame, where: tuple[str, object] | None) -> pl.DataFrame:
    if where is None:
        return frame
    column, value = where
    return frame.filter(pl.col(column) == value)


def _require_every_row_judged(
    frame: pl.DataFrame, suite: str, filters: list[tuple[str, object] | None]
) -> None:
    judged = pl.any_horizontal([pl.col(column) == value for column, value in filters])
    unjudged = frame.filter(~judged.fill_null(False))
    if unjudged.height:
        rules = sorted(unjudged["rule"].unique().to_list()) if "rule" in frame.columns else []
        raise ValueError(f"suite {suite!r} has no expectation for frame rows of rules {rules}")


def _expectation_checks(
    frame: pl.DataFrame, suite: str, expectation: ExpectationOutcome
) -> pl.DataFrame:
    meta = expectation.meta
    failed = pl.DataFrame(
        [{key: row[key] for key in KEY_COLUMNS} for row in expectation.unexpected_index],
        schema=dict.fromkeys(KEY_COLUMNS, pl.String),
    ).unique()
    checked = frame.join(
        failed.with_columns(pl.lit(True).alias("is_unexpected")),
        on=KEY_COLUMNS,
        how="left",
        nulls_equal=True,
    )
    skipped = [pl.col(column).is_null() for column in _columns_skipped_when_null(expectation)]
    status = (
        pl.when(pl.col("is_unexpected").fill_null(False))
        .then(pl.lit(STATUS_FAILED))
        .when(pl.any_horizontal(skipped) if skipped else pl.lit(False))
        .then(pl.lit(STATUS_NOT_ASSESSABLE))
        .otherwise(pl.lit(STATUS_PASSED))
    )
    return checked.select(
        pl.col("report_id"),
        pl.lit(suite).alias("suite"),
        (pl.col("rule") if "rule" in frame.columns else pl.lit(suite)).alias("rule"),
        (pl.lit(meta["rule_id"]) if "rule_id" in meta else pl.col("rule_id")).alias("rule_id"),
        pl.col("row_key"),
        pl.col("column_key"),
        status.alias("status"),
        pl.lit(SEVERITIES[expectation.severity]).alias("severity"),
        _value(meta, "expected").alias("expected"),
        _value(meta, "actual").alias("actual"),
    ).cast(CHECKS_SCHEMA)


def _value(meta: dict, side: str) -> pl.Expr:
    """The expected/actual number a check reports, as the suite's ``meta`` names it."""
    if f"{side}_column" in meta:
        return pl.col(meta[f"{side}_column"]).cast(VALUE_TYPE)
    return pl.lit(meta.get(f"{side}_value")).cast(VALUE_TYPE)


def _columns_skipped_when_null(expectation: ExpectationOutcome) -> list[str]:
    """Columns whose NULL makes Great Expectations skip a row for this expectation."""
    kwargs = expectation.kwargs
    if expectation.type == "expect_column_values_to_not_be_null":
        return []
    if "column_A" in kwargs:
        if kwargs.get("ignore_row_if") == "both_values_are_missing":
            raise ValueError("pair expectations must skip rows with either value missing")
        return [kwargs["column_A"], kwargs["column_B"]]
    return [kwargs["column"]] if "column" in kwargs else []


def write_checks(con: duckdb.DuckDBPyConnection, checks: pl.DataFrame) -> None:
    """Add the checks and flags of the ``check_batch`` reports (their earlier ones already
    deleted with ``DELETE_STATEMENTS``), in one transaction."""
    with staged(con, {"checks": checks.to_arrow()}):
        run_in_transaction(con, INSERT_STATEMENTS)
