"""Great Expectations: the suites in ``expectations/`` run by one checkpoint over the frames.

Each suite's JSON names the frame it validates (``meta.frame``, a ``reconcile_*`` view). Every
frame carries the index columns ``INDEX_COLUMNS``, so each failing row comes back identified by
report and rule. Great Expectations is imported lazily: it takes seconds to import.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SUITE_NAMES = ("arithmetic", "structure", "cross_year", "narrative", "fees")
INDEX_COLUMNS = ["report_id", "rule_id", "row_key", "column_key"]
DATASOURCE_NAME = "govreports"
CHECKPOINT_NAME = "govreports_checkpoint"


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's verdict: its configuration and the index of every failing row."""

    type: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]
    severity: str  # critical, warning, info (Great Expectations' FailureSeverity)
    success: bool
    unexpected_index: list[dict[str, Any]]


@dataclass(frozen=True)
class SuiteOutcome:
    name: str
    frame: str
    success: bool
    statistics: dict[str, float]  # evaluated / successful / unsuccessful expectations, percent
    expectations: list[ExpectationOutcome]


def load_suite_configs(expectations_dir: Path) -> dict[str, dict[str, Any]]:
    """The suites as stored: ``<name>.json`` for each of ``SUITE_NAMES`` (read, never written)."""
    configs = {}
    for name in SUITE_NAMES:
        config = json.loads((expectations_dir / f"{name}.json").read_text(encoding="utf-8"))
        if config.get("name") != name or not config.get("meta", {}).get("frame"):
            raise ValueError(f"{name}.json must have name {name!r} and meta.frame")
        configs[name] = config
    return configs


def run_checkpoint(
    frames: dict[str, pa.Table],
    suite_configs: dict[str, dict[str, Any]],
    *,
    current_year: int,
    data_docs_dir: Path | None = None,
) -> dict[str, SuiteOutcome]:
    """Validate every suite against its frame in one checkpoint; rebuild Data Docs if asked.

    ``frames`` maps a frame name (a suite's ``meta.frame``) to its rows. Each frame is staged as
    a Parquet file that the suite's batch definition reads, so one checkpoint run covers all
    suites. The docs folder is emptied first: it shows this run only.
    """
    with Validator(suite_configs, current_year=current_year, data_docs_dir=data_docs_dir) as v:
        return v.run(frames)


class Validator:
    """One Great Expectations context and checkpoint, run once per chunk of frames.

    Setting up the context costs about a second; a run validates one chunk (the frames of a
    few thousand reports) so memory stays bounded whatever the number of reports. Data Docs
    gather every chunk's validation of the run (the folder is emptied when the first runs).
    """

    def __init__(
        self,
        suite_configs: dict[str, dict[str, Any]],
        *,
        current_year: int,
        data_docs_dir: Path | None = None,
    ) -> None:
        self.suite_configs = suite_configs
        self.current_year = current_year
        self.data_docs_dir = data_docs_dir
        self._staging = tempfile.TemporaryDirectory(prefix="govreports-frames-")
        self._checkpoint: Any = None
        self._docs_cleared = False

    def __enter__(self) -> Validator:
        return self

    def __exit__(self, *exc: object) -> None:
        self._staging.cleanup()

    def _setup(self) -> Any:
        import great_expectations as gx
        from great_expectations.checkpoint import UpdateDataDocsAction
        from great_expectations.core.expectation_suite import ExpectationSuite

        docs = self.data_docs_dir
        context = gx.get_context(project_config=_project_config(docs), mode="ephemeral")
        datasource = context.data_sources.add_pandas_filesystem(
            DATASOURCE_NAME, base_directory=Path(self._staging.name)
        )
        definitions = []
        for name, config in self.suite_configs.items():
            asset = datasource.add_parquet_asset(name)
            batch = asset.add_batch_definition_path(name, path=f"{name}.parquet")
            suite = context.suites.add(ExpectationSuite(**config))
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch, suite=suite)
                )
            )
        return context.checkpoints.add(
            gx.Checkpoint(
                name=CHECKPOINT_NAME,
                validation_definitions=definitions,
                actions=[UpdateDataDocsAction(name="data_docs")] if docs else [],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": INDEX_COLUMNS,
                },
            )
        )

    def run(self, frames: dict[str, pa.Table]) -> dict[str, SuiteOutcome]:
        """Validate one chunk: each suite against its frame of ``frames``."""
        for name, config in self.suite_configs.items():
            frame = _as_float(frames[config["meta"]["frame"]])
            pq.write_table(frame, Path(self._staging.name) / f"{name}.parquet")
        if self._checkpoint is None:  # the data assets need their files to exist
            self._checkpoint = self._setup()
        if self.data_docs_dir and not self._docs_cleared:
            if self.data_docs_dir.exists():
                shutil.rmtree(self.data_docs_dir)
            self._docs_cleared = True
        result = self._checkpoint.run(expectation_parameters={"current_year": self.current_year})
        outcomes = {}
        for validation in result.run_results.values():
            name = validation.suite_name
            outcomes[name] = SuiteOutcome(
                name=name,
                frame=self.suite_configs[name]["meta"]["frame"],
                success=bool(validation.success),
                # plain floats: GX statistics may hold numpy numbers, which Dagster rejects
                statistics={k: float(v) for k, v in validation.statistics.items() if v is not None},
                expectations=[_expectation_outcome(r) for r in validation.results],
            )
        return {name: outcomes[name] for name in self.suite_configs}


def merge_outcomes(
    first: dict[str, SuiteOutcome], second: dict[str, SuiteOutcome]
) -> dict[str, SuiteOutcome]:
    """Two chunks' verdicts as one: an expectation succeeds when it succeeds on both."""
    merged = {}
    for name, a in first.items():
        b = second[name]
        expectations = [
            ExpectationOutcome(
                type=x.type,
                kwargs=x.kwargs,
                meta=x.meta,
                severity=x.severity,
                success=x.success and y.success,
                unexpected_index=x.unexpected_index + y.unexpected_index,
            )
            for x, y in zip(a.expectations, b.expectations, strict=True)
        ]
        successful = sum(e.success for e in expectations)
        statistics = {
            "evaluated_expectations": float(len(expectations)),
            "successful_expectations": float(successful),
            "unsuccessful_expectations": float(len(expectations) - successful),
            "success_percent": 100.0 * successful / len(expectations) if expectations else 100.0,
        }
        merged[name] = SuiteOutcome(
            name, a.frame, a.success and b.success, statistics, expectations
        )
    return merged


def _as_float(table: pa.Table) -> pa.Table:
    """Decimal columns as float64 for Great Expectations.

    GX converts every Decimal in a result with a stack inspection (minutes for thousands of
    failing rows). The compared numbers are counts, exact in float64 below 2**53; ``checks``
    keeps the exact decimals of the frame.
    """
    columns = [
        column.cast(pa.float64()) if pa.types.is_decimal(column.type) else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


def _expectation_outcome(result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    return ExpectationOutcome(
        type=config.type,
        kwargs=dict(config.kwargs),
        meta=dict(config.meta or {}),
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        unexpected_index=[
            {column: _index_value(row.get(column)) for column in INDEX_COLUMNS}
            for row in details.get("unexpected_index_list") or []
        ],
    )


def _index_value(value: Any) -> Any:
    """Index values as the frame holds them: pandas reports a NULL string as NaN."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _project_config(data_docs_dir: Path | None) -> Any:
    """In-memory stores, no analytics, no progress bars; a local Data Docs site if asked."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if data_docs_dir:
        sites["local_site"] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
