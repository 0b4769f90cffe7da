"""What a run has to read, and reading it in bounded chunks into Parquet (no Dagster).

A file is known by its content hash. The warehouse keeps a manifest (``source_files``: path,
size, mtime_ns, sha256, the report version it holds, the parser version that read it). A run
compares the raw dir's listing with it:

- **unchanged** — same size and mtime, read by the current parser: costs a ``stat``, nothing
  more;
- **new** / **changed** — read, hashed and, unless the hash is the one already known (a file
  touched but not changed), parsed;
- **removed** — known but no longer listed: marked removed in the manifest, its report kept.

The files to read are split into ``shards`` (contiguous ranges of the sorted paths), and each
shard is parsed in chunks of ``PARSE_CHUNK_FILES`` files over a process pool: each worker writes
its chunk as Parquet (one file per staged table) and returns only counts, so no process ever
holds more than a chunk per worker, whatever the number of files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.ingest import parse_file, read_raw_file
from pipeline.parsing import parse
from pipeline.parsing.model import PARSER_VERSION, ParsedReport
from pipeline.processes import worker_pool
from pipeline.settings import PARSE_CHUNK_FILES
from pipeline.warehouse import STAGED_SCHEMAS, reports_to_arrow

KNOWN_SCHEMA = {
    "source_path": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "sha256": pl.String,
    "parser_version": pl.String,
    "is_removed": pl.Boolean,
}
PLAN_SCHEMA = {
    "source_path": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "known_sha256": pl.String,
    "known_parser_version": pl.String,
    "shard": pl.Int32,
}
PLAN_FILE = "plan.parquet"
REMOVED_FILE = "removed.parquet"
PARSED_DIR = "parsed"
CHUNKS_PER_SHARD = 100_000


@dataclass(frozen=True)
class Listing:
    """How the raw dir compares with the manifest."""

    files_seen: int
    files_new: int
    files_changed: int
    files_unchanged: int
    files_removed: int

    @property
    def files_to_read(self) -> int:
        return self.files_new + self.files_changed


def plan_increment(
    scan: pl.DataFrame, known: pl.DataFrame, *, shards: int, parser_version: str = PARSER_VERSION
) -> tuple[pl.DataFrame, pl.DataFrame, Listing]:
    """(files to read with their shard, paths removed, counts) from a listing and the manifest.

    ``scan`` is :func:`pipeline.ingest.scan_raw_dir`'s listing, ``known`` the manifest
    (``KNOWN_SCHEMA``). A file is re-read when its size or mtime differ, when it was marked
    removed, when it could not be read last time (no hash) or when another parser version
    read it.
    """
    known = known.with_columns(pl.lit(True).alias("is_known"))
    joined = scan.join(known, on="source_path", how="left", suffix="_known")
    is_new = pl.col("is_known").is_null()
    unchanged = (
        (pl.col("size") == pl.col("size_known"))
        & (pl.col("mtime_ns") == pl.col("mtime_ns_known"))
        & pl.col("sha256").is_not_null()
        & (pl.col("parser_version") == parser_version)
        & ~pl.col("is_removed").fill_null(False)
    ).fill_null(False)
    joined = joined.with_columns(is_new.alias("is_new"), unchanged.alias("is_unchanged"))
    to_read = joined.filter(~pl.col("is_unchanged")).sort("source_path")
    n = to_read.height
    plan = to_read.select(
        "source_path",
        "size",
        "mtime_ns",
        pl.col("sha256").alias("known_sha256"),
        pl.col("parser_version").alias("known_parser_version"),
        (pl.int_range(n, dtype=pl.Int64) * shards // max(n, 1)).cast(pl.Int32).alias("shard"),
    )
    removed = (
        known.filter(~pl.col("is_removed").fill_null(False))
        .join(scan.select("source_path"), on="source_path", how="anti")
        .select("source_path")
        .sort("source_path")
    )
    new = int(joined["is_new"].sum())
    listing = Listing(
        files_seen=scan.height,
        files_new=new,
        files_changed=n - new,
        files_unchanged=scan.height - n,
        files_removed=removed.height,
    )
    return plan, removed, listing


def write_plan(run_dir: Path, plan: pl.DataFrame, removed: pl.DataFrame) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    plan.write_parquet(run_dir / PLAN_FILE)
    removed.write_parquet(run_dir / REMOVED_FILE)


def read_plan_shard(run_dir: Path, shard: int) -> pl.DataFrame:
    plan = pl.read_parquet(run_dir / PLAN_FILE)
    return plan.filter(pl.col("shard") == shard)


def read_removed(run_dir: Path) -> pl.DataFrame:
    path = run_dir / REMOVED_FILE
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema={"source_path": str})


@dataclass(frozen=True)
class ChunkTask:
    raw_dir: str
    out_dir: str
    shard: int
    chunk: int
    rows: list[tuple[str, int, int, str | None, str | None]]  # path, size, mtime, known sha/parser
    current_year: int
    ingested_at: datetime


def parse_shard(
    raw_dir: Path,
    run_dir: Path,
    shard: int,
    *,
    workers: int,
    current_year: int,
    ingested_at: datetime,
    chunk_files: int = PARSE_CHUNK_FILES,
) -> Counter[str]:
    """Read and parse this shard's files of the plan; write Parquet parts; return counts.

    Parts go to ``<run_dir>/parsed/<table>/<shard>-<chunk>.parquet``. Parts a failed earlier
    attempt of the same shard left behind are removed first, so a retried shard is idempotent.
    """
    plan = read_plan_shard(run_dir, shard)
    out_dir = run_dir / PARSED_DIR
    for table in STAGED_SCHEMAS:
        (out_dir / table).mkdir(parents=True, exist_ok=True)
        for stale in (out_dir / table).glob(f"{shard:04d}-*.parquet"):
            stale.unlink()
    rows = plan.select(
        "source_path", "size", "mtime_ns", "known_sha256", "known_parser_version"
    ).rows()
    size = balanced_chunk_size(len(rows), chunk_files, workers)
    tasks = [
        ChunkTask(
            str(raw_dir),
            str(out_dir),
            shard,
            index,
            rows[start : start + size],
            current_year,
            ingested_at,
        )
        for index, start in enumerate(range(0, len(rows), size))
    ]
    totals: Counter[str] = Counter()
    for counts in _run_tasks(tasks, workers):
        totals.update(counts)
    return totals


def balanced_chunk_size(files: int, chunk_files: int, workers: int) -> int:
    """At most ``chunk_files`` files a chunk, and as many chunks as a multiple of ``workers``:
    no worker is left idle while another parses a last full chunk (500 files on two workers
    are two chunks of 250, not 400 and 100). Up to ``chunk_files`` files are one chunk."""
    if files <= chunk_files or workers <= 1:
        return chunk_files
    chunks = -(-files // chunk_files)
    chunks += -chunks % workers
    return -(-files // chunks)


def _run_tasks(tasks: list[ChunkTask], workers: int) -> Iterator[Counter[str]]:
    """Each task's counts; over a pool when worthwhile. At most ``2 * workers`` tasks in flight
    (each holds its file list only), so memory does not grow with the number of files."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield parse_chunk(task)
        return
    with worker_pool(min(workers, len(tasks))) as pool:
        pending: set[Future[Counter[str]]] = set()
        queue = iter(tasks)
        for task in queue:
            pending.add(pool.submit(parse_chunk, task))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
                task = next(queue, None)
                if task is not None:
                    pending.add(pool.submit(parse_chunk, task))


