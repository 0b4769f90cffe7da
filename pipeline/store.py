"""The warehouse on disk: two DuckDB buffers, a symlink readers open, one writer at a time.

A plain library (no Dagster). The warehouse path (``data/warehouse/govreports.duckdb``) is a
symbolic link to one of two complete DuckDB files beside it, ``govreports.a.duckdb`` and
``govreports.b.duckdb``: the *published* one. A run writes only the other one (the *standby*):
it first brings the standby to the published state — replaying the previous run's increment,
kept as Parquet in ``govreports.duckdb.state/deltas/<seq>/`` — then applies its own increment,
checks it, and publishes by replacing the link atomically (``rename(2)`` of a new link over the
old one). Readers open the path read-only with any DuckDB >= 1.0 and hold the file they opened
for as long as they keep the connection: they never share a file with the writer, never wait
for it, and never see a file the writer has not finished and validated.

The standby is rebuilt as a copy of the published file only when it cannot be replayed: the
first run after the warehouse was created or after a run was killed half-way, or when a reader
still holds the standby from two runs ago (its file is then unlinked; the reader keeps it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.settings import SLOT_NAMES, lock_path, slot_path, state_dir
from pipeline.sql import load_sql

STATE_COMPLETE = "complete"
STATE_LOADING = "loading"

# A replay costs a load of the increment; beyond this share of the published file's size a
# kernel copy of the file (copy_file_range, a reflink where the file system offers one) is
# cheaper.
REPLAY_MAX_SHARE = 0.25


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse (one writer at a time)."""


@dataclass(frozen=True)
class SlotState:
    """What one DuckDB buffer holds: the last complete run, and whether a run left it half-way."""

    seq: int
    dirty: bool


class Store:
    """The warehouse path, its two buffers and its state directory."""

    def __init__(self, warehouse: str | Path) -> None:
        self.path = Path(warehouse)
        self.slots = {name: slot_path(self.path, name) for name in SLOT_NAMES}
        self.state = state_dir(self.path)
        self.runs_dir = self.state / "runs"
        self.deltas_dir = self.state / "deltas"

    # ---- what readers see ----

    def published_slot(self) -> str | None:
        """The buffer the warehouse path points at; None before the first publish.

        A warehouse written before buffers existed (a plain file at the path) becomes buffer
        ``a`` here, atomically for its readers (a hard link, then the link replaces the file).
        """
        if self.path.is_symlink():
            target = os.readlink(self.path)
            for name, slot in self.slots.items():
                if Path(target).name == slot.name:
                    return name
            raise RuntimeError(f"{self.path} points at {target}, not at one of its buffers")
        if self.path.exists():
            if self.path.is_dir():
                raise IsADirectoryError(f"warehouse path is a directory: {self.path}")
            self._adopt_plain_file()
            return SLOT_NAMES[0]
        return None

    def published_file(self) -> Path | None:
        slot = self.published_slot()
        return None if slot is None else self.slots[slot]

    def standby_slot(self) -> str:
        published = self.published_slot()
        return next(name for name in SLOT_NAMES if name != published)

    def published_state(self) -> SlotState:
        published = self.published_file()
        if published is None:
            return SlotState(0, False)
        with contextlib.closing(duckdb.connect(str(published), read_only=True)) as con:
            return slot_state(con)

    def _adopt_plain_file(self) -> None:
        legacy = self.path
        wal = legacy.with_name(legacy.name + ".wal")
        if wal.exists():  # a run of the old layout was cut off: let DuckDB replay its log
            duckdb.connect(str(legacy)).close()
        target = self.slots[SLOT_NAMES[0]]
        target.unlink(missing_ok=True)
        os.link(legacy, target)
        self._point_at(target)

    # ---- the writer's side ----

    def standby_file(self) -> Path:
        return self.slots[self.standby_slot()]

    def prepare_standby(self, open_rw) -> tuple[duckdb.DuckDBPyConnection, str]:
        """Open the standby read-write at the published state; returns (connection, how).

        ``open_rw(path)`` opens a DuckDB file for writing (``pipeline.warehouse.connect``).
        ``how`` is ``replayed`` (the last increment applied), ``current`` (already there),
        ``copied`` (rebuilt from the published file) or ``created`` (first run).
        """
        published = self.published_file()
        standby = self.standby_file()
        if published is None:
            standby.unlink(missing_ok=True)
            _remove_wal(standby)
            return open_rw(standby), "created"
        target = self.published_state()
        con = _try_open(open_rw, standby) if standby.exists() else None
        if con is not None:
            state = slot_state(con)
            if not state.dirty and state.seq == target.seq:
                return con, "current"
            delta = self.delta(target.seq)
            if (
                not state.dirty
                and state.seq == target.seq - 1
                and delta.is_dir()
                and _size(delta) <= REPLAY_MAX_SHARE * published.stat().st_size
            ):
                from pipeline.runs import replay_delta  # the increment's own load and checks

                replay_delta(con, delta)
                if slot_state(con) == target:
                    return con, "replayed"
            con.close()
        self._copy_published(published, standby)
        return open_rw(standby), "copied"

    def _copy_published(self, published: Path, standby: Path) -> None:
        partial = standby.with_name(f".{standby.name}.{os.getpid()}.copy")
        shutil.copyfile(published, partial)  # copy_file_range: in the kernel, reflink if offered
        _fsync(partial)
        os.replace(partial, standby)  # a reader still holding the old standby keeps its file
        _remove_wal(standby)

    def publish(self) -> str:
        """Point the warehouse path at the standby (closed, checkpointed): one ``rename(2)``."""
        standby = self.standby_slot()
        _fsync(self.slots[standby])
        self._point_at(self.slots[standby])
        return standby

    def _point_at(self, target: Path) -> None:
        link = self.path.with_name(f".{self.path.name}.{os.getpid()}.link")
        link.unlink(missing_ok=True)
        os.symlink(target.name, link)  # relative: the folder can move
        os.replace(link, self.path)
        _fsync_dir(self.path.parent)

    # ---- increments kept for the other buffer ----

    def run_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    def delta(self, seq: int) -> Path:
        return self.deltas_dir / f"{seq:08d}"

    def keep_delta(self, run_dir: Path, seq: int) -> Path:
        """The run's staged Parquet becomes increment ``seq`` (before the publish)."""
        target = self.delta(seq)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(run_dir, target)
        _fsync_dir(target.parent)
        return target

    def clean(self, keep_run: str | None = None) -> None:
        """Drop increments both buffers hold and run folders of runs that never published."""
        published = self.published_state().seq
        for delta in sorted(self.deltas_dir.glob("*")) if self.deltas_dir.is_dir() else []:
            if delta.name.isdigit() and int(delta.name) != published:
                shutil.rmtree(delta, ignore_errors=True)
        for run in sorted(self.runs_dir.glob("*")) if self.runs_dir.is_dir() else []:
            if run.name != keep_run:
                shutil.rmtree(run, ignore_errors=True)


