"""One Dagster asset check per Great Expectations suite, reported by the ``data_quality`` asset."""

from __future__ import annotations

import dagster as dg
import polars as pl

from pipeline.quality.checks import STATUS_FAILED, STATUS_NOT_ASSESSABLE
from pipeline.quality.validation import SUITE_NAMES, SuiteOutcome

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


def suite_check_result(suite: SuiteOutcome, checks: pl.DataFrame) -> dg.AssetCheckResult:
    """The suite's verdict, with flagged reports and the largest failing checks as examples."""
    rows = checks.filter(pl.col("suite") == suite.name)
    failed = rows.filter(pl.col("status") == STATUS_FAILED)
    examples = failed.with_columns(
        (pl.col("actual") - pl.col("expected")).abs().alias("size")
    ).sort(["size", "report_id", "rule_id"], descending=[True, False, False], nulls_last=True)
    return dg.AssetCheckResult(
        check_name=suite.name,
        asset_key=QUALITY_ASSET,
        passed=suite.success,
        severity=CHECK_SEVERITIES[suite.name],
        metadata={
            "flagged_reports": failed["report_id"].n_unique(),
            "failed_checks": failed.height,
            "not_assessable_checks": rows.filter(pl.col("status") == STATUS_NOT_ASSESSABLE).height,
            "checks": rows.height,
            "statistics": dg.MetadataValue.json(suite.statistics),
            "examples": dg.MetadataValue.md(_markdown(examples.head(EXAMPLE_LIMIT))),
        },
    )


def _markdown(failed: pl.DataFrame) -> str:
    if failed.is_empty():
        return "No failing rows."
    columns = ["report_id", "rule_id", "row_key", "column_key", "expected", "actual"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in failed.select(columns).iter_rows():
        lines.append("| " + " | ".join("" if v is None else str(v) for v in row) + " |")
    return "\n".join(lines)
