"""Resources: where raw files are and where the warehouse is. Defaults come from settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.settings import load_settings
from pipeline.warehouse import connect


class RawFilesResource(dg.ConfigurableResource):
    """The folder the crawler drops reports into, and how many processes parse them."""

    raw_dir: str
    workers: int = 1

    @property
    def path(self) -> Path:
        return Path(self.raw_dir)


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file (see ``pipeline.warehouse.connect`` for its storage format)."""

    path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.path)
        try:
            yield con
        finally:
            con.close()


@dg.definitions
def resources() -> dg.Definitions:
    settings = load_settings()
    return dg.Definitions(
        resources={
            "raw_files": RawFilesResource(raw_dir=str(settings.raw_dir), workers=settings.workers),
            "warehouse": WarehouseResource(path=str(settings.warehouse)),
        }
    )
