"""Flag precision and recall on a generated corpus, through the real pipeline.

Generates N/2 agencies × two consecutive years (bench.report_generator.py) with a share of
deliberately broken reports and year pairs, runs ``govreports_job`` in-process on them, and
compares ``report_flags`` (errors) and the cross-year / narrative warnings with the oracle.

    .venv/bin/python bench/flag_accuracy.py --reports 1000 --injected-share 0.3
"""

from __future__ import annotations

import argparse
import sys

from bench.pipeline_run import warehouse_of
from bench.report_generator import (
    broken_cross_year,
    broken_identities,
    broken_narrative,
    generate_corpus,
)

ERROR_FLAGS_SQL = "select source_path, rule_id, column_key from report_flags"
WARNINGS_SQL = """
select
    reports.source_path,
    checks.rule_id,
    case when checks.suite = 'cross_year' and checks.rule_id <> 'carryover' then checks.row_key
        else checks.column_key end
from checks join reports using (report_id)
where checks.status = 'failed' and checks.suite = ?
"""


def score(found: set, truth: set) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return (
        f"{len(truth):>6} expected {len(found):>6} found  precision {precision:7.2%}  "
        f"recall {recall:7.2%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--injected-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    corpus = generate_corpus(args.reports // 2, seed=args.seed, injected_share=args.injected_share)
    by_agency: dict[str, list] = {}
    for report in corpus:
        by_agency.setdefault(report.agency, []).append(report)
    errors = {(r.name, rule, column) for r in corpus for rule, column in broken_identities(r)}
    narrative = {(r.name, rule, "total") for r in corpus for rule in broken_narrative(r)}
    cross_year = {
        (second.name, rule, key)
        for first, second in by_agency.values()
        for rule, key in broken_cross_year(first, second)
    }
    with warehouse_of(corpus) as (con, elapsed):
        found_errors = set(con.execute(ERROR_FLAGS_SQL).fetchall())
        found_narrative = set(con.execute(WARNINGS_SQL, ["narrative"]).fetchall())
        found_cross_year = set(con.execute(WARNINGS_SQL, ["cross_year"]).fetchall())
        (statuses,) = con.execute(
            "select list(parse_status || ':' || n) from "
            "(select parse_status, count(*) n from reports group by all)"
        ).fetchall()
    broken_reports = len({name for name, _, _ in errors})
    lines = [
        f"{len(corpus)} reports ({broken_reports} with broken arithmetic), "
        f"pipeline {elapsed:.1f} s, statuses {statuses[0]}",
        f"errors (report_flags)   {score(found_errors, errors)}",
        f"narrative warnings      {score(found_narrative, narrative)}",
        f"cross-year warnings     {score(found_cross_year, cross_year)}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
