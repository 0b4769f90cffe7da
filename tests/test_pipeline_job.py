"""The real Dagster job, in-process, from the seed reports into a tmp_path DuckDB."""

from __future__ import annotations

import random
from contextlib import closing

import dagster as dg
import duckdb
import pytest

from pipeline.definitions import defs
from pipeline.settings import RAW_DIR_ENV, WAREHOUSE_ENV, WORKERS_ENV

pytestmark = pytest.mark.dagster


@pytest.fixture
def raw_dir(seed_raw_dir):
    """The repo's seed reports plus one file of random bytes."""
    raw = seed_raw_dir
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
    quality = result.asset_materializations_for_node("data_quality")[0].metadata
    assert quality["flagged"].value == 0
    assert quality["checks"].value == 5 * 42 + 5 * 6 + 8  # arithmetic, structure, narrative
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert {name: e.passed for name, e in evaluations.items()} == {
        "arithmetic": True,
        "structure": True,
        "cross_year": True,
        "narrative": True,
        "fees": True,
    }
    assert evaluations["arithmetic"].metadata["checks"].value == 5 * 42
    assert evaluations["arithmetic"].metadata["flagged_reports"].value == 0


def test_rerun_leaves_the_warehouse_identical(raw_dir, tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    tables = (
        "reports",
        "facts",
        "parse_issues",
        "narrative_numbers",
        "checks",
        "report_flags",
        "dim_rows",
        "dim_columns",
        "dim_cells",
    )

    def snapshot() -> dict[str, list[tuple]]:
        with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
            return {
                t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in tables
            }

    assert run_job(raw_dir, warehouse).success
    first = snapshot()
    assert run_job(raw_dir, warehouse).success

    assert snapshot() == first


def test_job_puts_exact_seed_values_in_the_warehouse(raw_dir, tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    assert run_job(raw_dir, warehouse).success

    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        assert con.execute(
            "select source_path, agency, year, template_version, parse_status, n_cells "
            "from reports where parse_status <> 'failed' order by source_path"
        ).fetchall() == [
            ("000_d9cb11323f1ad30e.txt", "老城区西南隅街道办事处", 2022, "2021", "parsed", 200),
            ("001_1289612543b54ddb.txt", "环南街道", 2021, "2021", "parsed", 200),
            ("002_1fda27c24fffeb28.txt", "北新桥街道", 2023, "2021", "parsed", 200),
            ("003_24921fc8b53a72a1.txt", "民权县绿洲街道办事处", 2023, "2021", "parsed", 200),
            ("004_e02f11226f5e83d3.txt", "老城区人民政府办公室", 2021, "2021", "parsed", 200),
        ]
        assert con.execute(
            "select section, count(*) from facts join reports using (report_id) "
            "where parse_status = 'parsed' group by section order by section"
        ).fetchall() == [("active_disclosure", 50), ("appeals", 75), ("applications", 875)]
        nonzero = con.execute(
            """
            select agency, row_key, applicant_type, value, raw_text, source_line
            from fact_applications
            where value <> 0
            order by agency, row_order, applicant_type
            """
        ).fetchall()
        assert [(a, r, t, int(v)) for a, r, t, v, _, _ in nonzero] == [
            ("北新桥街道", "new_received", "natural_person", 5),
            ("北新桥街道", "new_received", "total", 5),
            ("北新桥街道", "denied_process_info", "natural_person", 1),
            ("北新桥街道", "denied_process_info", "total", 1),
            ("北新桥街道", "unable_not_held", "natural_person", 4),
            ("北新桥街道", "unable_not_held", "total", 4),
            ("北新桥街道", "total_processed", "natural_person", 5),
            ("北新桥街道", "total_processed", "total", 5),
            ("老城区人民政府办公室", "new_received", "natural_person", 16),
            ("老城区人民政府办公室", "new_received", "total", 16),
            ("老城区人民政府办公室", "granted", "natural_person", 16),
            ("老城区人民政府办公室", "granted", "total", 16),
            ("老城区人民政府办公室", "total_processed", "natural_person", 16),
            ("老城区人民政府办公室", "total_processed", "total", 16),
        ]
        assert con.execute(
            "select case_type, outcome, value from fact_appeals "
            "where agency = '老城区人民政府办公室' and value <> 0 order by case_type, outcome"
        ).fetchall() == [
            ("litigation_direct", "corrected", 3),
            ("litigation_direct", "other", 1),
            ("litigation_direct", "pending", 1),
            ("litigation_direct", "total", 5),
            ("review", "corrected", 1),
            ("review", "total", 1),
        ]
        assert con.execute(
            "select value, raw_text from fact_active_disclosure "
            "where agency = '北新桥街道' and row_key = 'administrative_penalty'"
        ).fetchall() == [(1192, "1192")]
        assert con.execute(
            "select source_path, severity, code, row_key, source_line from parse_issues "
            "where code = 'row_repaired' order by source_line"
        ).fetchall() == [
            ("004_e02f11226f5e83d3.txt", "warning", "row_repaired", "total_processed", 72),
            ("004_e02f11226f5e83d3.txt", "warning", "row_repaired", "carried_forward", 73),
        ]


def test_a_run_without_resource_config_takes_its_paths_from_the_environment(
    raw_dir, tmp_path, monkeypatch
):
    """How the nightly schedule and the sensor launch the job: no run config, only variables."""
    warehouse = tmp_path / "env" / "govreports.duckdb"
    monkeypatch.setenv(RAW_DIR_ENV, str(raw_dir))
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    monkeypatch.setenv(WORKERS_ENV, "1")

    result = (
        defs()
        .resolve_job_def("govreports_job")
        .execute_in_process(instance=dg.DagsterInstance.ephemeral())
    )

    assert result.success
    loaded = result.asset_materializations_for_node("warehouse_tables")[0].metadata
    assert loaded["warehouse"].value == str(warehouse)
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        assert con.execute("select count(*) from reports").fetchall() == [(6,)]
