"""Raw-dir scan and file parsing: real files in tmp_path, the real parser."""

from __future__ import annotations

import inspect
import re
import shutil

from pipeline.ingest import PARALLEL_MIN_FILES, parse_files, scan_raw_dir
from pipeline.parsing import parse
from pipeline.parsing.native import PARSING_DIR
from pipeline.settings import DEFAULT_RAW_DIR


def test_scan_lists_report_files_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.HTML").write_bytes(b"<p>1</p>")
    (tmp_path / "a.txt").write_bytes(b"abc")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_bytes(b"c")
    (tmp_path / "folder.md").mkdir()

    manifest = scan_raw_dir(tmp_path)

    assert manifest.columns == ["source_path", "size", "mtime_ns"]
    assert manifest["source_path"].to_list() == ["a.txt", "b/x.HTML", "notes.pdf"]
    assert manifest["size"].to_list() == [3, 8, 4]
    assert (tmp_path / "a.txt").stat().st_mtime_ns == manifest["mtime_ns"][0]


def test_scan_of_an_empty_dir_has_the_manifest_columns(tmp_path):
    manifest = scan_raw_dir(tmp_path)

    assert manifest.height == 0
    assert manifest.columns == ["source_path", "size", "mtime_ns"]


def test_unreadable_file_becomes_a_failed_report(tmp_path):
    (tmp_path / "dir.txt").mkdir()  # a folder named like a report is not read

    parsed = parse_files(tmp_path, ["dir.txt", "gone.txt"])

    assert [path for path, _ in parsed] == ["dir.txt", "gone.txt"]
    assert [report.parse_status for _, report in parsed] == ["failed", "failed"]
    assert [[i.code for i in report.issues] for _, report in parsed] == [
        ["not_a_regular_file"],
        ["unreadable_file"],
    ]
    assert parsed[0][1].report_id != parsed[1][1].report_id


def test_seed_reports_parse_in_order():
    paths = sorted(p.name for p in DEFAULT_RAW_DIR.glob("*.txt"))

    parsed = parse_files(DEFAULT_RAW_DIR, paths)

    assert [path for path, _ in parsed] == paths
    assert all(report.source_name == path for path, report in parsed)


def test_process_pool_gives_the_same_reports_as_sequential(tmp_path):
    seeds = sorted(DEFAULT_RAW_DIR.glob("*.txt"))
    paths = []
    for i in range(PARALLEL_MIN_FILES + 5):
        seed = seeds[i % len(seeds)]
        target = tmp_path / f"{i:03d}_{seed.name}"
        shutil.copyfile(seed, target)
        paths.append(target.name)
    (tmp_path / "dir.txt").mkdir()
    paths.append("dir.txt")

    parallel = parse_files(tmp_path, paths, workers=2)
    sequential = parse_files(tmp_path, paths, workers=1)

    assert parallel == sequential


def test_the_caller_passes_the_current_year_and_the_parser_reads_no_clock():
    paths = sorted(p.name for p in DEFAULT_RAW_DIR.glob("*.txt"))
    years = {report.year for _, report in parse_files(DEFAULT_RAW_DIR, paths)}
    assert max(years) == 2023

    # a title year after the current year is not believed: the year handed in decides
    earlier = {report.year for _, report in parse_files(DEFAULT_RAW_DIR, paths, current_year=2022)}
    assert max(year for year in earlier if year is not None) <= 2022

    assert inspect.signature(parse).parameters["current_year"].default is inspect.Parameter.empty
    clock = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.utcnow|time\.time|import time)\b")
    parser_sources = sorted(PARSING_DIR.glob("*.py"))
    assert parser_sources
    assert [p.name for p in parser_sources if clock.search(p.read_text(encoding="utf-8"))] == []
