"""The same definitions on other executors: Dagster's multiprocess executor (each parse shard
in its own process) and a local Dask cluster (``dagster-dask``), run as an operator would
(``govreports run`` in a subprocess), give the warehouse the in-process run gives."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from bench.report_generator import generate_corpus
from pipeline.settings import EXECUTOR_ENV, SHARDS_ENV, WORKERS_ENV
from tests.conftest import warehouse_contents

pytestmark = pytest.mark.dagster


def govreports_run(raw: Path, warehouse: Path, executor: str, home: Path) -> None:
    env = os.environ | {
        EXECUTOR_ENV: executor,
        SHARDS_ENV: "2",
        WORKERS_ENV: "2",
        "DAGSTER_HOME": str(home),
    }
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").touch()
    command = [
        sys.executable,
        "-c",
        "from pipeline.cli import app; app()",
        "run",
        "--raw-dir",
        str(raw),
        "--warehouse",
        str(warehouse),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "govreports run complete" in done.stdout


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory, run_pipeline):
    """A generated corpus (some reports broken) and the in-process run's warehouse."""
    folder = tmp_path_factory.mktemp("scale_out")
    raw = folder / "raw"
    raw.mkdir()
    for report in generate_corpus(15, seed=3, injected_share=0.3):
        (raw / report.name).write_bytes(report.data())
    reference = folder / "in_process" / "govreports.duckdb"
    assert run_pipeline(raw, reference, workers=2).success
    return raw, warehouse_contents(reference)


@pytest.mark.parametrize("executor", ["multiprocess", "dask"])
def test_the_sharded_job_on_another_executor_gives_the_same_warehouse(
    executor, corpus_and_reference, tmp_path
):
    raw, reference = corpus_and_reference
    warehouse = tmp_path / executor / "govreports.duckdb"

    govreports_run(raw, warehouse, executor, tmp_path / "dagster_home")

    assert warehouse_contents(warehouse) == reference
    assert reference["report_flags"]  # the corpus has broken reports: flags compared too
    export = warehouse.parent / "export" / "facts"
    with closing(duckdb.connect()) as con:
        (count,) = con.execute(
            "select count(*) from read_parquet($files, hive_partitioning = true)",
            {"files": str(export / "*" / "*.parquet")},
        ).fetchone()
    assert count == len(reference["facts"])
