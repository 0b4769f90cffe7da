"""The published tables as Parquet partitioned by year (hive layout), written incrementally.

``<warehouse dir>/export`` is a link to one complete *generation* of the export::

    export/facts/year=2021/part-00000007_0.parquet
    export/facts/year=__HIVE_DEFAULT_PARTITION__/…      (reports whose year is unknown)
    export/reports/year=2021/…

readable as one dataset by DuckDB (``read_parquet('export/facts/*/*.parquet',
hive_partitioning = true)``), polars (``pl.scan_parquet('export/facts/**/*.parquet')``),
pyarrow, Spark and Trino (``export/facts`` as a hive-partitioned Parquet table). ``year`` is in
the folder names only, as Hive expects.

Each run writes the rows of the reports it changed as new parts (``part-<run>_…``); parts of
earlier runs without a changed report are hard links of the previous generation's files (no
copy); a part holding a changed report is rewritten without it; a year split into more than
``MAX_PARTS_PER_YEAR`` parts is rewritten as one. The new generation then replaces the link in
one ``rename(2)``: a reader lists either the old generation or the new one, never half.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipeline.settings import export_dir
from pipeline.sql import load_sql

EXPORTED_TABLES = ("facts", "reports")
MAX_PARTS_PER_YEAR = 16
GENERATIONS_DIR = "export"


def export_generation(
    con: duckdb.DuckDBPyConnection, warehouse: Path, state: Path, seq: int
) -> tuple[Path, dict[str, int]]:
    """Write generation ``seq`` from the connected warehouse (its ``export_pending``)."""
    link = export_dir(warehouse)
    previous = link.resolve() if link.is_symlink() and link.resolve().is_dir() else None
    generation = state / GENERATIONS_DIR / f"{seq:08d}"
    if generation.exists():
        shutil.rmtree(generation)
    generation.mkdir(parents=True)
    counts = {"parts_linked": 0, "parts_rewritten": 0, "parts_written": 0, "years_compacted": 0}
    touched = _touched_parts(con, previous) if previous is not None else set()
    if previous is not None:
        for table in EXPORTED_TABLES:
            for part in sorted((previous / table).glob("*/*.parquet")):
                target = generation / table / part.parent.name / part.name
                target.parent.mkdir(parents=True, exist_ok=True)
                if part.name in touched:
                    relation = con.sql(load_sql("select_export_segment_kept"), params=_file(part))
                    relation.write_parquet(str(target))
                    counts["parts_rewritten"] += 1
                else:
                    os.link(part, target)
                    counts["parts_linked"] += 1
    everything = {"everything": previous is None}
    for table in EXPORTED_TABLES:
        relation = con.sql(load_sql(f"select_export_{table}"), params=everything)
        relation.write_parquet(
            str(generation / table),
            partition_by=["year"],
            filename_pattern=f"part-{seq:08d}_{{uuid}}",
            append=True,  # beside the parts linked above
        )
        counts["parts_written"] += len(list((generation / table).glob(f"*/part-{seq:08d}_*")))
    for year_dir in sorted((generation / "facts").glob("year=*")):
        if len(list(year_dir.glob("*.parquet"))) > MAX_PARTS_PER_YEAR:
            _compact(con, generation, year_dir.name, seq)
            counts["years_compacted"] += 1
    return generation, counts


def install_generation(warehouse: Path, generation: Path) -> None:
    """Point ``export`` at ``generation`` (one rename); drop generations no link names."""
    link = export_dir(warehouse)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a folder from before generations
    temporary = link.with_name(f".{link.name}.{os.getpid()}.link")
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(generation, link.parent), temporary)
    os.replace(temporary, link)


def remove_old_generations(state: Path, keep: set[Path]) -> None:
    """Generations other than ``keep`` (the current one and the one before, which readers
    that listed it a moment ago may still be reading)."""
    folder = state / GENERATIONS_DIR
    for generation in sorted(folder.glob("*")) if folder.is_dir() else []:
        if generation.resolve() not in {k.resolve() for k in keep}:
            shutil.rmtree(generation, ignore_errors=True)


def _touched_parts(con: duckdb.DuckDBPyConnection, previous: Path) -> set[str]:
    files = sorted(str(p) for p in (previous / "reports").glob("*/*.parquet"))
    if not files:
        return set()
    rows = con.execute(load_sql("select_export_segments_touched"), {"files": files}).fetchall()
    return {part for (part,) in rows}


def _compact(con: duckdb.DuckDBPyConnection, generation: Path, year_dir: str, seq: int) -> None:
    """Rewrite one year of every exported table as a single part from the warehouse."""
    value = year_dir.removeprefix("year=")
    year = None if value == "__HIVE_DEFAULT_PARTITION__" else int(value)
    for table in EXPORTED_TABLES:
        folder = generation / table / year_dir
        staging = generation / f".{table}.compact"
        relation = con.sql(load_sql(f"select_export_{table}_year"), params={"year": year})
        relation.write_parquet(
            str(staging), partition_by=["year"], filename_pattern=f"part-{seq:08d}c_{{i}}"
        )
        shutil.rmtree(folder, ignore_errors=True)
        written = staging / year_dir
        if written.is_dir():
            os.replace(written, folder)
        shutil.rmtree(staging, ignore_errors=True)


def _file(path: Path) -> dict[str, str]:
    return {"file": str(path)}
