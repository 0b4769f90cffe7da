"""Run the real Dagster job on generated reports in a temporary folder (for the bench scripts)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import duckdb

from bench.report_generator import GeneratedReport
from pipeline.cli import execute_pipeline
from pipeline.settings import Settings


@contextmanager
def warehouse_of(
    corpus: Sequence[GeneratedReport], workers: int = 2
) -> Iterator[tuple[duckdb.DuckDBPyConnection, float]]:
    """Write the corpus, run ``govreports_job`` on it; yield a read-only connection and seconds."""
    with warehouse_of_files([(r.name, r.data()) for r in corpus], workers) as result:
        yield result


@contextmanager
def warehouse_of_files(
    files: Sequence[tuple[str, bytes]], workers: int = 2
) -> Iterator[tuple[duckdb.DuckDBPyConnection, float]]:
    """Write (name, bytes) files to a raw dir, run the job; yield a connection and seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for name, data in files:
            (raw / name).write_bytes(data)
        warehouse = Path(tmp) / "wh.duckdb"
        start = time.perf_counter()
        result = execute_pipeline(Settings(raw_dir=raw, warehouse=warehouse, workers=workers))
        elapsed = time.perf_counter() - start
        if not result.success:
            sys.exit("pipeline failed")
        with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
            yield con, elapsed
