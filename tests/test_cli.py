"""``govreports run`` end to end: the real job, in-process, into tmp_path."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from contextlib import closing

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.settings import RAW_DIR_ENV, WAREHOUSE_ENV

pytestmark = pytest.mark.dagster

runner = CliRunner()


@pytest.fixture
def raw_dir(seed_raw_dir):
    return seed_raw_dir


def counts(warehouse) -> dict[str, int]:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        return {
            table: con.execute(f"select count(*) from {table}").fetchall()[0][0]
            for table in ("reports", "facts", "parse_issues")
        }


def test_run_twice_prints_a_summary_and_leaves_identical_counts(raw_dir, tmp_path):
    warehouse = tmp_path / "out" / "govreports.duckdb"
    args = ["run", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse)]

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    summary = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in first.output.splitlines()
        if line.count("│") == 3
    }
    keys = ("reports seen", "parsed", "partial", "failed", "flagged", "with warnings", "facts")
    assert {k: summary[k] for k in keys} == {
        "reports seen": "5",
        "parsed": "5",
        "partial": "0",
        "failed": "0",
        "flagged": "0",
        "with warnings": "0",
        "facts": "1,000",
    }
    output = first.output.replace("\n", "")
    assert f"dashboard: {tmp_path / 'out' / 'dashboard.html'}" in output
    assert f"data docs: {tmp_path / 'out' / 'data_docs' / 'index.html'}" in output
    assert (tmp_path / "out" / "dashboard.html").is_file()
    assert (tmp_path / "out" / "data_docs" / "index.html").is_file()
    after_first = counts(warehouse)
    assert after_first["reports"] == 5

    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert counts(warehouse) == after_first


def test_paths_come_from_the_environment(raw_dir, tmp_path, monkeypatch):
    warehouse = tmp_path / "from_env.duckdb"
    monkeypatch.setenv(RAW_DIR_ENV, str(raw_dir))
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))

    result = runner.invoke(app, ["run"])

    assert result.exit_code == 0, result.output
    assert counts(warehouse)["reports"] == 5


def test_missing_raw_dir_is_an_error(tmp_path):
    result = runner.invoke(
        app, ["run", "--raw-dir", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.db")]
    )

    assert result.exit_code != 0
    assert "not found" in result.output


def test_pipeline_failure_exits_non_zero(raw_dir, tmp_path):
    # The warehouse path links to a file that is not one of its buffers: the first step, before
    # parsing anything, finds it cannot be the warehouse.
    warehouse = tmp_path / "govreports.duckdb"
    warehouse.symlink_to(tmp_path / "elsewhere.duckdb")

    result = runner.invoke(app, ["run", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse)])

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "raw_report_files failed" in lines[0]
    assert "not at one of its buffers" in result.output.replace("\n", "")
    assert lines[-1] == "govreports run failed"
    assert "Traceback" not in result.output and "Stack Trace" not in result.output


def test_a_warehouse_path_that_cannot_be_written_is_refused_in_one_line(
    raw_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path))  # a directory

    result = runner.invoke(app, ["run", "--raw-dir", str(raw_dir)])

    assert result.exit_code == 2
    assert result.output.replace("\n", "") == f"warehouse path is a directory: {tmp_path}"


def test_a_failure_is_one_line_and_debug_adds_the_traceback(raw_dir, tmp_path, monkeypatch):
    # a warehouse link to a file that is not one of its buffers: the first step fails
    warehouse = tmp_path / "govreports.duckdb"
    warehouse.symlink_to(tmp_path / "elsewhere.duckdb")
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))

    plain = runner.invoke(app, ["run", "--raw-dir", str(raw_dir)])
    debug = runner.invoke(app, ["run", "--raw-dir", str(raw_dir), "--debug"])

    assert plain.exit_code == debug.exit_code == 1
    assert "Traceback" not in plain.output and "Stack Trace" not in plain.output
    assert [line for line in plain.output.splitlines() if "failed" in line] == [
        next(line for line in plain.output.splitlines() if "raw_report_files failed" in line),
        "govreports run failed",
    ]
    assert "Stack Trace" in debug.output or "Traceback" in debug.output
    assert len(debug.output.splitlines()) > len(plain.output.splitlines()) + 3


def test_a_bad_setting_is_one_line_with_exit_2(raw_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORTS_EXECUTOR", "bogus")

    result = runner.invoke(
        app, ["run", "--raw-dir", str(raw_dir), "--warehouse", str(tmp_path / "w.duckdb")]
    )

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "bad setting: GOVREPORTS_EXECUTOR must be one of in_process, multiprocess, dask, "
        "not 'bogus'"
    ]


def test_the_entry_point_imports_the_command_line_only_when_run():
    """The parse pool's spawned workers import the main script again: ``govreports``'s must not
    bring Dagster, typer or the definitions into each of them."""
    code = "import sys, pipeline.__main__; print(sorted({'dagster', 'typer'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="govreports")
    assert script.value == "pipeline.__main__:main"
