"""Dagster definitions load, and the new-file sensor decides runs from its cursor."""

from __future__ import annotations

import json
import os

import dagster as dg
import pytest

from pipeline.definitions import defs
from pipeline.defs.resources import RawFilesResource, WarehouseResource
from pipeline.settings import (
    DEFAULT_RAW_DIR,
    DEFAULT_WAREHOUSE,
    RAW_DIR_ENV,
    WAREHOUSE_ENV,
    WORKERS_ENV,
)


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    return defs()


def test_job_selects_every_asset(definitions):
    job = definitions.resolve_job_def("govreports_job")

    assert {key.to_user_string() for key in job.asset_layer.executable_asset_keys} == {
        "raw_report_files",
        "parsed_reports",
        "warehouse_tables",
        "data_quality",
        "published_warehouse",
    }


def test_assets_are_wired_by_key(definitions):
    graph = definitions.resolve_asset_graph()

    assert graph.get(dg.AssetKey("parsed_reports")).parent_keys == {dg.AssetKey("raw_report_files")}
    assert graph.get(dg.AssetKey("warehouse_tables")).parent_keys == {dg.AssetKey("parsed_reports")}
    assert graph.get(dg.AssetKey("data_quality")).parent_keys == {dg.AssetKey("warehouse_tables")}
    assert graph.get(dg.AssetKey("published_warehouse")).parent_keys == {
        dg.AssetKey("data_quality")
    }


def test_every_suite_is_an_asset_check_of_data_quality(definitions):
    graph = definitions.resolve_asset_graph()

    assert {key.name for key in graph.asset_check_keys} == {
        "arithmetic",
        "structure",
        "cross_year",
        "narrative",
        "fees",
    }
    assert {key.asset_key for key in graph.asset_check_keys} == {dg.AssetKey("data_quality")}


def test_resources_read_the_environment_when_used_not_when_the_definitions_load(
    definitions, tmp_path, monkeypatch
):
    raw_files = definitions.resources["raw_files"]
    warehouse = definitions.resources["warehouse"]
    # nothing baked in at load time: the UI, the schedule and the sensor resolve at run time
    assert (raw_files.raw_dir, raw_files.workers, warehouse.path) == (None, None, None)
    for name in (RAW_DIR_ENV, WAREHOUSE_ENV, WORKERS_ENV):
        monkeypatch.delenv(name, raising=False)
    assert (raw_files.path, warehouse.file) == (DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE)

    monkeypatch.setenv(RAW_DIR_ENV, str(tmp_path / "raw"))
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert (raw_files.path, raw_files.processes) == (tmp_path / "raw", 3)
    assert warehouse.file == tmp_path / "wh.duckdb"

    # resource config (the launchpad, the CLI's options) wins over the environment
    explicit = RawFilesResource(raw_dir=str(tmp_path / "other"), workers=1)
    assert (explicit.path, explicit.processes) == (tmp_path / "other", 1)
    assert WarehouseResource(path=str(tmp_path / "x.duckdb")).file == tmp_path / "x.duckdb"


def test_nightly_schedule_runs_at_two_beijing_time(definitions):
    schedule = definitions.resolve_schedule_def("nightly_schedule")

    assert schedule.job_name == "govreports_job"
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"


def evaluate(sensor: dg.SensorDefinition, raw_dir, cursor: str | None):
    context = dg.build_sensor_context(
        cursor=cursor, resources={"raw_files": RawFilesResource(raw_dir=str(raw_dir))}
    )
    return sensor.evaluate_tick(context)


def test_sensor_requests_a_run_only_for_new_or_changed_files(definitions, tmp_path):
    sensor = definitions.resolve_sensor_def("new_raw_files_sensor")
    assert sensor.job_name == "govreports_job"
    report = tmp_path / "a.txt"
    report.write_bytes(b"first")

    first = evaluate(sensor, tmp_path, None)
    assert len(first.run_requests) == 1
    assert json.loads(first.cursor)["files"] == 1
    assert len(json.loads(first.cursor)["fingerprint"]) == 16

    unchanged = evaluate(sensor, tmp_path, first.cursor)
    assert unchanged.run_requests == []
    assert unchanged.skip_message

    report.write_bytes(b"second version")
    os.utime(report, ns=(0, report.stat().st_mtime_ns + 1))
    changed = evaluate(sensor, tmp_path, unchanged.cursor)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key

    # changed in place with the same size: only the modification time tells
    report.write_bytes(b"SECOND version")
    os.utime(report, ns=(0, report.stat().st_mtime_ns + 1_000_000_000))
    rewritten = evaluate(sensor, tmp_path, changed.cursor)
    assert len(rewritten.run_requests) == 1

    (tmp_path / "b.md").write_bytes(b"new file")
    added = evaluate(sensor, tmp_path, rewritten.cursor)
    assert len(added.run_requests) == 1
    assert added.run_requests[0].tags["govreports/files"] == "2"
    assert json.loads(added.cursor)["files"] == 2


def test_sensor_skips_when_the_raw_dir_is_missing(definitions, tmp_path):
    sensor = definitions.resolve_sensor_def("new_raw_files_sensor")

    result = evaluate(sensor, tmp_path / "missing", None)

    assert result.run_requests == []
    assert "not found" in result.skip_message
