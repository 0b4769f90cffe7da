"""Readers in other processes open the warehouse path read-only again and again while real
runs load, check and publish: none fails, none sees half a run, and a reader that keeps its
connection open across runs keeps its own consistent state without blocking the writer."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from bench.report_generator import generate_corpus, inject

pytestmark = pytest.mark.dagster

STATE_SQL = """
select
    (select max(seq) from runs where state = 'complete'),
    (select count(*) from runs where state <> 'complete'),
    (select count(*) from reports),
    (select count(*) from facts),
    (select count(*) from checks),
    (select count(*) from report_flags),
    (select count(*) from pending_checks)
"""

# Opens the path read-only, reads the state, closes; again until told to stop.
POLLING_READER = """
import json, os, sys, duckdb
path, out, stop, sql = sys.argv[1:5]
with open(out, "w") as log:
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                row = con.execute(sql).fetchone()
            finally:
                con.close()
            log.write(json.dumps({"state": list(row)}) + "\\n")
        except Exception as exc:
            log.write(json.dumps({"error": repr(exc)}) + "\\n")
        log.flush()
"""

# Keeps one connection open the whole time; reads its state at the start and at the end.
HOLDING_READER = """
import json, os, sys, time, duckdb
path, out, stop, sql = sys.argv[1:5]
con = duckdb.connect(path, read_only=True)
first = con.execute(sql).fetchone()
open(out + ".ready", "w").close()
while not os.path.exists(stop):
    time.sleep(0.05)
last = con.execute(sql).fetchone()
con.close()
with open(out, "w") as log:
    json.dump({"first": list(first), "last": list(last)}, log)
"""


def published_state(warehouse: Path) -> list:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        return list(con.execute(STATE_SQL).fetchone())


def start(script: str, warehouse: Path, out: Path, stop: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", script, str(warehouse), str(out), str(stop), STATE_SQL]
    return subprocess.Popen(command)


def test_readers_are_never_locked_out_and_never_see_half_a_run(tmp_path, run_pipeline):
    corpus = generate_corpus(40, seed=7, injected_share=0.2)
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "govreports.duckdb"
    raw.mkdir()
    for report in corpus[:50]:
        (raw / report.name).write_bytes(report.data())
    assert run_pipeline(raw, warehouse).success
    states = [published_state(warehouse)]
    stop = tmp_path / "stop"
    pollers = [
        (start(POLLING_READER, warehouse, tmp_path / f"poll{i}.jsonl", stop), i) for i in range(2)
    ]
    holder = start(HOLDING_READER, warehouse, tmp_path / "hold.json", stop)
    deadline = time.monotonic() + 60
    while not (tmp_path / "hold.json.ready").exists() and time.monotonic() < deadline:
        time.sleep(0.05)

    def nightly(change) -> None:
        change()
        assert run_pipeline(raw, warehouse).success
        states.append(published_state(warehouse))

    def add_reports() -> None:
        for report in corpus[50:]:
            (raw / report.name).write_bytes(report.data())

    def change_reports() -> None:
        for report in corpus[:6]:
            inject(random.Random(report.name), report, "balance")
            (raw / report.name).write_bytes(report.data() + b"\n")

    def remove_reports() -> None:
        for report in corpus[6:9]:
            (raw / report.name).unlink()

    try:
        nightly(add_reports)
        nightly(change_reports)
        nightly(lambda: None)  # nothing new: publishes nothing
        nightly(remove_reports)
    finally:
        stop.touch()
        for process, _ in pollers:
            process.wait(timeout=60)
        holder.wait(timeout=60)

    consistent = {tuple(state) for state in states}
    assert len(consistent) == 4  # four runs published; the run with nothing new did not
    for _, i in pollers:
        reads = [
            json.loads(line) for line in (tmp_path / f"poll{i}.jsonl").read_text().splitlines()
        ]
        assert len(reads) > 20
        assert [r for r in reads if "error" in r] == []
        seen = [tuple(r["state"]) for r in reads]
        assert set(seen) <= consistent
        assert [s[0] for s in seen] == sorted(s[0] for s in seen)  # runs only move forward
        assert len(set(seen)) >= 2  # the readers did read during the runs
    held = json.loads((tmp_path / "hold.json").read_text())
    assert held["first"] == held["last"] == states[0]
