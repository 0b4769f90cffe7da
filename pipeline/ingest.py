"""Find report files in the raw dir and parse them (no Dagster).

Paths are always relative to the raw dir, in POSIX form: they are the ``source_path`` of the
warehouse and the ``name`` handed to the parser.
"""

from __future__ import annotations

import hashlib
import multiprocessing
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


def scan_raw_dir(raw_dir: str | Path) -> pl.DataFrame:
    """Manifest of report files under ``raw_dir`` (recursive): source_path, size, mtime_ns.

    Only ``RAW_SUFFIXES`` count; hidden files and folders (``.name``) are skipped. Sorted by path.
    """
    root = Path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw directory not found: {root}")
    rows = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.suffix.lower() not in RAW_SUFFIXES or _is_hidden(relative):
            continue
        try:
            if not path.is_file():
                continue
            stat = path.stat()
        except OSError:  # vanished or unreadable while scanning; the next scan sees it again
            continue
        rows.append((relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA, orient="row").sort("source_path")


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
        data = (raw_dir / source_path).read_bytes()
    except OSError as exc:
        # No content to hash: the id comes from the path, so each unreadable file stays distinct.
        digest = hashlib.sha256(f"unreadable:{source_path}".encode()).hexdigest()
        report = ParsedReport(source_path, digest, 0)
        report.issue(SEVERITY_ERROR, "unreadable_file", f"could not read file: {exc}")
        return report
    # never raises: a parser bug becomes a parser_error issue
    return parse(data, source_path, current_year=current_year)
