"""Data quality: reconcile reports (SQL), let Great Expectations decide, publish the results.

A plain library (no Dagster)::

    with closing(connect(warehouse)) as con:
        outcome = assess(con, data_docs_dir=..., dashboard=...)        # every report
        outcome = check_pending(con, data_docs_dir=..., dashboard=...)  # what a load changed

``assess`` queues every report, ``check_pending`` what a load changed. Both rebuild
``agencies``/``agency_names`` from ``reports`` and reload the reviewers' decisions
(``review_decisions.csv`` beside the warehouse unless ``reviews`` says otherwise), read the
``reconcile_*`` views for a chunk of reports at a time, validate them with the suites in
``expectations/`` (one checkpoint run per chunk), replace those reports' ``checks`` and
``report_flags`` rows, and render Data Docs, the dashboard and its CSV exports (``exports/``
beside it). A load queues in ``pending_checks`` the reports it loaded or superseded and their
agency's neighbouring years (cross-year rules only), so a nightly increment checks only what it
can have changed.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.agencies import write_agencies
from pipeline.quality.checks import (
    CROSS_YEAR_FRAME,
    DELETE_STATEMENTS,
    FRAMES,
    FRAMES_PLAIN,
    check_rows,
    read_frames,
    write_checks,
)
from pipeline.quality.dashboard import (
    EXPORTS_DIRNAME,
    DashboardData,
    agency_warnings,
    dashboard_data,
    ranked_agencies,
    write_dashboard,
    write_exports,
)
from pipeline.quality.validation import (
    SuiteOutcome,
    Validator,
    load_suite_configs,
    merge_outcomes,
)
from pipeline.reviews import reviews_path, sync_decisions, warehouse_file
from pipeline.settings import (
    CHECK_CHUNK_REPORTS,
    CROSS_YEAR_PASS_CHUNKS,
    EXPECTATIONS_DIR,
)
from pipeline.sql import load_sql
from pipeline.warehouse import ensure_schema, fetch_arrow, run_in_transaction, staged

__all__ = ["QualityOutcome", "assess", "check_pending"]


@dataclass(frozen=True)
class QualityOutcome:
    suites: dict[str, SuiteOutcome]  # this validation's verdicts (empty when nothing to check)
    checked_reports: int
    checks_written: int
    dashboard: DashboardData
    data_docs_index: Path | None
    dashboard_path: Path | None


def assess(
    con: duckdb.DuckDBPyConnection,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    data_docs_dir: Path | None = None,
    dashboard: Path | None = None,
    current_year: int | None = None,
    reviews: Path | None = None,
    chunk_reports: int = CHECK_CHUNK_REPORTS,
) -> QualityOutcome:
    """Validate every report of the warehouse and replace its checks and flags."""
    run_in_transaction(con, ["queue_all_reports"])
    return check_pending(
        con,
        expectations_dir=expectations_dir,
        reviews=reviews,
        data_docs_dir=data_docs_dir,
        dashboard=dashboard,
        current_year=current_year,
        chunk_reports=chunk_reports,
    )


# Under ``save_dir``: the queue validated, and each chunk's check rows.
QUEUE_FILE = "queue.parquet"
CHECKS_PARTS = "parts"
# What the reconcile_* views read, copied per chunk into a small in-memory database.
CONTEXT = ("reports", "facts", "narrative_numbers", "agencies", "agency_names")


def chunk_frames(
    con: duckdb.DuckDBPyConnection,
    batch: pa.Table,
    cross_year: Path | None = None,
    scratch: duckdb.DuckDBPyConnection | None = None,
    docs: bool = False,
) -> dict[str, pa.Table]:
    """The ``reconcile_*`` frames of the reports of ``batch`` (a chunk of ``check_queue``).

    The same views compute them, in an in-memory database attached to the warehouse's
    (``check_scratch``) holding only the chunk's context: a chunk costs the same however
    large the warehouse. With ``cross_year`` (the chunk's folder of the whole queue's
    cross-year frame, :func:`write_cross_year`) the context is the chunk's own reports, their
    facts read from the range of rows the queue found them in; without, it also holds the
    previous-year reports they are compared with, found by a scan of every fact. Facts not all
    where the queue found them (the table was rewritten since) are read by a full scan. ``con``
    gets the temp tables ``check_batch`` and ``check_context``: give each thread its own
    cursor. ``scratch``: the cursor on the in-memory database (:func:`scratch_database`) to
    use, emptied first, not a new one (its schema costs ≈ 0.1 s). ``docs``: the frames as
    Data Docs show them (``FRAMES_PLAIN`` too with each row's file, agency and year, in
    order)."""
    with staged(con, {"check_batch": batch}):
        con.execute(load_sql("create_temp_check_batch_staged"))
    anywhere = {"first_row": None, "last_row": None}
    if cross_year is None:
        con.execute(load_sql("create_temp_check_context_linked"))
        where = anywhere
    else:
        con.execute(load_sql("create_temp_check_context"))
        checked = batch.filter(pc.equal(batch["scope"], "report"))
        where = {
            "first_row": pc.min(checked["first_fact_row"]).as_py(),
            "last_row": pc.max(checked["last_fact_row"]).as_py(),
        }
    with nullcontext(scratch) if scratch is not None else scratch_database(con) as scratch:
        run_in_transaction(scratch, [f"delete_check_context_{name}" for name in CONTEXT])
        scratch.execute(load_sql("checkpoint_check_scratch"))  # the last chunk's memory freed
        run_in_transaction(con, [f"insert_check_context_{name}" for name in CONTEXT], where)
        ((facts, cells),) = scratch.execute(load_sql("select_check_context_cells")).fetchall()
        if where is not anywhere and facts != cells:
            run_in_transaction(scratch, ["delete_check_context_facts"])
            run_in_transaction(con, ["insert_check_context_facts"], anywhere)
        with staged(scratch, {"check_batch": batch}):
            scratch.execute(load_sql("create_temp_check_batch_staged"))
        frames = read_frames(scratch, [name for name in FRAMES if name != CROSS_YEAR_FRAME])
        part = sorted(str(f) for f in cross_year.glob("*.parquet")) if cross_year else []
        if part:
            others = duckdb.StarExpression(exclude=["chunk"])
            pairs = scratch.read_parquet(part, hive_partitioning=True).select(others)
        else:  # computed here (no pass for the queue), or none in this chunk
            pairs = read_frames(scratch, [CROSS_YEAR_FRAME])[CROSS_YEAR_FRAME]
        with staged(scratch, {"cross_year": pairs}):
            frames[CROSS_YEAR_FRAME] = fetch_arrow(scratch, "select_staged_cross_year")
        for name in FRAMES_PLAIN if docs else ():
            with staged(scratch, {"frame": frames[name]}):
                frames[name] = fetch_arrow(scratch, "select_staged_frame_for_docs")
        return {name: frames[name] for name in FRAMES}


@contextmanager
def scratch_database(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on an in-memory database with the warehouse's schema, attached to ``con``'s
    (``check_scratch``), for :func:`chunk_frames`; detached after."""
    con.execute(load_sql("detach_check_scratch"))  # left by a run that died in this process
    con.execute(load_sql("attach_check_scratch"))
    try:
        with closing(con.cursor()) as scratch:
            scratch.execute(load_sql("use_check_scratch"))
            ensure_schema(scratch)
            yield scratch
    finally:
        con.execute(load_sql("detach_check_scratch"))


