"""Scale benchmark: the real Dagster job on generated text reports, full runs at growing N and
the nightly cases (nothing new, a 1 % increment, one changed file) on the largest.

Each run is a fresh process running ``govreports_job`` in-process (as ``govreports run``
does) while a thread samples the resident memory of the whole process tree, pool workers
included. Per stage (list, parse, load, check, publish) the seconds come from Dagster's step
events; ``total`` is the job's wall time, ``process`` adds Python, Dagster and the definitions
starting. Beside each full run the same files are read and decoded (``decode``, the parser's
first step) over the same number of worker processes: the machine's bare rate for these files.

The corpus: agencies with two consecutive years each (``generate_corpus``: every identity
holds, 5 % of reports broken on purpose), printed in the text layouts of the generator in turn;
generated once under ``--corpus`` and reused (hard links for each size).

    .venv/bin/python bench/benchmark.py --sizes 1000 10000 100000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: bench/ is importable from the project root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report_generator import LAYOUTS, PLACES, _ordinal, generate_corpus

AGENCIES_PER_BATCH = 500
SEED = 2024
INJECTED_SHARE = 0.05
TEXT_LAYOUTS = tuple(layout for layout in LAYOUTS if layout != "html")
STAGES = {
    "raw_report_files": "list",
    "parsed_reports": "parse",
    "warehouse_tables": "load",
    "data_quality": "check",
    "published_warehouse": "publish",
}
COLUMNS = ("list", "parse", "load", "check", "publish")


# ---- corpus ----


def write_corpus(folder: Path, size: int) -> list[Path]:
    """``size`` generated reports in ``folder`` (kept between benchmark runs), in order."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{size}"
    names: list[Path] = []
    batch = 0
    while len(names) < size:
        for report in _batch(batch, write=not marker.exists(), folder=folder):
            names.append(folder / report)
        batch += 1
    marker.touch()
    return names[:size]


def _batch(batch: int, *, write: bool, folder: Path) -> list[str]:
    reports = generate_corpus(AGENCIES_PER_BATCH, seed=SEED + batch, injected_share=INJECTED_SHARE)
    names = []
    for position, report in enumerate(reports):
        index = batch * AGENCIES_PER_BATCH + position // 2  # agencies unique across batches
        report.agency = f"{PLACES[index % len(PLACES)]}区{_ordinal(index)}街道办事处"
        report.layout = TEXT_LAYOUTS[(batch + position) % len(TEXT_LAYOUTS)]
        name = f"b{batch:04d}_{report.name}"
        if write:
            (folder / name).write_bytes(report.data())
        names.append(name)
    return names


