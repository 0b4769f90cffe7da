"""Throughput and memory benchmark: parse + load + quality checks on N reports, for growing N.

Each size runs in a fresh subprocess so peak memory is per size. The corpus is the five seed
reports in data/raw/ copied N/5 times with a unique trailer line (different content hashes,
same parsing work). Prints seconds per stage, reports per second, peak RSS, and the growth
exponent of total time in N (1.0 = linear). The quality stage (reconcile views, Great
Expectations checkpoint, checks/report_flags, Data Docs, dashboard) is timed after Great
Expectations is imported (a fixed ~5 s per process, not counted).

A last line gives PDF throughput on one core: ``--pdf N`` generated PDFs (every table style) and
the real 5-page PDF of tests/fixtures/real, parsed one after the other in this process.

    .venv/bin/python bench/benchmark.py --sizes 100 1000 5000 --workers 2 --pdf 100
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pipeline import warehouse
from pipeline.ingest import parse_files, scan_raw_dir
from pipeline.parsing import parse
from pipeline.quality import assess
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT

REAL_PDF = PROJECT_ROOT / "tests" / "fixtures" / "real" / "raw" / "31_hongze_2024.pdf"


def make_corpus(target: Path, size: int) -> None:
    seeds = sorted(p for p in DEFAULT_RAW_DIR.glob("*.txt"))
    for i in range(size):
        seed = seeds[i % len(seeds)]
        data = seed.read_bytes() + f"\n本页编号 bench-{i:07d}\n".encode()
        (target / f"{i:07d}_{seed.name}").write_bytes(data)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def run_one(size: int, workers: int) -> dict[str, float]:
    import great_expectations  # noqa: F401  (import cost is per process, not per report)

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        make_corpus(raw, size)
        db = Path(tmp) / "bench.duckdb"

        start = time.perf_counter()
        manifest = scan_raw_dir(raw)
        parsed = parse_files(raw, manifest["source_path"].to_list(), workers=workers)
        parse_done = time.perf_counter()
        tables = warehouse.reports_to_arrow(parsed)
        arrow_done = time.perf_counter()
        con = warehouse.connect(db)
        warehouse.ensure_schema(con)
        warehouse.load(con, tables)
        counts = warehouse.summary(con)
        load_done = time.perf_counter()
        quality = assess(
            con, data_docs_dir=Path(tmp) / "data_docs", dashboard=Path(tmp) / "dashboard.html"
        )
        con.close()
        end = time.perf_counter()
    assert counts["reports"] == size, counts
    return {
        "size": size,
        "parse_s": parse_done - start,
        "arrow_s": arrow_done - parse_done,
        "load_s": load_done - arrow_done,
        "quality_s": end - load_done,
        "total_s": end - start,
        "facts": counts["facts"],
        "checks": quality.checks.height,
        "peak_rss_mb": peak_rss_mb(),
    }


def pdf_throughput(n: int, rounds: int = 3) -> str:
    """Parse ``n`` generated PDFs and the real one on one core: the best of ``rounds`` runs."""
    # bench is run as a script (bench/benchmark.py): import the generator the same way
    sys.path.insert(0, str(PROJECT_ROOT))
    from bench.pdf_generator import pdf_corpus

    files = [(r.name, r.data()) for r in pdf_corpus(n, seed=1)]
    real = REAL_PDF.read_bytes()
    current_year = date.today().year

    def best(batch: list[tuple[str, bytes]]) -> float:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            for name, data in batch:
                parse(data, name, current_year=current_year)
            times.append((time.perf_counter() - start) / len(batch))
        return min(times)

    generated = best(files)
    hongze = best([(REAL_PDF.name, real)] * 20)
    return (
        f"PDF, one core: {n} generated PDFs {generated * 1000:.1f} ms each "
        f"({1 / generated:.0f} reports/s per core); real 5-page {REAL_PDF.name} "
        f"{hongze * 1000:.1f} ms ({1 / hongze:.0f} reports/s per core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdf", type=int, default=100, help="generated PDFs timed (0: none)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.stdout.write(json.dumps(run_one(args.one, args.workers)) + "\n")
        return

    results = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--workers", str(args.workers)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))

    header = f"{'reports':>8} {'parse s':>8} {'arrow s':>8} {'load s':>7} {'quality s':>9} "
    header += f"{'total s':>8} {'reports/s':>9} {'facts':>9} {'checks':>9} {'peak MB':>8}"
    lines = [f"workers={args.workers}", header]
    for r in results:
        lines.append(
            f"{r['size']:>8} {r['parse_s']:>8.2f} {r['arrow_s']:>8.2f} {r['load_s']:>7.2f} "
            f"{r['quality_s']:>9.2f} {r['total_s']:>8.2f} {r['size'] / r['total_s']:>9.0f} "
            f"{r['facts']:>9} {r['checks']:>9} {r['peak_rss_mb']:>8.0f}"
        )
    if len(results) >= 2:
        first, last = results[0], results[-1]
        exponent = math.log(last["total_s"] / first["total_s"]) / math.log(
            last["size"] / first["size"]
        )
        lines.append(f"time grows as N^{exponent:.2f} from {first['size']} to {last['size']}")
    if args.pdf:
        lines.append(pdf_throughput(args.pdf))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
