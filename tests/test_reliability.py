"""Runs that are killed, runs that meet another run, workers whose parent dies: real
subprocesses, real signals. A kill at any stage leaves readers the previous complete warehouse,
and the next run finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import duckdb
import psutil
import pytest

from bench.report_generator import generate_corpus
from pipeline.settings import WORKERS_ENV, state_dir

pytestmark = pytest.mark.dagster

CLI = [sys.executable, "-c", "from pipeline.cli import app; app()", "run"]
STATE_SQL = """
select
    (select max(seq) from runs where state = 'complete'),
    (select count(*) from reports),
    (select count(*) from facts),
    (select count(*) from checks),
    (select count(*) from report_flags)
"""
# Holds the warehouse's writer lock until its stdin closes.
LOCK_HOLDER = """
import sys
from pipeline.store import acquire_writer_lock
acquire_writer_lock(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
"""


def state(warehouse: Path) -> tuple:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        return tuple(con.execute(STATE_SQL).fetchone())


def write_reports(raw: Path, reports) -> None:
    raw.mkdir(exist_ok=True)
    for report in reports:
        (raw / report.name).write_bytes(report.data())


def cli(raw: Path, warehouse: Path, *extra: str) -> subprocess.Popen:
    command = [*CLI, "--raw-dir", str(raw), "--warehouse", str(warehouse), *extra]
    env = os.environ | {WORKERS_ENV: "2"}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_a_second_run_exits_at_once_in_one_line_naming_the_holder(seed_raw_dir, tmp_path):
    warehouse = tmp_path / "wh" / "govreports.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        second = cli(seed_raw_dir, warehouse)
        output = second.communicate(timeout=120)[0].decode()

        assert second.returncode == 75
        assert time.monotonic() - started < 30  # before parsing anything
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1, output
        assert f"being written by process {holder.pid}" in lines[0]
        assert not warehouse.exists()

        waiting = cli(seed_raw_dir, warehouse, "--wait", "120")
        time.sleep(2)
        assert waiting.poll() is None  # still waiting for the lock
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert waiting.wait(timeout=300) == 0, waiting.stdout.read().decode()
    assert state(warehouse)[1] == 5


def test_pool_workers_die_when_their_parent_is_killed(tmp_path):
    raw = tmp_path / "raw"
    write_reports(raw, generate_corpus(300, seed=1, injected_share=0.0))
    script = f"""
from datetime import UTC, datetime
from pathlib import Path
import polars as pl
from pipeline.increment import KNOWN_SCHEMA, parse_shard, plan_increment, write_plan
from pipeline.ingest import scan_raw_dir
if __name__ == "__main__":
    run = Path({str(tmp_path / "run")!r})
    plan, removed, _ = plan_increment(
        scan_raw_dir({str(raw)!r}), pl.DataFrame(schema=KNOWN_SCHEMA), shards=1
    )
    write_plan(run, plan, removed)
    parse_shard(Path({str(raw)!r}), run, 0, workers=2, current_year=2025,
                ingested_at=datetime.now(UTC), chunk_files=20)
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while len(children) < 2 and time.monotonic() < deadline:  # the pool's two workers started
        children = psutil.Process(parent.pid).children()
        time.sleep(0.1)
    assert parent.poll() is None and len(children) >= 2

    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)

    _, alive = psutil.wait_procs(children, timeout=15)
    assert alive == []


# Where each stage leaves a trace in the run's folder, to kill the run there.
STAGE_MARKERS = {
    "parse": "runs/*/parsed/facts/*.parquet",
    "check": "runs/*/data_docs",
    "publish": "export/00000002",
}


@pytest.mark.parametrize("stage", list(STAGE_MARKERS))
def test_a_run_killed_at_any_stage_publishes_nothing_and_the_next_run_finishes(
    stage, tmp_path, run_pipeline
):
    corpus = generate_corpus(150, seed=9, injected_share=0.2)
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "govreports.duckdb"
    write_reports(raw, corpus[:100])
    assert run_pipeline(raw, warehouse).success
    before = state(warehouse)
    write_reports(raw, corpus[100:])
    reference = tmp_path / "reference" / "govreports.duckdb"
    assert run_pipeline(raw, reference).success

    run = cli(raw, warehouse)
    marker = STAGE_MARKERS[stage]
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        if list(state_dir(warehouse).glob(marker)):
            break
        time.sleep(0.005)
    for process in [psutil.Process(run.pid), *psutil.Process(run.pid).children(recursive=True)]:
        try:
            process.send_signal(signal.SIGKILL)  # the whole tree: as a power loss would
        except psutil.NoSuchProcess:
            pass
    run.wait(timeout=30)

    # readers see the previous run complete, or (killed after publishing) the new one
    assert state(warehouse) in {before, state(reference)}
    assert run_pipeline(raw, warehouse).success
    assert state(warehouse)[1:] == state(reference)[1:]
