"""Great Expectations: the suites in ``expectations/`` run by one checkpoint over the frames.

Each suite's JSON names the frame it validates (``meta.frame``, a ``reconcile_*`` view). Every
frame carries the index columns ``INDEX_COLUMNS``: Data Docs list each failing row by report,
file, agency and year and by rule; a validation returns its ``KEY_COLUMNS``, which identify a
check (fewer columns to look up for every failing row of every chunk). A suite has
one expectation per rule family, each restricted to its family's rows by a ``row_condition``
``rule == <family>`` that matches its ``meta.rule``. In the pipeline's runs Great Expectations
runs in a process of its own, and the run's process never imports it (see :class:`Validator`).
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.processes import worker_pool

SUITE_NAMES = ("arithmetic", "structure", "cross_year", "narrative", "fees")
# What identifies a check (frame row x expectation), and what Data Docs show a failing row with.
KEY_COLUMNS = ["report_id", "rule_id", "row_key", "column_key"]
INDEX_COLUMNS = [*KEY_COLUMNS, "source_path", "agency", "report_year"]
# Frames staged for the checkpoint's batches stay beside the Data Docs that point to them.
BATCHES_DIRNAME = "batches"
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
        for expectation in config["expectations"]:
            row_filter(expectation["kwargs"], expectation.get("meta", {}))  # raises if malformed
        configs[name] = config
    return configs


def row_filter(kwargs: dict[str, Any], meta: dict[str, Any]) -> tuple[str, Any] | None:
    """``(column, value)`` of an expectation's ``row_condition`` (``column == value``), or None.

    Only that one form is used, and on the ``rule`` column its value must be the expectation's
    ``meta.rule``: the checks of the rows it selects are then attributed to that family.
    """
    condition = kwargs.get("row_condition")
    if condition is None:
        return None
    if hasattr(condition, "dict"):  # a Great Expectations Condition, as a result returns it
        condition = condition.dict()
    if not (
        isinstance(condition, dict)
        and condition.get("type") == "comparison"
        and condition.get("operator") == "=="
        and isinstance(condition.get("column"), dict)
    ):
        raise ValueError(f"row_condition must be a comparison column == value: {condition!r}")
    column, value = condition["column"]["name"], condition["parameter"]
    if column == "rule" and meta.get("rule") != value:
        raise ValueError(f"row_condition rule == {value!r} but meta.rule is {meta.get('rule')!r}")
    return column, value


def columns_read(config: dict[str, Any]) -> list[str]:
    """The columns a suite's expectations read (and filter their rows on), in order."""
    columns: list[str] = []
    for expectation in config["expectations"]:
        kwargs = expectation["kwargs"]
        where = row_filter(kwargs, expectation.get("meta", {}))
        named = [kwargs.get(key) for key in ("column", "column_A", "column_B")]
        columns += [c for c in [*named, where[0] if where else None] if c and c not in columns]
    return columns


