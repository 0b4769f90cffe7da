"""The one home for paths and settings: environment variables with project defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The repository in a checkout or an editable install (in a wheel install: site-packages).
PROJECT_ROOT = PACKAGE_DIR.parent
# sql/ and expectations/ live at the repository top level; a wheel carries them as package data
# in pipeline/_data/ (pyproject.toml maps them there). Code reads them only through these paths.
PACKAGED_DATA_DIR = PACKAGE_DIR / "_data"
INSTALLED_FROM_WHEEL = PACKAGED_DATA_DIR.is_dir()
_DATA_FILES_ROOT = PACKAGED_DATA_DIR if INSTALLED_FROM_WHEEL else PROJECT_ROOT
SQL_DIR = _DATA_FILES_ROOT / "sql"
EXPECTATIONS_DIR = _DATA_FILES_ROOT / "expectations"
# Default input and output: the repository's data/ in a checkout; ./data/ (under the working
# directory when the settings are loaded) for a wheel install.
_DATA_ROOT = Path("data") if INSTALLED_FROM_WHEEL else PROJECT_ROOT / "data"
DEFAULT_RAW_DIR = _DATA_ROOT / "raw"
DEFAULT_WAREHOUSE = _DATA_ROOT / "warehouse" / "govreports.duckdb"

RAW_DIR_ENV = "GOVREPORTS_RAW_DIR"
WAREHOUSE_ENV = "GOVREPORTS_WAREHOUSE"
WORKERS_ENV = "GOVREPORTS_WORKERS"
SHARDS_ENV = "GOVREPORTS_SHARDS"
EXECUTOR_ENV = "GOVREPORTS_EXECUTOR"
DASK_SCHEDULER_ENV = "GOVREPORTS_DASK_SCHEDULER"

# File kinds the crawler drops into the raw directory; anything else is ignored. The content,
# not the name, decides how a file is read: a saved page may be ``.shtml``, ``.jsp``, ``.txt`` or
# have no extension at all ("" below).
RAW_SUFFIXES = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".pdf",
    ".shtml",
    ".xhtml",
    ".asp",
    ".aspx",
    ".jsp",
    ".php",
    "",
)

# DuckDB 2.0 writes a storage format that DuckDB <= 1.x cannot open. Analysts often run 1.x
# tools, so the warehouse file is written in the v1.0.0 format, readable by DuckDB >= 1.0.
STORAGE_COMPATIBILITY_VERSION = "v1.0.0"

# Written beside the warehouse file after every run (a tmp_path warehouse keeps them there).
DATA_DOCS_DIRNAME = "data_docs"
DASHBOARD_FILENAME = "dashboard.html"

SCHEDULE_CRON = "0 2 * * *"
SCHEDULE_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    workers: int
    # parse shards of the Dagster job and the executor that runs them (see "Scaling" in README)
    shards: int = 2
    executor: str = "in_process"


def data_docs_dir(warehouse: Path) -> Path:
    """Great Expectations Data Docs site of this warehouse."""
    return Path(warehouse).parent / DATA_DOCS_DIRNAME


def dashboard_path(warehouse: Path) -> Path:
    """The one-page data-quality summary of this warehouse."""
    return Path(warehouse).parent / DASHBOARD_FILENAME


def load_settings(
    raw_dir: str | Path | None = None,
    warehouse: str | Path | None = None,
    workers: int | None = None,
) -> Settings:
    """Explicit arguments win, then environment variables, then project defaults.

    Read when called (the CLI, and each Dagster resource when a run or sensor tick uses it), so a
    changed environment variable applies to the next run without reloading the definitions.
    """
    raw = Path(raw_dir or os.environ.get(RAW_DIR_ENV) or DEFAULT_RAW_DIR)
    wh = Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
    count = workers or int(os.environ.get(WORKERS_ENV) or min(4, os.cpu_count() or 1))
    return Settings(
        raw_dir=raw.resolve(),
        warehouse=absolute(wh),
        workers=max(1, count),
        shards=parse_shards(),
        executor=executor_name(),
    )


# ---- Scaling: the double-buffered warehouse, run staging, exports (README "Scaling") ----

# Executors the job can run on, chosen by GOVREPORTS_EXECUTOR (same definitions on each).
EXECUTORS = ("in_process", "multiprocess", "dask")
# Parse steps when GOVREPORTS_SHARDS is unset: one in-process (its pool already uses every core;
# a second step would only start a second pool), two on the executors that run steps side by side.
DEFAULT_SHARDS = {"in_process": 1, "multiprocess": 2, "dask": 2}

# Files parsed per task of a worker process: one Arrow/Parquet part per chunk, then released.
PARSE_CHUNK_FILES = 400
# Reports validated per Great Expectations checkpoint run (bounds the frames held in memory).
CHECK_CHUNK_REPORTS = 6_000
# A check queue of more chunks gets its cross-year frame in one pass over the warehouse (each
# chunk then reads only its own reports' facts); a shorter one copies each chunk's
# previous-year reports too (one pass costs about as much as eight chunks' copies).
CROSS_YEAR_PASS_CHUNKS = 8
# The writer's DuckDB connection: bounded memory (spills to disk beyond it).
DUCKDB_MEMORY_LIMIT = "512MB"
DUCKDB_THREADS = max(1, os.cpu_count() or 1)
# A second run waits this long for the first before giving up (``govreports run --wait``).
DEFAULT_LOCK_WAIT_SECONDS = 0.0

# The two buffers beside the warehouse path; the path itself is a symlink to the published one.
SLOT_NAMES = ("a", "b")
EXPORT_DIRNAME = "export"


def absolute(path: Path) -> Path:
    """Absolute, without resolving a final symlink (the warehouse path is one)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def parse_shards() -> int:
    return max(1, int(os.environ.get(SHARDS_ENV) or DEFAULT_SHARDS[executor_name()]))


def executor_name(strict: bool = False) -> str:
    """The executor ``GOVREPORTS_EXECUTOR`` names. An unknown one raises when ``strict`` (the
    CLI says so in one line); else, as when the definitions load, it falls back to in-process,
    so that a typo cannot stop the code location from loading."""
    name = os.environ.get(EXECUTOR_ENV) or "in_process"
    if name not in EXECUTORS:
        if strict:
            raise ValueError(f"{EXECUTOR_ENV} must be one of {', '.join(EXECUTORS)}, not {name!r}")
        return "in_process"
    return name


def slot_path(warehouse: Path, slot: str) -> Path:
    """One buffer of the warehouse: ``govreports.a.duckdb`` beside ``govreports.duckdb``."""
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.stem}.{slot}{warehouse.suffix or '.duckdb'}")


def state_dir(warehouse: Path) -> Path:
    """Run staging and the last increments (Parquet), beside the warehouse path."""
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.name}.state")


def lock_path(warehouse: Path) -> Path:
    """The writers' lock file: one run at a time per warehouse."""
    warehouse = Path(warehouse)
    return warehouse.with_name(f"{warehouse.name}.lock")


def export_dir(warehouse: Path) -> Path:
    """Hive-partitioned Parquet of the published tables (``export/facts/year=…``)."""
    return Path(warehouse).parent / EXPORT_DIRNAME