def parse_chunk(task: ChunkTask) -> Counter[str]:
    """One chunk: read each file, skip the parse when its hash is already known with this
    parser version (touched, not changed), parse the others, write the chunk as Parquet."""
    with _collector_paused():
        return _parse_chunk(task)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a chunk is parsed, one collection after.

    The parser allocates millions of objects that reference counting frees; the collector would
    walk the chunk's live reports again and again (a fifth of the parse time). What a chunk
    leaves in cycles is collected once it is done, so memory stays bounded by the chunk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)  # what the chunk allocated is all still in the youngest generation


def _parse_chunk(task: ChunkTask) -> Counter[str]:
    root = Path(task.raw_dir)
    counts: Counter[str] = Counter()
    parsed: list[tuple[str, ParsedReport]] = []
    touched: list[tuple[str, str]] = []  # (path, sha256) of files whose content is known
    stats = {}
    for source_path, size, mtime_ns, known_sha256, known_parser in task.rows:
        stats[source_path] = (size, mtime_ns)
        try:
            data = read_raw_file(root, source_path)
        except OSError:  # recorded as an unreadable report (the read is tried once more)
            report = parse_file(root, source_path, task.current_year)
        else:
            digest = hashlib.sha256(data).hexdigest()
            if digest == known_sha256 and known_parser == PARSER_VERSION:
                touched.append((source_path, digest))
                counts["files_touched"] += 1
                continue
            # never raises: a parser bug becomes a parser_error issue
            report = parse(data, source_path, current_year=task.current_year)
        parsed.append((source_path, report))
        counts[f"status_{report.parse_status}"] += 1
        counts["files_parsed"] += 1
    tables = reports_to_arrow(parsed, ingested_at=task.ingested_at)
    tables["sources"] = _sources(tables["sources"], touched, stats)
    counts["reports"] += tables["reports"].num_rows
    counts["facts"] += tables["facts"].num_rows
    counts["issues"] += tables["parse_issues"].num_rows
    name = f"{task.shard:04d}-{task.chunk:05d}.parquet"
    part = task.shard * CHUNKS_PER_SHARD + task.chunk  # unique in the run: duplicates by it
    for table, data in tables.items():
        chunk = pa.array([part] * data.num_rows, type=pa.int32())
        staged = data.append_column(pa.field("chunk", pa.int32(), nullable=False), chunk)
        target = Path(task.out_dir) / table / name
        partial = target.with_name(f".{target.name}.partial")
        pq.write_table(staged, partial)
        partial.rename(target)
    return counts


def _sources(
    parsed: pa.Table, touched: list[tuple[str, str]], stats: dict[str, tuple[int, int]]
) -> pa.Table:
    """The chunk's manifest rows: every file read, parsed or only touched, with size and mtime."""
    rows = parsed.to_pylist()
    for source_path, digest in touched:
        report = ParsedReport(source_path, digest, 0)
        rows.append(
            {
                "source_path": source_path,
                "report_id": report.report_id,
                "sha256": digest,
                "parser_version": PARSER_VERSION,
            }
        )
    for row in rows:
        row["size"], row["mtime_ns"] = stats[row["source_path"]]
    return pa.Table.from_pylist(rows, schema=STAGED_SCHEMAS["sources"])
