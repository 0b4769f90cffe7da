"""Find report files in the raw dir and parse them (no Dagster).

Paths are always relative to the raw dir, in POSIX form, escaped where a name is not UTF-8 or
holds control characters (:func:`source_path_of`): they are the ``source_path`` of the warehouse
and the ``name`` handed to the parser.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import stat
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from itertools import repeat
from pathlib import Path

import polars as pl

from pipeline.parsing import parse
from pipeline.parsing.model import SEVERITY_ERROR, ParsedReport
from pipeline.settings import RAW_SUFFIXES

MANIFEST_SCHEMA = {"source_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64}

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 50


def source_path_of(relative: str) -> str:
    """The ``source_path`` of a path relative to the raw dir, as the file system spells it.

    Lossless and readable: UTF-8 names are kept as they are; a byte that is not UTF-8 (the
    name's surrogate escape) and a control character (newline, tab …) are written ``\\xNN``, a
    backslash ``\\\\``. :func:`fs_path_of` gives the name back.
    """
    if not _NEEDS_ESCAPE.search(relative):
        return relative
    out = []
    for char in relative:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (os.fsdecode's escape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


# what source_path_of writes otherwise: a backslash, a control character, a non-UTF-8 byte
_NEEDS_ESCAPE = re.compile(r"[\\\x00-\x1f\x7f\udc80-\udcff]")


def fs_path_of(source_path: str) -> str:
    """The file system's name of a ``source_path`` (inverse of :func:`source_path_of`)."""
    return _ESCAPE.sub(_unescape, source_path)


_ESCAPE = re.compile(r"\\\\|\\x([0-9a-f]{2})")


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return "\\"
    code = int(match.group(1), 16)
    return chr(0xDC00 + code) if code >= 0x80 else chr(code)


def scan_raw_dir(raw_dir: str | Path) -> pl.DataFrame:
    """Manifest of report files under ``raw_dir`` (recursive): source_path, size, mtime_ns.

    Only ``RAW_SUFFIXES`` count; hidden files and folders (``.name``) are skipped. Sorted by path.
    Never follows a symlink while walking and never opens anything: FIFOs, sockets, devices,
    symlinks and folders that cannot be listed are listed too (size and time of the entry
    itself), so that reading them records why they are not read (:func:`read_raw_file`).
    """
    root = Path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw directory not found: {root}")
    rows: list[tuple[str, int, int]] = []

    def unlistable(error: OSError) -> None:
        if error.filename and Path(error.filename) != root:
            relative = Path(error.filename).relative_to(root).as_posix()
            rows.append(_lstat_entry(error.filename, relative))

    for folder, dirs, files in os.walk(root, onerror=unlistable, followlinks=False):
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        linked = [d for d in dirs if os.path.islink(os.path.join(folder, d))]  # never followed
        for name in [*files, *linked]:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in RAW_SUFFIXES:
                continue
            entry = _lstat_entry(os.path.join(folder, name), prefix + name)
            if entry is not None:
                rows.append(entry)
    unique = {row[0]: row for row in rows if row is not None}
    return pl.DataFrame(list(unique.values()), schema=MANIFEST_SCHEMA, orient="row").sort(
        "source_path"
    )


def _lstat_entry(path: str, relative: str) -> tuple[str, int, int] | None:
    """(source_path, size, mtime_ns) of one directory entry, from ``lstat`` (never followed)."""
    try:
        entry = os.lstat(path)
    except OSError:  # vanished while scanning: the next scan sees it again
        return None
    return source_path_of(relative), entry.st_size, entry.st_mtime_ns


class RawFileRefused(OSError):
    """A raw directory entry that is not read: why, as a parse-issue code and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_raw_file(raw_dir: Path, source_path: str) -> bytes:
    """The bytes of one report file; :class:`RawFileRefused` (an ``OSError``) for what is not one.

    A symlink is read only when its target is a regular file inside the raw directory. FIFOs,
    sockets and devices are never opened (a FIFO would block); a folder that cannot be listed is
    reported as such. The file is opened without following links and checked again once open.
    """
    root = Path(raw_dir)
    path = root / fs_path_of(source_path)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            raise RawFileRefused(
                "symlink_outside_raw_dir",
                f"a symlink to {target}, outside the raw directory: not read",
            )
        path, info = target, target.stat()
    if stat.S_ISDIR(info.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise RawFileRefused("unreadable_directory", f"folder not listed: {exc}") from exc
        raise RawFileRefused("not_a_regular_file", "a folder (a symlink to one is not followed)")
    if not stat.S_ISREG(info.st_mode):
        raise RawFileRefused("not_a_regular_file", f"not a regular file: {_kind(info.st_mode)}")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the check and the open
            raise RawFileRefused("not_a_regular_file", "not a regular file when opened")
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a file"


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def parse_files(
    raw_dir: str | Path,
    paths: Sequence[str],
    workers: int = 1,
    *,
    current_year: int | None = None,
) -> list[tuple[str, ParsedReport]]:
    """Parse each file (path relative to ``raw_dir``), in order; never raises for a bad file.

    Uses a process pool of ``workers`` when there are more than ``PARALLEL_MIN_FILES`` files.
    ``current_year`` (default: today's, read once for the whole batch) bounds the years the
    parser believes; the parser itself reads no clock.
    """
    root = Path(raw_dir)
    year = current_year or date.today().year
    if workers > 1 and len(paths) > PARALLEL_MIN_FILES:
        chunksize = max(1, len(paths) // (workers * 8))
        # spawn, not fork: the caller may be a threaded process (Dagster, DuckDB).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            reports = list(
                pool.map(parse_file, repeat(root), paths, repeat(year), chunksize=chunksize)
            )
    else:
        reports = [parse_file(root, path, year) for path in paths]
    return list(zip(paths, reports, strict=True))


def parse_file(raw_dir: Path, source_path: str, current_year: int) -> ParsedReport:
    """Read and parse one file. An unreadable file gives a failed report, not an exception."""
    try:
        data = read_raw_file(raw_dir, source_path)
    except OSError as exc:
        # No content to hash: the id comes from the path, so each unreadable file stays distinct.
        digest = hashlib.sha256(f"unreadable:{source_path}".encode()).hexdigest()
        report = ParsedReport(source_path, digest, 0)
        code = exc.code if isinstance(exc, RawFileRefused) else "unreadable_file"
        message = str(exc) if isinstance(exc, RawFileRefused) else f"could not read file: {exc}"
        report.issue(SEVERITY_ERROR, code, message)
        return report
    # never raises: a parser bug becomes a parser_error issue
    return parse(data, source_path, current_year=current_year)
