"""Resources: where the raw files are, how many processes parse them, where the warehouse is.

Every field is optional resource config. A field left unset is resolved when a run or a sensor
tick uses the resource, not when the definitions load, by ``pipeline.settings.load_settings``:
its environment variable (``GOVREPORTS_RAW_DIR``, ``GOVREPORTS_WORKERS``,
``GOVREPORTS_WAREHOUSE``), else the project default. The UI's launchpad, the nightly schedule,
the new-file sensor and ``govreports run`` (which sets the fields from its options and the same
variables) therefore configure paths the same way. Not ``dg.EnvVar``: it has no default, so a
run would fail whenever a variable is unset.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from pipeline.settings import (
    DEFAULT_RAW_DIR,
    DEFAULT_WAREHOUSE,
    RAW_DIR_ENV,
    WAREHOUSE_ENV,
    WORKERS_ENV,
    load_settings,
)
from pipeline.warehouse import connect


class RawFilesResource(dg.ConfigurableResource):
    """The folder the crawler drops reports into, and how many processes parse them."""

    raw_dir: str | None = Field(
        default=None,
        description=f"Folder of raw report files. Unset: ${RAW_DIR_ENV}, else {DEFAULT_RAW_DIR}.",
    )
    workers: int | None = Field(
        default=None,
        description=f"Parser processes. Unset: ${WORKERS_ENV}, else min(4, CPUs).",
    )

    @property
    def path(self) -> Path:
        return load_settings(raw_dir=self.raw_dir).raw_dir

    @property
    def processes(self) -> int:
        return load_settings(workers=self.workers).workers


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (see ``pipeline.warehouse.connect`` for its storage format)."""

    path: str | None = Field(
        default=None,
        description=f"DuckDB warehouse file. Unset: ${WAREHOUSE_ENV}, else {DEFAULT_WAREHOUSE}.",
    )

    @property
    def file(self) -> Path:
        return load_settings(warehouse=self.path).warehouse

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.file)
        try:
            yield con
        finally:
            con.close()


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={"raw_files": RawFilesResource(), "warehouse": WarehouseResource()}
    )
