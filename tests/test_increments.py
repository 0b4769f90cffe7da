"""Nightly runs: only new or changed files are read, versions are kept, only what a change can
affect is checked again, and the result equals a full run from scratch. Real job, real files."""

from __future__ import annotations

import os
import random
import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from bench.report_generator import generate_corpus, inject
from pipeline.increment import balanced_chunk_size
from pipeline.settings import slot_path
from tests.conftest import warehouse_contents

pytestmark = pytest.mark.dagster


def query(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        return con.execute(sql, parameters or []).fetchall()


def metadata(result, node: str) -> dict[str, object]:
    (materialization,) = result.asset_materializations_for_node(node)
    return {name: entry.value for name, entry in materialization.metadata.items()}


def write_corpus(raw: Path, corpus) -> None:
    raw.mkdir(exist_ok=True)
    for report in corpus:
        (raw / report.name).write_bytes(report.data())


def touch_later(path: Path, seconds: int = 10) -> None:
    """A new mtime even when the file system's clock granularity is coarse."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def corpus():
    """Eight generated reports: four agencies, two consecutive years each."""
    return generate_corpus(4, seed=11, injected_share=0.0)


def test_a_run_with_nothing_new_reads_nothing_and_publishes_nothing(
    seed_raw_dir, tmp_path, run_pipeline
):
    warehouse = tmp_path / "wh" / "govreports.duckdb"
    assert run_pipeline(seed_raw_dir, warehouse).success
    published = os.readlink(warehouse)
    before = slot_path(warehouse, "a").stat().st_mtime_ns

    again = run_pipeline(seed_raw_dir, warehouse)

    assert again.success
    plan = metadata(again, "raw_report_files")
    assert (plan["files"], plan["unchanged"], plan["to_read"]) == (5, 5, 0)
    assert metadata(again, "parsed_reports")["files_read"] == 0
    assert metadata(again, "warehouse_tables")["standby"] == "untouched"
    assert metadata(again, "data_quality")["checked_reports"] == 0
    assert metadata(again, "published_warehouse")["published"] is False
    assert os.readlink(warehouse) == published
    assert slot_path(warehouse, "a").stat().st_mtime_ns == before
    assert not slot_path(warehouse, "b").exists()


def test_a_touched_file_is_hashed_not_parsed(seed_raw_dir, tmp_path, run_pipeline):
    warehouse = tmp_path / "govreports.duckdb"
    assert run_pipeline(seed_raw_dir, warehouse).success
    touch_later(next(iter(sorted(seed_raw_dir.iterdir()))))

    result = run_pipeline(seed_raw_dir, warehouse)

    assert metadata(result, "raw_report_files")["changed"] == 1
    parsed = metadata(result, "parsed_reports")
    assert (parsed["files_read"], parsed["files_touched"], parsed["reports"]) == (1, 1, 0)
    assert metadata(result, "data_quality")["checked_reports"] == 0


def test_changed_file_is_a_new_version_and_the_old_one_stays_queryable(
    tmp_path, corpus, run_pipeline
):
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "govreports.duckdb"
    write_corpus(raw, corpus)
    assert run_pipeline(raw, warehouse).success
    changed = corpus[1]  # the second year of the first agency
    (old_id,) = query(
        warehouse, "select report_id from reports where source_path = ?", [changed.name]
    )[0]
    inject(random.Random(3), changed, "balance")
    (raw / changed.name).write_bytes(changed.data())
    touch_later(raw / changed.name)

    result = run_pipeline(raw, warehouse)

    assert result.success
    (new_id,) = query(
        warehouse, "select report_id from reports where source_path = ?", [changed.name]
    )[0]
    assert new_id != old_id
    assert query(warehouse, "select count(*) from reports") == [(8,)]
    assert query(
        warehouse,
        "select report_id, is_current, superseded_by from report_versions "
        "where source_path = ? order by is_current",
        [changed.name],
    ) == [(old_id, False, new_id), (new_id, True, None)]
    assert query(
        warehouse, "select count(*) from facts_history where report_id = ?", [old_id]
    ) == query(warehouse, "select count(*) from facts where report_id = ?", [new_id])
    assert query(warehouse, "select count(*) from facts where report_id = ?", [old_id]) == [(0,)]
    assert query(warehouse, "select count(*) from checks where report_id = ?", [old_id]) == [(0,)]
    assert query(
        warehouse, "select distinct rule from report_flags where report_id = ?", [new_id]
    ) == [("balance",)]
    # checked again: the new version (every rule) and the agency's other year (cross-year)
    assert metadata(result, "data_quality")["checked_reports"] == 2
    assert query(warehouse, "select count(*), max(seq) from runs where state = 'complete'") == [
        (2, 2)
    ]


def test_a_removed_file_is_marked_removed_and_its_report_kept(seed_raw_dir, tmp_path, run_pipeline):
    warehouse = tmp_path / "govreports.duckdb"
    assert run_pipeline(seed_raw_dir, warehouse).success
    gone = sorted(seed_raw_dir.iterdir())[0]
    gone.unlink()

    result = run_pipeline(seed_raw_dir, warehouse)

    assert metadata(result, "raw_report_files")["removed"] == 1
    assert metadata(result, "published_warehouse")["published"] is True
    assert query(
        warehouse,
        "select removed_at is not null from source_files where source_path = ?",
        [gone.name],
    ) == [(True,)]
    assert query(warehouse, "select count(*) from reports where source_path = ?", [gone.name]) == [
        (1,)
    ]
    # a third run has nothing to do: the removal is recorded
    third = run_pipeline(seed_raw_dir, warehouse)
    assert metadata(third, "published_warehouse")["published"] is False


def test_files_read_by_another_parser_version_are_parsed_again(
    seed_raw_dir, tmp_path, run_pipeline
):
    warehouse = tmp_path / "govreports.duckdb"
    assert run_pipeline(seed_raw_dir, warehouse).success
    before = warehouse_contents(warehouse)
    published = warehouse.resolve()
    with closing(duckdb.connect(str(published))) as con:  # as if an older parser had read them
        con.execute("update source_files set parser_version = '0.0.1'")

    result = run_pipeline(seed_raw_dir, warehouse)

    assert metadata(result, "raw_report_files")["to_read"] == 5
    assert metadata(result, "parsed_reports")["reports"] == 5
    assert metadata(result, "data_quality")["checked_reports"] == 5
    assert warehouse_contents(warehouse) == before
    assert query(warehouse, "select distinct parser_version from source_files") != [("0.0.1",)]


def test_nightly_increments_end_as_a_full_run_would(tmp_path, corpus, run_pipeline):
    """Adds, changes in place, a copy under a second name, a removal and a file touched, over
    four runs (both buffers written, the last increment replayed), then a full run from
    scratch on the same files: the same reports, facts, issues, checks and flags."""
    raw, warehouse = tmp_path / "raw", tmp_path / "nightly" / "govreports.duckdb"
    write_corpus(raw, corpus[:4])
    assert run_pipeline(raw, warehouse).success

    write_corpus(raw, corpus[4:])  # two new agencies
    second = run_pipeline(raw, warehouse)
    assert metadata(second, "raw_report_files")["new"] == 4
    assert metadata(second, "warehouse_tables")["standby"] == "copied"  # b did not exist

    changed = corpus[2]
    inject(random.Random(5), changed, "outcomes")
    (raw / changed.name).write_bytes(changed.data())
    touch_later(raw / changed.name)
    shutil.copy(raw / corpus[5].name, raw / "copy_of_a_report.txt")
    (raw / corpus[6].name).unlink()
    touch_later(raw / corpus[0].name)
    third = run_pipeline(raw, warehouse)
    assert metadata(third, "warehouse_tables")["standby"] in {"replayed", "copied"}

    changed = corpus[3]
    inject(random.Random(6), changed, "row_total")
    (raw / changed.name).write_bytes(changed.data())
    touch_later(raw / changed.name)
    fourth = run_pipeline(raw, warehouse)
    assert metadata(fourth, "warehouse_tables")["standby"] == "replayed"

    full = tmp_path / "full" / "govreports.duckdb"
    (raw / corpus[6].name).write_bytes(corpus[6].data())  # the full run must see it too
    shutil.copytree(raw, tmp_path / "raw_full")
    (raw / corpus[6].name).unlink()
    assert run_pipeline(tmp_path / "raw_full", full).success

    incremental, scratch = warehouse_contents(warehouse), warehouse_contents(full)
    assert incremental == scratch
    assert query(warehouse, "select count(*) from report_flags") != [(0,)]
    assert query(
        warehouse,
        "select message from parse_issues where code = 'duplicate_content'",
    ) == [(f"identical content also at {corpus[5].name}",)]


def test_checks_do_not_depend_on_how_reports_are_chunked(tmp_path, corpus):
    """Reports validated one at a time (more chunks than ``CROSS_YEAR_PASS_CHUNKS``: the
    cross-year frame made in one pass for the queue), three at a time (a chunk's cross-year
    partner copied into its context, often from another chunk) and all at once give exactly
    the same checks."""
    from bench.report_generator import generate_corpus as more_reports
    from pipeline.ingest import parse_files
    from pipeline.quality import assess
    from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow

    raw = tmp_path / "raw"
    write_corpus(raw, corpus + more_reports(6, seed=12, injected_share=0.5))
    parsed = parse_files(raw, sorted(p.name for p in raw.iterdir()), current_year=2025)
    results = []
    from pipeline.settings import CROSS_YEAR_PASS_CHUNKS

    assert len(parsed) > CROSS_YEAR_PASS_CHUNKS >= -(-len(parsed) // 3)  # both ways taken
    for chunk_reports in (1, 3, 10_000):
        with closing(connect(tmp_path / f"chunks_{chunk_reports}.duckdb")) as con:
            ensure_schema(con)
            load(con, reports_to_arrow(parsed))
            outcome = assess(con, current_year=2025, chunk_reports=chunk_reports)
            results.append(
                (
                    sorted(con.execute("select * from checks").fetchall(), key=repr),
                    sorted(con.execute("select * from report_flags").fetchall(), key=repr),
                    {name: suite.success for name, suite in outcome.suites.items()},
                )
            )
    assert results[0] == results[1] == results[2]
    assert results[0][1]  # some reports are flagged
    assert {rule for (_, _, rule, *_) in results[0][0]} >= {"carryover", "balance"}


def test_a_warehouse_file_from_before_the_buffers_is_adopted_in_place(
    seed_raw_dir, tmp_path, run_pipeline
):
    """A plain DuckDB file at the warehouse path (the layout before buffers) becomes buffer
    ``a`` by a hard link, and the path a link to it: readers holding it keep reading."""
    from pipeline.ingest import parse_files
    from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow

    warehouse = tmp_path / "govreports.duckdb"
    names = sorted(p.name for p in seed_raw_dir.iterdir())
    with closing(connect(warehouse)) as con:
        ensure_schema(con)
        load(con, reports_to_arrow(parse_files(seed_raw_dir, names[:3])))
    reader = duckdb.connect(str(warehouse), read_only=True)

    result = run_pipeline(seed_raw_dir, warehouse)

    assert result.success
    assert warehouse.is_symlink()
    assert query(warehouse, "select count(*) from reports") == [(5,)]
    assert query(warehouse, "select count(*) from checks") != [(0,)]
    assert reader.execute("select count(*) from reports").fetchall() == [(3,)]
    reader.close()


@pytest.mark.parametrize(
    ("files", "workers", "size"),
    [
        (400, 2, 400),  # one chunk: parsed in-process, no pool started
        (500, 2, 250),  # two chunks of 250, not 400 and 100
        (5000, 2, 358),  # 14 chunks, 7 per worker
        (50000, 4, 391),  # 128 chunks, 32 per worker
        (1000, 1, 400),
    ],
)
def test_parse_chunks_are_balanced_over_the_workers(files, workers, size):
    assert balanced_chunk_size(files, 400, workers) == size