def link_files(files: list[Path], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        os.link(path, target / path.name)


# ---- one measured run (a child process) ----


class TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled every 50 ms."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self.samples: list[tuple[float, int]] = []  # (epoch seconds, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for process in [self.process, *self.process.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.samples.append((time.time(), total))
            self._stop.wait(0.05)

    def peak_between(self, start: float, end: float) -> int:
        return max((rss for at, rss in self.samples if start <= at <= end), default=0)


def measure_run(raw: Path, warehouse: Path, workers: int) -> dict[str, object]:
    started = time.perf_counter()
    with TreeMemory() as memory:
        import dagster as dg

        from pipeline.cli import run_config
        from pipeline.definitions import defs
        from pipeline.settings import Settings

        job = defs().resolve_job_def("govreports_job")
        config = run_config(Settings(raw_dir=raw, warehouse=warehouse, workers=workers))
        with dg.DagsterInstance.ephemeral() as instance:
            job_start = time.perf_counter()
            result = job.execute_in_process(run_config=config, instance=instance)
            total = time.perf_counter() - job_start
            stages, windows = _stage_seconds(instance, result.run_id)
        plan = _metadata(result, "raw_report_files")
        parsed = _metadata(result, "parsed_reports")
        loaded = _metadata(result, "warehouse_tables")
        quality = _metadata(result, "data_quality")
    return {
        "success": result.success,
        **stages,
        "total": total,
        "process": time.perf_counter() - started,
        "peak_rss_mb": memory.peak / 2**20,
        "stage_peak_rss_mb": {
            stage: max(memory.peak_between(start, end) for start, end in spans) / 2**20
            for stage, spans in windows.items()
        },
        "files": plan["files"],
        "files_read": parsed["files_read"],
        "reports_parsed": parsed["reports"],
        "reports": loaded["reports"],
        "facts": loaded["facts"],
        "checked_reports": quality["checked_reports"],
        "checks": quality["checks"],
        "standby": loaded["standby"],
    }


def _stage_seconds(
    instance, run_id: str
) -> tuple[dict[str, float], dict[str, list[tuple[float, float]]]]:
    """Seconds per stage, and each stage's (start, end) epoch times, from the step events."""
    starts: dict[str, float] = {}
    seconds = dict.fromkeys(COLUMNS, 0.0)
    windows: dict[str, list[tuple[float, float]]] = {c: [] for c in COLUMNS}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            stage = STAGES[event.step_key.split(".")[0]]
            seconds[stage] += entry.timestamp - starts[event.step_key]
            windows[stage].append((starts[event.step_key], entry.timestamp))
    return seconds, windows


def _metadata(result, node: str) -> dict[str, object]:
    (materialization,) = result.asset_materializations_for_node(node)
    return {name: entry.value for name, entry in materialization.metadata.items()}


def read_decode_rate(raw: Path, workers: int) -> float:
    """Files per second read and decoded (no parsing) over ``workers`` processes."""
    files = sorted(str(p) for p in raw.iterdir())
    chunks = [files[i : i + 400] for i in range(0, len(files), 400)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = sum(pool.map(_read_decode, chunks))
    return done / (time.perf_counter() - start)


def _read_decode(paths: list[str]) -> int:
    from pipeline.parsing.decode import decode

    for path in paths:
        decode(Path(path).read_bytes())
    return len(paths)


# ---- scenarios ----


def run_child(raw: Path, warehouse: Path, workers: int, bare: bool) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(raw), str(warehouse)]
    command += ["--workers", str(workers)] + (["--bare"] if bare else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:  # the run's own last words, not this script's traceback
        last = (done.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
        raise SystemExit(f"benchmark run over {raw} failed (exit {done.returncode}): {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scenarios(sizes: list[int], workers: int, corpus: Path, work: Path) -> list[dict]:
    largest = max(sizes)
    increment = max(1, largest // 100)
    files = write_corpus(corpus, largest + increment)
    results = []
    for size in sorted(sizes):
        raw = work / f"raw-{size}"
        link_files(files[:size], raw)
        warehouse = work / f"wh-{size}" / "govreports.duckdb"
        results.append({"case": f"full run, {size:,}", **run_child(raw, warehouse, workers, True)})
        if size != largest:
            shutil.rmtree(work / f"wh-{size}")
            shutil.rmtree(raw)
            continue
        results.append(
            {"case": f"no change, {size:,}", **run_child(raw, warehouse, workers, False)}
        )
        link_files(files[size : size + increment], raw)
        label = f"+{increment:,} new (1 %)"
        results.append({"case": label, **run_child(raw, warehouse, workers, False)})
        changed = raw / files[0].name
        changed.unlink()  # a new inode: the corpus file it was linked to stays as it was
        changed.write_bytes(files[0].read_bytes().replace(b"\n", b"\r\n", 1))
        results.append({"case": "1 file changed", **run_child(raw, warehouse, workers, False)})
    return results


def table(results: list[dict], workers: int) -> str:
    head = "| case | files read | list s | parse s | load s | check s | publish s | total s "
    head += "| process s | reports/s | parse/s | read+decode/s | peak RSS MB | facts |"
    builds = ", ".join(sorted({r.get("parser", "?") for r in results}))
    lines = [f"workers={workers}, {os.cpu_count()} cores, parser: {builds}", "", head]
    lines.append("|---" * 14 + "|")
    for r in results:
        parse_rate = r["files_read"] / r["parse"] if r["parse"] and r["files_read"] else 0
        bare = f"{r['read_decode_rate']:,.0f}" if r.get("read_decode_rate") else ""
        lines.append(
            f"| {r['case']} | {r['files_read']:,} | "
            + " | ".join(f"{r[c]:.2f}" for c in COLUMNS)
            + f" | {r['total']:.1f} | {r['process']:.1f} | {r['files_read'] / r['total']:,.0f} | "
            + f"{parse_rate:,.0f} | {bare} | {r['peak_rss_mb']:,.0f} | {r['facts']:,} |"
        )
    lines += ["", "peak RSS MB of the process tree by stage:", ""]
    lines += ["| case | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for r in results:
        peaks = r["stage_peak_rss_mb"]
        lines.append(f"| {r['case']} | " + " | ".join(f"{peaks[c]:,.0f}" for c in COLUMNS) + " |")
    full = [r for r in results if r["case"].startswith("full run")]
    if len(full) >= 2:
        first, last = full[0], full[-1]
        ratio = math.log(last["files_read"] / first["files_read"])
        exponent = math.log(last["total"] / first["total"]) / ratio
        lines += ["", f"total time grows as N^{exponent:.2f} between the smallest and largest run"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--corpus", type=Path, default=Path(tempfile.gettempdir()) / "govreports-bench"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        raw, warehouse = args.child
        result = measure_run(raw, warehouse, args.workers)
        from pipeline.parsing import PARSER_BUILD

        result["parser"] = PARSER_BUILD  # compiled (mypyc) or the Python source
        if args.bare:
            result["read_decode_rate"] = read_decode_rate(raw, args.workers)
        sys.stdout.write(json.dumps(result) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="govreports-bench-") as work:
        results = scenarios(args.sizes, args.workers, args.corpus / "corpus", Path(work))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.stdout.write(table(results, args.workers) + "\n")


if __name__ == "__main__":
    main()