class Validator:
    """Great Expectations, run once per chunk of frames.

    The frames are written here as the checkpoint's Parquet batches; Great Expectations reads
    and validates them and renders Data Docs in the validation process once
    :func:`start_validation_process` started it (a run's parse step does), else in this one.
    Great Expectations takes seconds to import and holds its interpreter while it validates:
    in a process of its own, it is imported while the files are parsed, and this process
    computes the next chunk's frames and writes the last one's checks meanwhile.

    A run validates one chunk (the frames of a few thousand reports) at a time, so memory stays
    bounded whatever the number of reports. Data Docs describe the run's first chunk (all of a
    nightly increment): rendering them costs about a second per chunk, which a 100,000-report
    run cannot pay twenty times; ``checks`` and the dashboard hold every chunk's verdicts.
    """

    def __init__(
        self,
        suite_configs: dict[str, dict[str, Any]],
        *,
        current_year: int,
        data_docs_dir: Path | None = None,
    ) -> None:
        self.suite_configs = suite_configs
        self._temporary = tempfile.TemporaryDirectory(prefix="govreports-frames-")
        # where each checkpoint (with Data Docs or not) reads the frames it validates
        self._batches = {False: Path(self._temporary.name)}
        if data_docs_dir is not None:  # the docs show this run only; their batches stay beside
            if data_docs_dir.exists():
                shutil.rmtree(data_docs_dir)
            self._batches[True] = data_docs_dir / BATCHES_DIRNAME
            self._batches[True].mkdir(parents=True)
        checkpoints = _Checkpoints(suite_configs, current_year, data_docs_dir, self._batches)
        self._session = self._batches[False].name
        self._process = _running_validation_process()
        self._local: _Checkpoints | None = checkpoints if self._process is None else None
        if self._process is not None:
            self._process.submit(_open_session, self._session, checkpoints).result()
        self._docs_rendered: Future[None] | None = None
        self.renders_docs = True in self._batches  # of the first chunk it validates
        self.chunks_in_docs = 0
        # without Data Docs, a suite's batch holds only what its checks read and return
        self._columns = {
            name: [*KEY_COLUMNS, *(c for c in columns_read(config) if c not in KEY_COLUMNS)]
            for name, config in suite_configs.items()
        }

    def __enter__(self) -> Validator:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._docs_rendered is not None:
                self._docs_rendered.result()
            if self._process is not None:
                self._process.submit(_close_session, self._session).result()
        finally:
            self._temporary.cleanup()

    def run(self, frames: dict[str, pa.Table]) -> dict[str, SuiteOutcome]:
        """Validate one chunk: each suite against its frame of ``frames``."""
        with_docs = self.renders_docs and self.chunks_in_docs == 0
        for name, config in self.suite_configs.items():
            frame = frames[config["meta"]["frame"]]
            missing = set(INDEX_COLUMNS).difference(frame.column_names)
            if with_docs and missing:  # what Data Docs name each failing row by
                raise ValueError(f"Data Docs need {sorted(missing)} in {name}: chunk_frames(docs=)")
            if not with_docs:
                frame = frame.select(self._columns[name])
            frame = _for_great_expectations(frame)
            pq.write_table(frame, self._batches[with_docs] / f"{name}.parquet")
        if self._local is not None:
            outcomes = self._local.run(with_docs)
            if with_docs:
                self._local.render_docs()
        else:
            assert self._process is not None
            outcomes = self._process.submit(_run_session, self._session, with_docs).result()
            if with_docs:  # rendered while this process writes the chunk's checks and more
                self._docs_rendered = self._process.submit(_render_session_docs, self._session)
        self.chunks_in_docs += with_docs
        return outcomes


# ---- the validation process ----

_validation_process: ProcessPoolExecutor | None = None
_validation_process_lock = threading.Lock()


def start_validation_process() -> None:
    """Validators of this process validate in a process of their own from now on, started
    now: it imports Great Expectations (seconds) meanwhile. Kept for later runs of this
    process; started again if it died."""
    global _validation_process
    with _validation_process_lock:
        if _running_validation_process() is None:
            _validation_process = worker_pool(1, prepare=_import_great_expectations)
            _validation_process.submit(int)  # starts the process now, not on first use


def _running_validation_process() -> ProcessPoolExecutor | None:
    """The validation process, unless none was started or it died (a validator then
    validates in the calling process)."""
    process = _validation_process
    return None if process is None or getattr(process, "_broken", False) else process


def _import_great_expectations() -> None:
    import great_expectations  # noqa: F401


_sessions: dict[str, _Checkpoints] = {}  # in the validation process: the open validators


def _open_session(session: str, checkpoints: _Checkpoints) -> None:
    _sessions[session] = checkpoints


def _run_session(session: str, with_docs: bool) -> dict[str, SuiteOutcome]:
    return _sessions[session].run(with_docs)


def _render_session_docs(session: str) -> None:
    _sessions[session].render_docs()


def _close_session(session: str) -> None:
    _sessions.pop(session, None)


