"""One Dagster asset check per Great Expectations suite, reported by the ``data_quality`` asset.

A suite passes when no check of the warehouse fails it (after this run's validation of what
changed); the metadata counts the whole warehouse and names the largest failing checks.
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipeline.quality import QualityOutcome
from pipeline.quality.validation import SUITE_NAMES

QUALITY_ASSET = "data_quality"
EXAMPLE_LIMIT = 10
# Errors are what report_flags lists; cross-year and narrative disagreements are warnings.
CHECK_SEVERITIES = {
    "arithmetic": dg.AssetCheckSeverity.ERROR,
    "structure": dg.AssetCheckSeverity.ERROR,
    "cross_year": dg.AssetCheckSeverity.WARN,
    "narrative": dg.AssetCheckSeverity.WARN,
    "fees": dg.AssetCheckSeverity.WARN,
}
CHECK_DESCRIPTIONS = {
    "arithmetic": "勾稽关系 within each report: balance, outcomes, row_total, appeal_total.",
    "structure": "Parsed reports are complete; counts are non-negative integers; year and agency.",
    "cross_year": "carryover and in_force_trend between an agency's consecutive reports.",
    "narrative": "Numbers stated in section 一 match the tables.",
    "fees": "2025 on: information-processing fees collected within those notified.",
}

SUITE_CHECK_SPECS = [
    dg.AssetCheckSpec(name=name, asset=QUALITY_ASSET, description=CHECK_DESCRIPTIONS[name])
    for name in SUITE_NAMES
]


def suite_check_results(
    suites: dict[str, dict[str, Any]], outcome: QualityOutcome | None
) -> list[dg.AssetCheckResult]:
    """One result per suite from the warehouse's totals (``suites``: per suite the counts and
    ``examples`` of ``pipeline.runs.quality_totals``) and this run's validation, if any."""
    return [_result(name, suites.get(name, {}), outcome) for name in SUITE_NAMES]


def _result(
    name: str, totals: dict[str, Any], outcome: QualityOutcome | None
) -> dg.AssetCheckResult:
    failed = int(totals.get("failed_checks", 0))
    validated = outcome.suites.get(name) if outcome is not None else None
    return dg.AssetCheckResult(
        check_name=name,
        asset_key=QUALITY_ASSET,
        passed=failed == 0,
        severity=CHECK_SEVERITIES[name],
        metadata={
            "flagged_reports": int(totals.get("flagged_reports", 0)),
            "failed_checks": failed,
            "not_assessable_checks": int(totals.get("not_assessable_checks", 0)),
            "checks": int(totals.get("checks", 0)),
            "statistics": dg.MetadataValue.json(validated.statistics if validated else {}),
            "examples": dg.MetadataValue.md(_markdown(totals.get("examples", []))),
        },
    )


def _markdown(examples: list[tuple]) -> str:
    if not examples:
        return "No failing rows."
    columns = ["report_id", "rule_id", "row_key", "column_key", "expected", "actual"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in examples:
        lines.append("| " + " | ".join("" if v is None else str(v) for v in row) + " |")
    return "\n".join(lines)
