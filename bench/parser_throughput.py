"""Parser throughput on one core, per input kind: generated text reports, generated PDFs (every
table style) and the real 5-page PDF, parsed one after the other in this process.

    .venv/bin/python -m bench.parser_throughput --reports 300 --pdf 100
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from bench.pdf_generator import pdf_corpus
from bench.report_generator import accuracy_corpus
from pipeline.parsing import parse
from pipeline.settings import PROJECT_ROOT

REAL_PDF = PROJECT_ROOT / "tests" / "fixtures" / "real" / "raw" / "31_hongze_2024.pdf"


def seconds_each(batch: list[tuple[str, bytes]], rounds: int = 3) -> float:
    """Best of ``rounds`` passes over the batch: seconds per report."""
    current_year = date.today().year
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for name, data in batch:
            parse(data, name, current_year=current_year)
        times.append((time.perf_counter() - start) / len(batch))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300, help="generated text reports")
    parser.add_argument("--pdf", type=int, default=100, help="generated PDFs (0: none)")
    args = parser.parse_args()
    rows = [("text (every layout)", [(r.name, r.data()) for r in accuracy_corpus(args.reports)])]
    if args.pdf:
        rows.append(("PDF (generated)", [(r.name, r.data()) for r in pdf_corpus(args.pdf, seed=1)]))
        rows.append((f"PDF ({REAL_PDF.name})", [(REAL_PDF.name, REAL_PDF.read_bytes())] * 20))
    lines = [f"{'input':<30}{'ms each':>10}{'reports/s per core':>22}"]
    for label, batch in rows:
        each = seconds_each(batch)
        lines.append(f"{label:<30}{each * 1000:>10.1f}{1 / each:>22.0f}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
