"""One run, stage by stage: plan, parse (in shards), load, check, publish (no Dagster).

Each stage is a function of the run's plan, found on disk by run id, so the stages can run in
one process, in separate processes (Dagster's multiprocess executor) or on other machines
sharing the warehouse folder (a Dask cluster). What passes between stages is files: the plan
and the parsed chunks as Parquet under ``<warehouse>.state/runs/<run id>/``, the loaded and
checked increment in the standby DuckDB file. See ``pipeline.store`` for the buffers.

A run with nothing new, changed or removed stops after the plan: it reads no file, writes
nothing and publishes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import warehouse
from pipeline.export import (
    GENERATIONS_DIR,
    export_generation,
    install_generation,
    remove_old_generations,
)
from pipeline.increment import (
    KNOWN_SCHEMA,
    PARSED_DIR,
    Listing,
    parse_shard,
    plan_increment,
    read_removed,
    write_plan,
)
from pipeline.ingest import scan_raw_dir
from pipeline.parsing.model import PARSER_VERSION
from pipeline.quality import CHECKS_PARTS, QUEUE_FILE, QualityOutcome, check_pending
from pipeline.quality.checks import WRITE_STATEMENTS
from pipeline.quality.validation import start_validation_process
from pipeline.settings import (
    CHECK_CHUNK_REPORTS,
    EXPECTATIONS_DIR,
    SQL_DIR,
    dashboard_path,
    data_docs_dir,
    executor_name,
    export_dir,
)
from pipeline.sql import load_sql
from pipeline.store import Store
from pipeline.warehouse import REMOVED_SCHEMA, run_in_transaction, staged

META_FILE = "meta.json"
CHECKS_DIR = "checks"
DOCS_DIR = "data_docs"
DASHBOARD_FILE = "dashboard.html"
PUBLISHED_FILE = "published.json"


@dataclass(frozen=True)
class RunPlan:
    """What a run does; written to ``meta.json`` in the run folder, read by every stage."""

    run_id: str
    warehouse: str
    raw_dir: str
    seq: int  # the number this run gets when it publishes
    run_at: str  # ISO time: ingested_at of what it loads
    current_year: int
    shards: int
    checks_version: str
    check_all: bool
    listing: Listing

    @property
    def has_changes(self) -> bool:
        return bool(self.listing.files_to_read or self.listing.files_removed or self.check_all)

    @property
    def store(self) -> Store:
        return Store(self.warehouse)

    @property
    def run_dir(self) -> Path:
        return self.store.run_dir(self.run_id)

    @property
    def run_time(self) -> datetime:
        return datetime.fromisoformat(self.run_at)

    def runs_row(self) -> dict[str, object]:
        """The ``runs`` row's values (sql/insert_runs.sql)."""
        listing = self.listing
        return {
            "seq": self.seq,
            "run_id": self.run_id,
            "parser_version": PARSER_VERSION,
            "checks_version": self.checks_version,
            "files_seen": listing.files_seen,
            "files_new": listing.files_new,
            "files_changed": listing.files_changed,
            "files_removed": listing.files_removed,
        }


