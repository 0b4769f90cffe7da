"""Parser accuracy on real published reports with hand-checked values, through the real job.

Runs ``govreports_job`` on ``tests/fixtures/real/raw`` (copied from ``../shared/real``) and scores
the warehouse against ``tests/fixtures/real/gold`` the way the project is judged: a scorable cell
is right when the warehouse has the same number (or NULL for a ``null`` gold cell, its row
present), wrong when it has another number or a number where gold is ``null`` (must stay 0),
missing otherwise. Cells gold lists as ``uncertain`` are not scored. A report is flagged right
when it has a failed error check exactly when its gold ``flags`` are non-empty.

    .venv/bin/python -m bench.real_accuracy            # every fixture
    .venv/bin/python -m bench.real_accuracy --no-pdf   # the eight that are not PDF
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bench.pipeline_run import warehouse_of_files
from pipeline.settings import PROJECT_ROOT

REAL_DIR = PROJECT_ROOT / "tests" / "fixtures" / "real"

REPORTS_SQL = """
select source_path, report_id, agency, year, template_version, parse_status
from reports
"""
FACTS_SQL = """
select report_id, section, row_key, column_key, value
from facts
"""
FLAGS_SQL = """
select report_id, list(distinct rule_id order by rule_id)
from report_flags
group by report_id
"""

CellKey = tuple[str, str, str]


@dataclass
class FileScore:
    """One fixture's score against its gold."""

    name: str
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    agency: bool = False
    year: bool = False
    template: bool = False
    flagged_right: bool = False
    status: str = ""
    flags: list[str] = field(default_factory=list)
    gold_flags: list[str] = field(default_factory=list)

    @property
    def scorable(self) -> int:
        return self.right + len(self.wrong) + len(self.missing)


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def score_file(
    gold: dict, report: tuple | None, facts: dict[CellKey, Decimal | None], flags: list[str]
) -> FileScore:
    """Score one warehouse report against its gold file."""
    score = FileScore(gold["file"], gold_flags=sorted(gold["flags"]), flags=flags)
    if report is None:
        score.missing = [f"{f['section']}.{f['row_key']}.{f['column_key']}" for f in gold["facts"]]
        return score  # (uncertain cells included: a report that is not loaded misses them all)
    _, agency, year, template, status = report
    score.agency = agency == gold["agency"]
    score.year = year == gold["year"]
    score.template = template == gold["template"]
    score.status = status
    score.flagged_right = bool(flags) == bool(gold["flags"])
    uncertain = {(u["section"], u["row_key"], u["column_key"]) for u in gold.get("uncertain", [])}
    for fact in gold["facts"]:
        key = (fact["section"], fact["row_key"], fact["column_key"])
        if key in uncertain:
            continue  # the source does not show this cell with certainty: not scored
        name = ".".join(key)
        expected = fact["value"]
        if key not in facts:
            score.missing.append(name)
            continue
        got = facts[key]
        if expected is None:
            if got is None:
                score.right += 1
            else:
                score.wrong.append(f"{name}={got} (gold NULL)")
        elif got is None:
            score.missing.append(name)
        elif Decimal(str(expected)) == got:
            score.right += 1
        else:
            score.wrong.append(f"{name}={got} (gold {expected})")
    return score


def run(include_pdf: bool = True, workers: int = 1) -> tuple[list[FileScore], float]:
    """Run the real job on the fixtures in a temporary folder; score every file."""
    golds = {
        g["file"]: g
        for g in map(load_gold, sorted((REAL_DIR / "gold").glob("*.json")))
        if include_pdf or not g["file"].endswith(".pdf")
    }
    files = [(name, (REAL_DIR / "raw" / name).read_bytes()) for name in golds]
    with warehouse_of_files(files, workers) as (con, elapsed):
        reports = {row[0]: row[1:] for row in con.execute(REPORTS_SQL).fetchall()}
        facts: dict[str, dict[CellKey, Decimal | None]] = {}
        for report_id, section, row_key, column_key, value in con.execute(FACTS_SQL).fetchall():
            facts.setdefault(report_id, {})[(section, row_key, column_key)] = value
        flags = dict(con.execute(FLAGS_SQL).fetchall())
    scores = []
    for name, gold in golds.items():
        report = reports.get(name)
        report_id = report[0] if report else None
        scores.append(
            score_file(gold, report, facts.get(report_id, {}), sorted(flags.get(report_id, [])))
        )
    return scores, elapsed


def render(scores: list[FileScore], elapsed: float, verbose: bool = False) -> str:
    lines = [
        f"{len(scores)} real reports, pipeline {elapsed:.1f} s",
        f"{'file':<44}{'right':>7}{'wrong':>7}{'missing':>9}{'of':>5}"
        f"{'agency':>8}{'year':>6}{'tmpl':>6}{'flag':>6}  status",
    ]
    total: Counter[str] = Counter()
    for s in scores:
        mark = {True: "ok", False: "NO"}
        lines.append(
            f"{s.name:<44}{s.right:>7}{len(s.wrong):>7}{len(s.missing):>9}{s.scorable:>5}"
            f"{mark[s.agency]:>8}{mark[s.year]:>6}{mark[s.template]:>6}"
            f"{mark[s.flagged_right]:>6}  {s.status}"
        )
        total.update(
            right=s.right,
            wrong=len(s.wrong),
            missing=len(s.missing),
            scorable=s.scorable,
            agency=s.agency,
            year=s.year,
            template=s.template,
            flagged=s.flagged_right,
        )
        if verbose:
            lines += [f"    WRONG {w}" for w in s.wrong]
            lines += [f"    missing {m}" for m in s.missing]
            if s.flags or s.gold_flags:
                lines.append(f"    flags {s.flags} (gold {s.gold_flags})")
    n = len(scores)
    lines.append(
        f"{'all':<44}{total['right']:>7}{total['wrong']:>7}{total['missing']:>9}"
        f"{total['scorable']:>5}{total['agency']:>6}/{n}{total['year']:>4}/{n}"
        f"{total['template']:>4}/{n}{total['flagged']:>4}/{n}"
    )
    share = total["right"] / max(1, total["scorable"])
    lines.append(
        f"cells right {share:.2%} ({total['right']} of {total['scorable']}), "
        f"wrong {total['wrong']}, missing {total['missing']}"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="score the non-PDF fixtures only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list wrong/missing cells")
    args = parser.parse_args()
    scores, elapsed = run(include_pdf=not args.no_pdf)
    sys.stdout.write(render(scores, elapsed, verbose=args.verbose))


if __name__ == "__main__":
    main()
