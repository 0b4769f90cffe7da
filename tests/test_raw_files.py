"""Every raw file is data, whatever its name or kind: loaded, or recorded with a clear issue.

Names that are not UTF-8, with newlines or spaces, deep folders, FIFOs, sockets, dangling links,
symlinks leading out of the raw directory: none stops the run, none is followed out, and every
good report beside them is loaded exactly. The real job writes a real warehouse.
"""

from __future__ import annotations

import os
import shutil
import socket
from contextlib import closing

import duckdb
import pytest

from pipeline.ingest import fs_path_of, read_raw_file, scan_raw_dir, source_path_of

pytestmark = pytest.mark.dagster

SEED = "000_d9cb11323f1ad30e.txt"
BAD_NAME = os.fsdecode(b"\xb1\xa8\xb8\xe6-gbk-name.txt")  # 报告 in GBK: not UTF-8


def test_source_path_is_lossless_and_readable():
    for name in ("a/b/报告.txt", BAD_NAME, "line\nbreak and space.txt", "back\\slash\\x41.txt"):
        assert fs_path_of(source_path_of(name)) == name
    assert source_path_of(BAD_NAME) == "\\xb1\\xa8\\xb8\\xe6-gbk-name.txt"
    assert source_path_of("line\nbreak and space.txt") == "line\\x0abreak and space.txt"
    assert source_path_of("报告 2023.html") == "报告 2023.html"  # UTF-8 names unchanged


@pytest.fixture
def odd_raw_dir(seed_raw_dir, tmp_path):
    """The five seeds, copies of one under awkward names, and entries that are not files."""
    raw = seed_raw_dir
    seed = (raw / SEED).read_bytes()
    (raw / BAD_NAME).write_bytes(seed + b"\n")
    (raw / "line\nbreak and space.txt").write_bytes(seed + b"\n\n")
    deep = raw / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "deep.txt").write_bytes(seed + b"\n\n\n")
    os.mkfifo(raw / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(raw / "socket.txt"))
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for us", encoding="utf-8")
    (raw / "outside_dir").symlink_to(outside)
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "inside_link.txt").symlink_to(raw / SEED)
    yield raw
    server.close()


def test_scan_lists_every_entry_and_follows_no_link(odd_raw_dir):
    listed = set(scan_raw_dir(odd_raw_dir)["source_path"].to_list())

    assert {
        "\\xb1\\xa8\\xb8\\xe6-gbk-name.txt",
        "line\\x0abreak and space.txt",
        "a/b/c/d/deep.txt",
        "pipe.txt",
        "socket.txt",
        "passwd.txt",
        "outside_dir",
        "dangling.txt",
        "inside_link.txt",
    } <= listed
    assert not any("secret" in path for path in listed)


def test_entries_that_are_not_report_files_are_refused_with_a_reason(odd_raw_dir):
    reasons = {}
    for name in ("pipe.txt", "socket.txt", "passwd.txt", "outside_dir", "dangling.txt"):
        with pytest.raises(OSError) as caught:
            read_raw_file(odd_raw_dir, name)
        reasons[name] = getattr(caught.value, "code", "unreadable_file")

    assert reasons == {
        "pipe.txt": "not_a_regular_file",
        "socket.txt": "not_a_regular_file",
        "passwd.txt": "symlink_outside_raw_dir",
        "outside_dir": "symlink_outside_raw_dir",
        "dangling.txt": "unreadable_file",
    }
    assert read_raw_file(odd_raw_dir, "inside_link.txt") == (odd_raw_dir / SEED).read_bytes()


def test_the_run_loads_every_good_report_and_records_the_rest(odd_raw_dir, tmp_path, run_pipeline):
    warehouse = tmp_path / "wh" / "govreports.duckdb"

    assert run_pipeline(odd_raw_dir, warehouse).success
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        statuses = dict(con.execute("select source_path, parse_status from reports").fetchall())
        issues = dict(
            con.execute(
                "select source_path, code from parse_issues where severity = 'error'"
            ).fetchall()
        )
        seed_values = con.execute(
            """
            select count(distinct report_id), count(*) filter (where value is not null)
            from facts join reports using (report_id)
            where source_path in (?, ?, ?)
            """,
            [
                "\\xb1\\xa8\\xb8\\xe6-gbk-name.txt",
                "line\\x0abreak and space.txt",
                "a/b/c/d/deep.txt",
            ],
        ).fetchall()

    for name in ("\\xb1\\xa8\\xb8\\xe6-gbk-name.txt", "line\\x0abreak and space.txt"):
        assert statuses[name] == "parsed"
    assert statuses["a/b/c/d/deep.txt"] == "parsed"
    assert seed_values == [(3, 3 * 200)]  # three versions of the seed, every cell read
    assert {name: statuses[name] for name in ("pipe.txt", "socket.txt", "passwd.txt")} == {
        "pipe.txt": "failed",
        "socket.txt": "failed",
        "passwd.txt": "failed",
    }
    assert issues["pipe.txt"] == "not_a_regular_file"
    assert issues["passwd.txt"] == "symlink_outside_raw_dir"
    assert issues["dangling.txt"] == "unreadable_file"


def test_re_runs_of_the_same_input_do_not_grow_the_warehouse(seed_raw_dir, tmp_path, run_pipeline):
    warehouse = tmp_path / "wh" / "govreports.duckdb"

    def size() -> int:
        return sum(p.stat().st_size for p in warehouse.parent.glob("*.duckdb"))

    assert run_pipeline(seed_raw_dir, warehouse).success
    first = size()
    for _ in range(3):  # the same files: nothing read, nothing written
        assert run_pipeline(seed_raw_dir, warehouse).success
    assert size() == first
    sizes = []
    for _ in range(8):  # touched files: hashed again (not parsed), the manifest rewritten
        for path in seed_raw_dir.iterdir():
            os.utime(path)
        assert run_pipeline(seed_raw_dir, warehouse).success
        sizes.append(size())
    # DuckDB reuses the blocks a run frees: the two buffers stay within a run's churn
    assert max(sizes) < 1.2 * sizes[1], sizes


def test_a_vanished_raw_dir_entry_is_recorded_not_fatal(seed_raw_dir, tmp_path, run_pipeline):
    extra = seed_raw_dir / "extra.txt"
    shutil.copy(seed_raw_dir / SEED, extra)
    listed = scan_raw_dir(seed_raw_dir)
    extra.unlink()  # gone between the listing and the read

    with pytest.raises(FileNotFoundError):
        read_raw_file(seed_raw_dir, "extra.txt")
    assert "extra.txt" in listed["source_path"].to_list()
    assert run_pipeline(seed_raw_dir, tmp_path / "wh.duckdb").success