def checks_version(current_year: int) -> str:
    """Changes when a rule can give another verdict: the suites, the SQL that reconciles, the
    year the structure suite bounds years by. Another version re-checks every report."""
    digest = hashlib.sha256(str(current_year).encode())
    sources = sorted(EXPECTATIONS_DIR.glob("*.json"))
    sources += sorted(SQL_DIR.glob("view_*.sql")) + sorted(SQL_DIR.glob("select_reconcile_*.sql"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# ---- stages ----


def plan_run(
    raw_dir: str | Path,
    warehouse_path: str | Path,
    run_id: str,
    *,
    shards: int,
    current_year: int | None = None,
) -> RunPlan:
    """List the raw dir, compare it with the published manifest, write the plan."""
    store = Store(warehouse_path)
    year = current_year or date.today().year
    published = store.published_file()
    known = pl.DataFrame(schema=KNOWN_SCHEMA)
    last_seq, last_checks, has_reports = 0, None, False
    if published is not None:
        with closing(duckdb.connect(str(published), read_only=True)) as con:
            known, (last_seq, last_checks), has_reports = _published_state(con)
    scan = scan_raw_dir(raw_dir)
    plan, removed, listing = plan_increment(scan, known, shards=shards)
    version = checks_version(year)
    plan_info = RunPlan(
        run_id=run_id,
        warehouse=str(warehouse_path),
        raw_dir=str(raw_dir),
        seq=last_seq + 1,
        run_at=datetime.now(UTC).isoformat(),
        current_year=year,
        shards=shards,
        checks_version=version,
        check_all=has_reports and last_checks != version,
        listing=listing,
    )
    run_dir = store.run_dir(run_id)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    write_plan(run_dir, plan, removed)
    (run_dir / META_FILE).write_text(json.dumps(asdict(plan_info), indent=1), encoding="utf-8")
    return plan_info


def _published_state(
    con: duckdb.DuckDBPyConnection,
) -> tuple[pl.DataFrame, tuple[int, str | None], bool]:
    tables = {row[0] for row in con.execute(load_sql("select_table_names")).fetchall()}
    known = pl.DataFrame(schema=KNOWN_SCHEMA)
    if "source_files" in tables:
        known = pl.from_arrow(warehouse.fetch_arrow(con, "select_known_files"))
        known = known.cast(KNOWN_SCHEMA)  # type: ignore[union-attr]
    last: tuple[int, str | None] = (0, None)
    if "runs" in tables:
        rows = con.execute(load_sql("select_last_run")).fetchall()
        last = (int(rows[0][0]), rows[0][1]) if rows else last
    has_reports = "reports" in tables and bool(
        con.execute(load_sql("select_any_report")).fetchall()
    )
    return known, last, has_reports  # type: ignore[return-value]


def load_plan(warehouse_path: str | Path, run_id: str) -> RunPlan:
    meta = json.loads((Store(warehouse_path).run_dir(run_id) / META_FILE).read_text("utf-8"))
    meta["listing"] = Listing(**meta["listing"])
    return RunPlan(**meta)


def parse_run_shard(plan: RunPlan, shard: int, workers: int) -> Counter[str]:
    """Parse this shard's files into Parquet parts (nothing when the shard is empty).

    When the steps run in this one process, Great Expectations' process is started too: it
    imports Great Expectations (seconds) for the check step while the pool parses."""
    if not plan.listing.files_to_read:
        return Counter()
    if executor_name() == "in_process":
        start_validation_process()
    return parse_shard(
        Path(plan.raw_dir),
        plan.run_dir,
        shard,
        workers=workers,
        current_year=plan.current_year,
        ingested_at=plan.run_time,
    )


def load_run(plan: RunPlan) -> dict[str, object]:
    """Bring the standby to the published state, load the increment into it (one transaction).

    Returns warehouse counts and how the standby was prepared."""
    if not plan.has_changes:
        return {**published_summary(plan.warehouse), "standby": "untouched"}
    con, how = plan.store.prepare_standby(warehouse.connect)
    with closing(con):
        warehouse.ensure_schema(con)
        warehouse.load_parquet(
            con,
            plan.run_dir / PARSED_DIR,
            _removed(plan.run_dir),
            run_at=plan.run_time,
            check_all=plan.check_all,
            run=plan.runs_row(),
        )
        counts = warehouse.summary(con)
    return {**counts, "standby": how}


def check_run(plan: RunPlan, chunk_reports: int = CHECK_CHUNK_REPORTS) -> QualityOutcome | None:
    """Check what the load queued, in the standby; keep the checks for the other buffer.

    Data Docs and the dashboard are written into the run folder; publishing installs them.
    None when the run has nothing to do."""
    if not plan.has_changes:
        return None
    run_dir = plan.run_dir
    with closing(warehouse.connect(plan.store.standby_file())) as con:
        outcome = check_pending(
            con,
            data_docs_dir=run_dir / DOCS_DIR,
            dashboard=run_dir / DASHBOARD_FILE,
            current_year=plan.current_year,
            chunk_reports=chunk_reports,
            save_dir=run_dir / CHECKS_DIR,
        )
        run_in_transaction(
            con,
            ["update_runs_complete"],
            {"seq": plan.seq, "reports_checked": outcome.checked_reports},
        )
    return outcome


def publish_run(plan: RunPlan) -> dict[str, object]:
    """Make the checked standby what readers open; install its dashboard, docs and export."""
    store = plan.store
    if not plan.has_changes:
        shutil.rmtree(plan.run_dir, ignore_errors=True)
        repaired = repair_published_files(plan.warehouse)
        return {"published": False, "seq": plan.seq - 1, "repaired": repaired}
    standby = store.standby_slot()
    path = Path(plan.warehouse)
    previous_export = export_dir(path).resolve()
    with closing(warehouse.connect(store.slots[standby])) as con:
        generation, export = export_generation(con, path, store.state, plan.seq)
        run_in_transaction(con, ["delete_export_pending"])
        con.execute(load_sql("checkpoint"))
    delta = store.keep_delta(plan.run_dir, plan.seq)
    store.publish()
    install_published_files(path, delta, plan.seq)
    install_generation(path, generation)
    remove_old_generations(store.state, keep={generation, previous_export})
    store.clean()
    return {"published": True, "seq": plan.seq, "slot": standby, **export}


# ---- replaying an increment into the other buffer ----


def replay_delta(con: duckdb.DuckDBPyConnection, delta: Path) -> None:
    """Apply a published run's increment to a buffer one run behind: the same load, then the
    checks it wrote (no validation again), then the run marked complete."""
    meta = json.loads((delta / META_FILE).read_text("utf-8"))
    meta["listing"] = Listing(**meta["listing"])
    plan = RunPlan(**meta)
    warehouse.ensure_schema(con)
    warehouse.load_parquet(
        con,
        delta / PARSED_DIR,
        _removed(delta),
        run_at=plan.run_time,
        check_all=plan.check_all,
        run=plan.runs_row(),
    )
    run_in_transaction(con, ["delete_export_pending"])  # the export is per run, not per buffer
    saved = delta / CHECKS_DIR
    parts = sorted((saved / CHECKS_PARTS).glob("*.parquet"))
    staged_checks = con.read_parquet([str(f) for f in parts]) if parts else _no_checks()
    queue = pq.read_table(saved / QUEUE_FILE) if (saved / QUEUE_FILE).exists() else _no_queue()
    with staged(con, {"checks": staged_checks, "check_batch": queue}):
        run_in_transaction(
            con,
            (
                "create_temp_check_batch_staged",
                *WRITE_STATEMENTS,
                "delete_pending_checks",
                "update_runs_complete",
            ),
            {"seq": plan.seq, "reports_checked": queue.num_rows},
        )
    run_in_transaction(con, ["drop_temp_check_batch"])


def _no_queue() -> pa.Table:
    return pa.table({"report_id": pa.array([], pa.string()), "scope": pa.array([], pa.string())})


def _no_checks() -> pa.Table:
    from pipeline.quality.checks import CHECKS_SCHEMA

    return pl.DataFrame(schema=CHECKS_SCHEMA).to_arrow()


def _removed(run_dir: Path) -> pa.Table:
    return read_removed(run_dir).to_arrow().cast(REMOVED_SCHEMA)


# ---- what readers see beside the warehouse ----


def published_summary(warehouse_path: str | Path) -> dict[str, int]:
    """:func:`pipeline.warehouse.summary` of the published file (zeros before any run)."""
    published = Store(warehouse_path).published_file()
    if published is None:
        return dict.fromkeys(("reports", "parsed", "partial", "failed", "facts", "issues"), 0)
    with closing(duckdb.connect(str(published), read_only=True)) as con:
        return warehouse.summary(con)


def repair_published_files(warehouse_path: str | Path) -> bool:
    """After a run killed between publishing and installing its dashboard, Data Docs and
    export: install them from what it kept. True when something was installed."""
    path = Path(warehouse_path)
    store = Store(path)
    seq = store.published_state().seq
    marker = store.state / PUBLISHED_FILE
    installed = json.loads(marker.read_text("utf-8"))["seq"] if marker.exists() else None
    if seq == 0 or installed == seq or not store.delta(seq).is_dir():
        return False
    generation = store.state / GENERATIONS_DIR / f"{seq:08d}"
    install_published_files(path, store.delta(seq), seq)
    if generation.is_dir():
        install_generation(path, generation)
    return True


def install_published_files(warehouse_path: str | Path, delta: Path, seq: int) -> None:
    """The published run's dashboard and Data Docs at their usual places beside the warehouse.

    The Data Docs folder is a link to the run's own (kept with its increment), replaced in one
    ``rename(2)``; the dashboard file is replaced the same way."""
    path = Path(warehouse_path)
    docs = data_docs_dir(path)
    if not (delta / DOCS_DIR).is_dir() and docs.is_symlink() and docs.resolve().is_dir():
        os.replace(docs.resolve(), delta / DOCS_DIR)  # nothing validated: the last docs stand
    if (delta / DOCS_DIR).is_dir():
        if docs.is_dir() and not docs.is_symlink():
            shutil.rmtree(docs)  # a folder written before runs were published atomically
        link = docs.with_name(f".{docs.name}.{os.getpid()}.link")
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(delta / DOCS_DIR, docs.parent), link)
        os.replace(link, docs)
    if (delta / DASHBOARD_FILE).is_file():
        board = dashboard_path(path)
        partial = board.with_name(f".{board.name}.{os.getpid()}.partial")
        shutil.copyfile(delta / DASHBOARD_FILE, partial)
        os.replace(partial, board)
    (Store(path).state / PUBLISHED_FILE).write_text(json.dumps({"seq": seq}), encoding="utf-8")


@contextmanager
def quality_totals(
    plan: RunPlan,
) -> Iterator[tuple[dict[str, int], dict[str, dict[str, object]]]]:
    """(dashboard totals, per-suite totals with ``examples``) of the warehouse this run leaves:
    the checked standby when it changed something, else the published file."""
    store = plan.store
    path = store.standby_file() if plan.has_changes else store.published_file()
    if path is None:
        yield dict.fromkeys(_TOTALS, 0), {}
        return
    with closing(duckdb.connect(str(path), read_only=True)) as con:
        cursor = con.execute(load_sql("select_quality_totals"))
        names = [column[0] for column in cursor.description]
        totals = dict(zip(names, cursor.fetchall()[0], strict=True))
        suites: dict[str, dict[str, object]] = {}
        cursor = con.execute(load_sql("select_suite_totals"))
        names = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            suites[str(values.pop("suite"))] = values | {"examples": []}
        examples = con.execute(load_sql("select_suite_examples"), {"limit": EXAMPLE_LIMIT})
        for suite, *example in examples.fetchall():
            suites[suite]["examples"].append(tuple(example))  # type: ignore[union-attr]
        yield totals, suites


_TOTALS = (
    "reports",
    "reports_read",
    "flagged_reports",
    "error_flags",
    "warned_reports",
    "warnings",
    "not_assessable_checks",
    "checks",
)
EXAMPLE_LIMIT = 10
