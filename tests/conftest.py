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
