"""The real Dagster job, in-process, from the seed reports into a tmp_path DuckDB."""

from __future__ import annotations

import random
import shutil
from contextlib import closing

import dagster as dg
import duckdb
import pytest

from pipeline.definitions import defs
from pipeline.settings import DEFAULT_RAW_DIR

pytestmark = pytest.mark.dagster


@pytest.fixture
def raw_dir(tmp_path):
    """The repo's seed reports plus one file of random bytes."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(DEFAULT_RAW_DIR.glob("*.txt")):
        shutil.copy(seed, raw / seed.name)
    (raw / "garbage.txt").write_bytes(random.Random(0).randbytes(4096))
    return raw


def run_job(raw_dir, warehouse) -> dg.ExecuteInProcessResult:
    job = defs().resolve_job_def("govreports_job")
    run_config = {
        "resources": {
            "raw_files": {"config": {"raw_dir": str(raw_dir), "workers": 1}},
            "warehouse": {"config": {"path": str(warehouse)}},
        }
    }
    return job.execute_in_process(run_config=run_config, instance=dg.DagsterInstance.ephemeral())


def test_job_loads_every_file_and_records_the_unreadable_one(raw_dir, tmp_path):
    warehouse = tmp_path / "warehouse" / "govreports.duckdb"

    result = run_job(raw_dir, warehouse)

    assert result.success
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        assert con.execute("select count(*) from reports").fetchall() == [(6,)]
        assert con.execute(
            "select parse_status, n_cells from reports where source_path = 'garbage.txt'"
        ).fetchall() == [("failed", 0)]
        assert con.execute(
            """
            select count(*) >= 1, bool_and(issues.report_id = reports.report_id)
            from parse_issues as issues
            join reports using (source_path)
            where source_path = 'garbage.txt' and severity = 'error'
            """
        ).fetchall() == [(True, True)]
        assert con.execute(
            "select count(*) from reports where parse_status in ('parsed', 'partial', 'failed')"
        ).fetchall() == [(6,)]


def test_materialization_metadata_names_the_counts(raw_dir, tmp_path):
    result = run_job(raw_dir, tmp_path / "wh.duckdb")

    parsed = result.asset_materializations_for_node("parsed_reports")[0].metadata
    loaded = result.asset_materializations_for_node("warehouse_tables")[0].metadata
    for counts in (parsed, loaded):
        assert {"reports", "parsed", "partial", "failed", "facts", "issues"} <= counts.keys()
        assert counts["reports"].value == 6
        assert counts["failed"].value >= 1
    assert loaded["flagged"].value == 0


def test_rerun_leaves_the_warehouse_identical(raw_dir, tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    tables = ("reports", "facts", "parse_issues", "dim_rows", "dim_columns")

    def snapshot() -> dict[str, list[tuple]]:
        with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
            return {
                t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in tables
            }

    assert run_job(raw_dir, warehouse).success
    first = snapshot()
    assert run_job(raw_dir, warehouse).success

    assert snapshot() == first
