"""The hive-partitioned Parquet export: a first generation holds every report, an increment
rewrites only the parts holding a changed report and links the others, a year split into too
many parts is compacted; read back, every generation equals the warehouse, row for row."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline.export import (
    EXPORTED_TABLES,
    HIVE_NULL,
    MAX_PARTS_PER_YEAR,
    export_generation,
    install_generation,
)
from pipeline.settings import export_dir
from pipeline.warehouse import connect, run_in_transaction

CHANGED = "SELECT report_id FROM reports WHERE year = 2023 ORDER BY report_id LIMIT 1"


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    frame = pl.from_arrow(con.table(table).to_arrow_table())
    return frame.sort(frame.columns, nulls_last=True)


def exported_rows(folder: Path, table: str, columns: list[str]) -> pl.DataFrame:
    with closing(duckdb.connect()) as con:
        relation = con.read_parquet(str(folder / table / "*" / "*.parquet"), hive_partitioning=True)
        frame = pl.from_arrow(relation.to_arrow_table()).select(columns)
    return frame.sort(columns, nulls_last=True)


def assert_export_is_the_warehouse(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for table in EXPORTED_TABLES:
        expected = table_rows(con, table)
        exported = exported_rows(folder, table, expected.columns)
        assert exported.height == expected.height
        assert exported.with_columns(pl.col("year").cast(expected.schema["year"])).equals(expected)


def part_counts(folder: Path) -> dict[str, int]:
    return {d.name: len(list(d.glob("*.parquet"))) for d in sorted((folder / "facts").iterdir())}


@pytest.fixture
def warehouse(review_warehouse, tmp_path) -> Path:
    """A copy of the review warehouse, its export state beside it in ``state/``."""
    copy = tmp_path / "govreports.duckdb"
    shutil.copy(review_warehouse, copy)
    return copy


def export_run(
    con: duckdb.DuckDBPyConnection, warehouse: Path, seq: int, changed: str | None = None
) -> tuple[Path, dict[str, int]]:
    """What a publish does with the export: ``changed`` (a report id) marked as loaded again,
    generation ``seq`` written and installed, nothing left pending."""
    if changed is not None:
        con.execute("INSERT INTO export_pending VALUES ($id)", {"id": changed})
    generation, counts = export_generation(con, warehouse, warehouse.parent / "state", seq)
    install_generation(warehouse, generation)
    run_in_transaction(con, ["delete_export_pending"])
    return generation, counts


def test_generations_equal_the_warehouse_and_an_increment_rewrites_only_its_parts(warehouse):
    with closing(connect(warehouse)) as con:
        first, counts = export_run(con, warehouse, 1)
        years = part_counts(first)
        # one part per year and table; the report without a year in Hive's default partition
        assert years == {"year=2021": 1, "year=2022": 1, "year=2023": 1, f"year={HIVE_NULL}": 1}
        assert counts == {
            "parts_linked": 0,
            "parts_rewritten": 0,
            "parts_written": 2 * len(years),
            "years_compacted": 0,
        }
        assert_export_is_the_warehouse(con, first)

        ((changed,),) = con.execute(CHANGED).fetchall()
        second, counts = export_run(con, warehouse, 2, changed)
        # the 2023 part of each table is rewritten without the report, a new part holds it
        assert counts == {
            "parts_linked": 2 * (len(years) - 1),
            "parts_rewritten": 2,
            "parts_written": 2,
            "years_compacted": 0,
        }
        assert part_counts(second) == years | {"year=2023": 2}
        linked = next((first / "facts" / "year=2022").glob("*.parquet"))
        assert (second / "facts" / "year=2022" / linked.name).stat().st_ino == linked.stat().st_ino
        assert_export_is_the_warehouse(con, second)


def test_a_year_split_into_too_many_parts_is_compacted_into_one(warehouse):
    with closing(connect(warehouse)) as con:
        ((changed,),) = con.execute(CHANGED).fetchall()
        export_run(con, warehouse, 1)
        compacted = []
        for seq in range(2, MAX_PARTS_PER_YEAR + 3):
            # a report of 2023 changes every run: 2023 gains a part each time
            generation, counts = export_run(con, warehouse, seq, changed)
            compacted.append(counts["years_compacted"])
            assert part_counts(generation)["year=2023"] <= MAX_PARTS_PER_YEAR
        assert compacted.count(1) == 1 and sum(compacted) == 1
        assert export_dir(warehouse).resolve() == generation.resolve()
        assert_export_is_the_warehouse(con, generation)


def test_an_export_whose_parts_are_not_named_alike_is_written_again_whole(warehouse):
    with closing(connect(warehouse)) as con:
        first, _ = export_run(con, warehouse, 1)
        # as DuckDB's partitioned write named them before: a name of its own in each table
        part = next((first / "facts" / "year=2022").glob("*.parquet"))
        part.rename(part.with_name("part-00000001_1b4e28ba-2fa1-11d2-883f-0016d3cca427.parquet"))

        second, counts = export_run(con, warehouse, 2)
        years = len(part_counts(first))
        assert counts == {
            "parts_linked": 0,
            "parts_rewritten": 0,
            "parts_written": 2 * years,
            "years_compacted": 0,
        }
        assert_export_is_the_warehouse(con, second)