def write_cross_year(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """The cross-year frame of every report of the queue (``check_batch`` holds all of it), in
    one pass over the warehouse, as Parquet partitioned by chunk (``chunk=<n>/``).

    The rules compare a report with the previous year's of the same body, wherever it lies;
    computed once, no chunk needs those reports."""
    frame = con.sql(load_sql(f"select_{CROSS_YEAR_FRAME}"))
    queue = con.sql(load_sql("select_check_queue")).select("report_id", "chunk")
    frame.join(queue, "report_id").write_parquet(str(folder), partition_by=["chunk"])


def _validated_chunks(
    con: duckdb.DuckDBPyConnection,
    validator: Validator,
    chunks: int,
    cross_year: Path | None,
    first_frames_read: threading.Event,
) -> Iterator[tuple[int, dict[str, pa.Table], dict[str, SuiteOutcome]]]:
    """Each chunk's frames and verdicts, in order; ``first_frames_read`` set once the first
    chunk's frames are read.

    Three chunks are in flight: a thread computes the next chunk's frames (DuckDB, on its own
    cursor, in one in-memory database emptied for each chunk), Great Expectations validates
    this one (another thread waits on it), and the caller writes the previous chunk's checks.
    At most three chunks' frames are held."""
    with (
        closing(con.cursor()) as reader,
        scratch_database(con) as scratch,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="frames") as framing,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate") as validating,
    ):

        def frames_of(chunk: int) -> Future:
            batch = fetch_arrow(con, "select_check_queue_chunk", {"chunk": chunk})
            part = cross_year / f"chunk={chunk}" if cross_year is not None else None
            docs = chunk == 0 and validator.renders_docs  # Data Docs show the first chunk
            return framing.submit(chunk_frames, reader, batch, part, scratch, docs)

        next_frames = frames_of(0)
        validated: tuple[int, dict[str, pa.Table], Future] | None = None
        for chunk in range(chunks):
            frames = next_frames.result()
            first_frames_read.set()
            if chunk + 1 < chunks:
                next_frames = frames_of(chunk + 1)
            validating_now = (chunk, frames, validating.submit(validator.run, frames))
            if validated is not None:
                yield validated[0], validated[1], validated[2].result()
            validated = validating_now
        if validated is not None:
            yield validated[0], validated[1], validated[2].result()


