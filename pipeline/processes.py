"""Worker processes: spawned (callers are threaded: Dagster, DuckDB), dying with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def worker_pool(workers: int, prepare: Callable[[], object] | None = None) -> ProcessPoolExecutor:
    """A pool of spawned processes that die with this one; each runs ``prepare`` first."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), prepare),
    )


def _start_worker(parent_pid: int, prepare: Callable[[], object] | None) -> None:
    die_with_parent(parent_pid)
    if prepare is not None:
        prepare()


def die_with_parent(parent_pid: int) -> None:
    """The kernel kills this process when its parent dies (Linux), whatever signal killed the
    parent (an out-of-memory kill included)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
