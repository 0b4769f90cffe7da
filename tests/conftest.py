"""Shared fixtures: a private copy of the seed sample, so tests never touch data/."""

import shutil

import pytest

from pipeline.settings import DEFAULT_RAW_DIR


@pytest.fixture
def seed_raw_dir(tmp_path):
    """A raw dir in tmp_path holding copies of the five seed reports."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(DEFAULT_RAW_DIR.glob("*.txt")):
        shutil.copy(seed, raw / seed.name)
    return raw


def execute_job(raw_dir, warehouse, workers: int = 1):
    """The real ``govreports_job``, in-process, on ``raw_dir`` into ``warehouse``."""
    import dagster as dg

    from pipeline.definitions import defs

    job = defs().resolve_job_def("govreports_job")
    run_config = {
        "resources": {
            "raw_files": {"config": {"raw_dir": str(raw_dir), "workers": workers}},
            "warehouse": {"config": {"path": str(warehouse)}},
        }
    }
    return job.execute_in_process(run_config=run_config, instance=dg.DagsterInstance.ephemeral())


@pytest.fixture(scope="session")
def run_pipeline():
    """Run the real job: ``run_pipeline(raw_dir, warehouse)`` -> the in-process result."""
    return execute_job