def check_pending(
    con: duckdb.DuckDBPyConnection,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    data_docs_dir: Path | None = None,
    dashboard: Path | None = None,
    current_year: int | None = None,
    chunk_reports: int = CHECK_CHUNK_REPORTS,
    save_dir: Path | None = None,
    reviews: Path | None = None,
) -> QualityOutcome:
    """Validate the reports in ``pending_checks``, ``chunk_reports`` at a time.

    With ``save_dir``, each chunk's check rows are also written there as Parquet (the increment
    the other warehouse buffer replays without validating again)."""
    write_agencies(con)  # the cross-year rules compare the same body's reports
    warehouse = warehouse_file(con)
    if reviews is None and warehouse is not None:
        reviews = reviews_path(warehouse)
    if reviews is not None:
        sync_decisions(con, reviews)  # a rebuilt warehouse gets its reviewers' decisions back
    run_in_transaction(
        con,
        ["insert_pending_checks_linked", "create_temp_check_queue"],
        {"chunk_reports": chunk_reports},
    )
    ((chunks, reports),) = con.execute(load_sql("select_check_queue_chunks")).fetchall()
    if save_dir is not None:  # what the other buffer's replay replaces, exactly
        save_dir.mkdir(parents=True, exist_ok=True)
        pq.write_table(fetch_arrow(con, "select_check_queue"), save_dir / QUEUE_FILE)
    suites: dict[str, SuiteOutcome] = {}
    written = 0
    year = current_year or date.today().year
    # the dashboard's warnings that need no checks are read while the first chunk is validated
    # (Great Expectations holds one core, in Python): not beside its frames, also DuckDB's
    first_frames_read = threading.Event()
    with (
        closing(con.cursor()) as warnings_cursor,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="warnings") as warnings_reader,
    ):
        warnings = warnings_reader.submit(
            _read_when_set, first_frames_read, agency_warnings, warnings_cursor
        )
        try:
            if chunks:  # one pass over checks and flags for the whole queue, not one per chunk
                suites, written = _check_queue(
                    con, chunks, expectations_dir, year, data_docs_dir, save_dir, first_frames_read
                )
        finally:
            first_frames_read.set()
        run_in_transaction(
            con,
            [
                "delete_pending_checks",
                "drop_temp_check_batch",
                "drop_temp_check_queue",
            ],
        )
        agencies = ranked_agencies(con, warnings.result())  # the page's and CSV's
    data = dashboard_data(con, expectations_dir, agencies=agencies)
    docs_index = data_docs_dir / "index.html" if data_docs_dir and chunks else None
    if dashboard is not None:
        write_exports(con, dashboard.parent / EXPORTS_DIRNAME, agencies=agencies)
        write_dashboard(data, dashboard, docs_index)
    return QualityOutcome(suites, reports, written, data, docs_index, dashboard)


def _check_queue(
    con: duckdb.DuckDBPyConnection,
    chunks: int,
    expectations_dir: Path,
    year: int,
    data_docs_dir: Path | None,
    save_dir: Path | None,
    first_frames_read: threading.Event,
) -> tuple[dict[str, SuiteOutcome], int]:
    """Validate the ``chunks`` chunks of ``check_queue``; replace their checks and flags.

    Returns the merged verdicts and the number of check rows written."""
    run_in_transaction(con, ["create_temp_check_batch", *DELETE_STATEMENTS], {"chunk": None})
    configs = load_suite_configs(expectations_dir)
    suites: dict[str, SuiteOutcome] = {}
    written = 0
    # a long queue gets its cross-year frame in one pass, written to a folder of its own
    folder = (
        tempfile.TemporaryDirectory(prefix="govreports-cross-year-")
        if chunks > CROSS_YEAR_PASS_CHUNKS
        else nullcontext()
    )
    with (
        folder as cross_year,
        Validator(configs, current_year=year, data_docs_dir=data_docs_dir) as validator,
    ):
        frame = None
        if cross_year is not None:
            frame = Path(cross_year) / "frame"
            write_cross_year(con, frame)
        for chunk, frames, outcome in _validated_chunks(
            con, validator, chunks, frame, first_frames_read
        ):
            checks = check_rows(frames, outcome.values())
            del frames
            con.execute(load_sql("create_temp_check_batch"), {"chunk": chunk})
            write_checks(con, checks)
            if save_dir is not None:
                checks.write_parquet(save_dir / CHECKS_PARTS / f"{chunk:05d}.parquet", mkdir=True)
            written += checks.height
            suites = merge_outcomes(suites, outcome) if suites else outcome
    return suites, written


def _read_when_set(
    event: threading.Event,
    read: Callable[[duckdb.DuckDBPyConnection], pa.Table],
    cursor: duckdb.DuckDBPyConnection,
) -> pa.Table:
    event.wait()
    return read(cursor)
