"""Parser accuracy on generated reports, through the real pipeline.

Renders N reports with known values (bench/report_generator.py: every layout, both templates,
random quirks and encodings; ``--pdf M`` adds M PDFs from bench/pdf_generator.py in the cells,
ruled and borderless styles), runs ``govreports_job`` in-process on them, and compares the
warehouse with the ground truth: cell accuracy per layout, metadata accuracy (agency, year,
template), reports whose values are wrong with no parse issue saying so (must be 0), and
ambiguous reports (numbers run together that the number rules allow to read in more than one
way) claimed as parsed (must be 0). A cell of such a row counts as exact when it holds the value
every reading agrees on, or NULL where the readings differ: that is the certain reading.

    .venv/bin/python -m bench.accuracy --reports 1000 --pdf 150
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

import duckdb

from bench.pdf_generator import pdf_corpus
from bench.pipeline_run import warehouse_of
from bench.report_generator import GeneratedReport, accuracy_corpus

REPORTS_SQL = """
select source_path, agency, year, template_version, parse_status,
    (select count(*) from parse_issues
     where parse_issues.report_id = reports.report_id
       and parse_issues.severity in ('error', 'warning')) as doubts
from reports
"""
FACTS_SQL = """
select reports.source_path, facts.section, facts.row_key, facts.column_key, facts.value
from facts join reports using (report_id)
"""


def evaluate(corpus: list[GeneratedReport], con: duckdb.DuckDBPyConnection) -> dict:
    """Per-layout counts of exact cells, metadata and silently wrong reports."""
    reports = {row[0]: row[1:] for row in con.execute(REPORTS_SQL).fetchall()}
    facts: dict[str, dict] = defaultdict(dict)
    for path, section, row_key, column_key, value in con.execute(FACTS_SQL).fetchall():
        facts[path][(section, row_key, column_key)] = value
    stats: dict[str, Counter] = defaultdict(Counter)
    silent: list[str] = []
    for report in corpus:
        agency, year, version, status, doubts = reports[report.name]
        truth, got = report.truth(), facts[report.name]
        exact = sum(key in got and got[key] == value for key, value in truth.items())
        wrong = [key for key in truth if key in got and got[key] != truth[key]]
        extra = set(got) - set(truth)
        layout = stats[report.layout]
        layout["reports"] += 1
        layout["cells"] += len(truth)
        layout["exact"] += exact
        layout["agency"] += agency == report.agency
        layout["year"] += year == report.year
        layout["template"] += version == report.template_version
        layout["parsed"] += status == "parsed"
        if (wrong or extra or exact < len(truth)) and not doubts:
            silent.append(report.name)
        if report.ambiguous():
            layout["ambiguous"] += 1
            layout["ambiguous_claimed_parsed"] += status == "parsed"
    return {"stats": stats, "silent": silent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pdf", type=int, default=0, help="also this many generated PDFs")
    args = parser.parse_args()

    corpus = accuracy_corpus(args.reports, seed=args.seed)
    corpus += pdf_corpus(args.pdf, seed=args.seed)
    with warehouse_of(corpus) as (con, elapsed):
        outcome = evaluate(corpus, con)
    stats: dict[str, Counter] = outcome["stats"]
    total = sum(stats.values(), Counter())
    lines = [
        f"{len(corpus)} generated reports, pipeline {elapsed:.1f} s",
        f"{'layout':<20}{'reports':>8}{'cells exact':>14}{'agency':>9}{'year':>8}"
        f"{'template':>10}{'parsed':>8}{'ambiguous':>11}{'as parsed':>11}",
    ]
    for name, counts in [*sorted(stats.items()), ("all", total)]:
        n = counts["reports"]
        lines.append(
            f"{name:<20}{n:>8}{counts['exact'] / counts['cells']:>14.4%}"
            f"{counts['agency'] / n:>9.1%}{counts['year'] / n:>8.1%}"
            f"{counts['template'] / n:>10.1%}{counts['parsed']:>8}"
            f"{counts['ambiguous']:>11}{counts['ambiguous_claimed_parsed']:>11}"
        )
    lines.append(f"silently wrong reports: {len(outcome['silent'])} {outcome['silent'][:5]}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