def slot_state(con: duckdb.DuckDBPyConnection) -> SlotState:
    """The buffer's last complete run and whether a run was cut off in it (empty file: 0)."""
    if not con.execute(load_sql("select_runs_table_exists")).fetchall()[0][0]:
        return SlotState(0, False)
    seq, dirty = con.execute(load_sql("select_slot_state")).fetchall()[0]
    return SlotState(int(seq), bool(dirty))


def _try_open(open_rw, path: Path) -> duckdb.DuckDBPyConnection | None:
    """The standby for writing, or None when a reader from two runs ago still holds it."""
    try:
        return open_rw(path)
    except duckdb.IOException:
        return None


def _remove_wal(path: Path) -> None:
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _size(folder: Path) -> int:
    """Bytes of the increment's rows (its Parquet), what a replay loads."""
    return sum(f.stat().st_size for f in folder.rglob("*.parquet") if f.is_file())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- one writer at a time ----

_held: dict[Path, int] = {}  # lock file -> descriptor, for the process holding it


def writer_lock_holder(warehouse: str | Path) -> dict[str, object] | None:
    """Who holds the warehouse's writer lock (pid, since, command), or None."""
    path = lock_path(Path(warehouse))
    if path in _held or not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def acquire_writer_lock(warehouse: str | Path, wait_seconds: float = 0.0) -> None:
    """Hold the warehouse's writer lock in this process (released at exit or by ``release``).

    Raises :class:`WarehouseBusy` naming the holder when another process keeps it longer than
    ``wait_seconds``. Idempotent within the process that holds it.
    """
    path = lock_path(Path(warehouse))
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(path)
                os.close(fd)
                raise WarehouseBusy(_busy_message(Path(warehouse), holder)) from None
            time.sleep(0.2)
    os.ftruncate(fd, 0)
    info = {"pid": os.getpid(), "since": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    os.write(fd, json.dumps(info).encode())
    _held[path] = fd


def release_writer_lock(warehouse: str | Path) -> None:
    fd = _held.pop(lock_path(Path(warehouse)), None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def writer_lock(warehouse: str | Path, wait_seconds: float = 0.0) -> Iterator[None]:
    held_before = lock_path(Path(warehouse)) in _held
    acquire_writer_lock(warehouse, wait_seconds)
    try:
        yield
    finally:
        if not held_before:
            release_writer_lock(warehouse)


def holds_writer_lock(warehouse: str | Path) -> bool:
    return lock_path(Path(warehouse)) in _held


def _holder(path: Path) -> dict[str, object]:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _busy_message(warehouse: Path, holder: dict[str, object]) -> str:
    who = f"process {holder['pid']}" if "pid" in holder else "another process"
    since = f" since {holder['since']}" if "since" in holder else ""
    return f"warehouse {warehouse} is being written by {who}{since}"