class _Checkpoints:
    """In the validation process: one Great Expectations context and its checkpoints (with Data
    Docs or not) over the Parquet batches the :class:`Validator` writes."""

    def __init__(
        self,
        suite_configs: dict[str, dict[str, Any]],
        current_year: int,
        data_docs_dir: Path | None,
        batches: dict[bool, Path],
    ) -> None:
        self.suite_configs = suite_configs
        self.current_year = current_year
        self.data_docs_dir = data_docs_dir
        self.batches = batches  # with Data Docs or not -> the folder of the frames
        self._context: Any = None
        self._checkpoints: dict[bool, Any] = {}
        self._to_render: list[Any] = []  # the validations Data Docs are to show

    def run(self, with_docs: bool) -> dict[str, SuiteOutcome]:
        """Validate the batches staged for this chunk; plain Python values only come back.
        With Data Docs, :meth:`render_docs` renders them next."""
        checkpoint = self._checkpoint(with_docs)
        self._context.validation_results_store.keep = with_docs  # what Data Docs render
        result = checkpoint.run(expectation_parameters={"current_year": self.current_year})
        if with_docs:
            self._to_render = list(result.run_results.items())
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

    def render_docs(self) -> None:
        """Data Docs of the validation run with them: its suites and their results (one build,
        as the checkpoint's ``UpdateDataDocsAction`` would make one per suite)."""
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        identifiers: list[Any] = []
        for identifier, validation in self._to_render:
            identifiers += [identifier, ExpectationSuiteIdentifier(name=validation.suite_name)]
        if identifiers:
            self._context.build_data_docs(resource_identifiers=identifiers)
        self._to_render = []

    def _checkpoint(self, with_docs: bool) -> Any:
        """The checkpoint over frames staged in the docs' batches folder (with Data Docs) or in
        a temporary folder; made on first use (the data assets need their files to exist)."""
        if with_docs in self._checkpoints:
            return self._checkpoints[with_docs]
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite

        if self._context is None:
            self._context = gx.get_context(
                project_config=_project_config(self.data_docs_dir), mode="ephemeral"
            )
            for config in self.suite_configs.values():
                self._context.suites.add(ExpectationSuite(**config))
        context = self._context
        label = "docs" if with_docs else "plain"
        datasource = context.data_sources.add_pandas_filesystem(
            f"{DATASOURCE_NAME}_{label}", base_directory=self.batches[with_docs]
        )
        definitions = []
        for name in self.suite_configs:
            asset = datasource.add_parquet_asset(name)
            batch = asset.add_batch_definition_path(name, path=f"{name}.parquet")
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(
                        name=f"{name}_{label}", data=batch, suite=context.suites.get(name)
                    )
                )
            )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"{CHECKPOINT_NAME}_{label}",
                validation_definitions=definitions,
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": INDEX_COLUMNS if with_docs else KEY_COLUMNS,
                },
            )
        )
        self._checkpoints[with_docs] = checkpoint
        return checkpoint


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


def _for_great_expectations(table: pa.Table) -> pa.Table:
    """Decimal columns as float64, string columns dictionary-encoded, for Great Expectations.

    GX converts every Decimal in a result with a stack inspection (minutes for thousands of
    failing rows). The expectations decide on ``difference``, computed exactly in SQL: an exact
    non-zero difference is never 0.0 as a float, however long the numbers (a 20-digit total off
    by 1 fails); ``checks`` keeps the exact decimals of the frame. Strings arrive in pandas as
    categoricals: each ``row_condition`` filter then copies small integer codes, not every
    report's path and agency again (about 40 % of a chunk's validation time).
    """
    columns = []
    for column in table.columns:
        if pa.types.is_decimal(column.type):
            column = column.cast(pa.float64())
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = column.dictionary_encode()
        columns.append(column)
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
            {column: _index_value(row.get(column)) for column in KEY_COLUMNS}
            for row in details.get("unexpected_index_list") or []
        ],
    )


def _index_value(value: Any) -> Any:
    """Index values as the frame holds them: pandas reports a NULL string as NaN."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _project_config(data_docs_dir: Path | None) -> Any:
    """In-memory stores (validation results kept only for Data Docs), no analytics, no
    progress bars; a local Data Docs site if asked."""
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
    defaults = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
    defaults.stores[defaults.validation_results_store_name] |= {
        "module_name": "pipeline.quality.results_store",
        "class_name": "ValidationResultsStore",
    }
    return DataContextConfig(
        store_backend_defaults=defaults,
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
