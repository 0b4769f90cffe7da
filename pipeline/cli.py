"""``govreports`` command line: run the Dagster job in-process and print a short summary."""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import dagster as dg
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import analyst_cli
from pipeline.definitions import defs
from pipeline.defs.jobs import JOB_NAME, LOCK_HELD, LOCK_TAG
from pipeline.settings import (
    DASK_SCHEDULER_ENV,
    DEFAULT_LOCK_WAIT_SECONDS,
    RAW_DIR_ENV,
    WAREHOUSE_ENV,
    Settings,
    dashboard_path,
    data_docs_dir,
    executor_name,
    load_settings,
)
from pipeline.store import (
    WarehouseBusy,
    acquire_writer_lock,
    holds_writer_lock,
    release_writer_lock,
    warehouse_problem,
)

EXIT_PIPELINE_FAILED = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later

app = typer.Typer(add_completion=False, no_args_is_help=True)
console = Console()


def _version(value: bool) -> None:
    if value:
        console.print(f"govreports {analyst_cli.version()}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Chinese government information-disclosure annual reports -> DuckDB warehouse."""


@app.command()
def run(
    raw_dir: Annotated[
        Path | None,
        typer.Option(help=f"Folder of raw report files (env {RAW_DIR_ENV}; default data/raw)"),
    ] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            help=f"DuckDB warehouse file (env {WAREHOUSE_ENV}; default data/warehouse/)",
            dir_okay=False,
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            help="Seconds to wait for a run already writing this warehouse (default: exit at once)",
            min=0,
        ),
    ] = DEFAULT_LOCK_WAIT_SECONDS,
    debug: Annotated[
        bool, typer.Option("--debug", help="On failure, print the full error and its traceback")
    ] = False,
) -> None:
    """Ingest, parse and load every report through the Dagster job, in this process.

    Exit status: 0 the run completed (some reports may be flagged or unreadable: that is data),
    1 the pipeline failed, 2 bad arguments (no raw directory, a warehouse folder that cannot be
    written, a bad setting), 75 another run is writing this warehouse. Errors are one line each;
    ``--debug`` adds the traceback."""
    try:
        executor_name(strict=True)
        settings = load_settings(raw_dir, warehouse)
    except ValueError as exc:  # a bad environment variable (e.g. GOVREPORTS_EXECUTOR)
        if debug:
            console.print_exception()
        console.print(f"[bold red]bad setting:[/bold red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(code=EXIT_BAD_ARGUMENTS) from None
    if not settings.raw_dir.is_dir():
        console.print(f"[bold red]raw directory not found:[/bold red] {settings.raw_dir}")
        raise typer.Exit(code=EXIT_BAD_ARGUMENTS)
    problem = warehouse_problem(settings.warehouse)
    if problem:
        console.print(f"[bold red]{escape(problem)}[/bold red]", soft_wrap=True)
        raise typer.Exit(code=EXIT_BAD_ARGUMENTS)
    try:
        acquire_writer_lock(settings.warehouse, wait)
    except WarehouseBusy as busy:
        console.print(f"[bold red]busy:[/bold red] {escape(str(busy))}", soft_wrap=True)
        raise typer.Exit(code=EXIT_BUSY) from None
    except OSError as exc:
        message = f"cannot write beside the warehouse: {exc}"
        console.print(f"[bold red]{escape(message)}[/bold red]", soft_wrap=True)
        raise typer.Exit(code=EXIT_BAD_ARGUMENTS) from None
    try:
        result = execute_pipeline(settings, debug=debug)
    finally:
        release_writer_lock(settings.warehouse)
    if not result.success:
        for event in result.get_step_failure_events():
            if debug:
                console.print(escape(event.step_failure_data.error.to_string()), soft_wrap=True)
            console.print(f"[red]step {event.step_key} failed:[/red] {_root_cause(event)}")
        console.print("[bold red]govreports run failed[/bold red]")
        raise typer.Exit(code=EXIT_PIPELINE_FAILED)
    console.print(summary_table(run_counts(result), settings.warehouse))
    console.print(f"dashboard: {dashboard_path(settings.warehouse)}", soft_wrap=True)
    console.print(f"data docs: {data_docs_dir(settings.warehouse) / 'index.html'}", soft_wrap=True)


def execute_pipeline(
    settings: Settings, debug: bool = False
) -> dg.ExecuteInProcessResult | RunOutcome:
    """Run ``govreports_job`` with the paths of ``settings``; never raises for a step.

    In this process by default; on the executor ``settings.executor`` names otherwise (steps in
    other processes, or on a Dask cluster), with a persistent Dagster instance. Dagster's own
    log stays silent (a failed step is reported by the caller in one line) unless ``debug``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=dg.BetaWarning)
        warnings.simplefilter("ignore", category=dg.PreviewWarning)
        log_level = "DEBUG" if debug else "CRITICAL"
        if settings.executor != "in_process":
            return _execute_out_of_process(settings, log_level)
        job = defs().resolve_job_def(JOB_NAME)
        with _instance() as instance:
            return job.execute_in_process(
                run_config=run_config(settings, log_level),
                instance=instance,
                raise_on_error=False,
                tags=_lock_tags(settings),
            )


def _lock_tags(settings: Settings) -> dict[str, str]:
    """Tells the job this process holds the writer lock (taken before the run started)."""
    return {LOCK_TAG: LOCK_HELD} if holds_writer_lock(settings.warehouse) else {}


def govreports_job() -> dg.JobDefinition:
    """The job, rebuilt in each step process (``dg.reconstructable`` needs a module function)."""
    return defs().resolve_job_def(JOB_NAME)


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`execute_pipeline` reads from an out-of-process run (its instance is gone)."""

    success: bool
    materializations: dict[str, list[dg.AssetMaterialization]]
    failures: list[dg.DagsterEvent]

    def asset_materializations_for_node(self, node: str) -> list[dg.AssetMaterialization]:
        return self.materializations.get(node, [])

    def get_step_failure_events(self) -> list[dg.DagsterEvent]:
        return self.failures


def _execute_out_of_process(settings: Settings, log_level: str) -> RunOutcome:
    config = run_config(settings, log_level)
    if settings.executor == "dask":
        # a local cluster here; GOVREPORTS_DASK_SCHEDULER (an address) joins an existing one
        address = os.environ.get(DASK_SCHEDULER_ENV)
        cluster = (
            {"existing": {"address": address}}
            if address
            else {"local": {"n_workers": settings.shards, "threads_per_worker": 1}}
        )
        config["execution"] = {"config": {"cluster": cluster}}
        # Dask cannot size Dagster's events; it says so for every step
        logging.getLogger("distributed.sizeof").setLevel(logging.ERROR)
    with _instance(persistent=True) as instance:
        with dg.execute_job(
            dg.reconstructable(govreports_job),
            instance=instance,
            run_config=config,
            tags=_lock_tags(settings),
        ) as result:
            nodes = ("parsed_reports", "warehouse_tables", "data_quality", "published_warehouse")
            return RunOutcome(
                success=result.success,
                materializations={
                    n: list(result.asset_materializations_for_node(n)) for n in nodes
                },
                failures=list(result.get_step_failure_events()),
            )


def run_counts(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    """Warehouse totals recorded as materialisation metadata by the load and quality steps."""
    counts: dict[str, int] = {}
    for node in ("warehouse_tables", "data_quality"):
        (materialization,) = result.asset_materializations_for_node(node)
        counts |= {
            name: int(entry.value)
            for name, entry in materialization.metadata.items()
            if isinstance(entry.value, int)
        }
    return counts


def run_config(settings: Settings, log_level: str = "WARNING") -> dict[str, Any]:
    """Run config pointing the job's resources at ``settings`` paths; Dagster logs kept quiet.

    Shards run one after another in-process, each over ``workers`` processes; elsewhere they
    run side by side, so each gets its share of the workers."""
    workers = settings.workers
    if settings.executor != "in_process":
        workers = max(1, workers // settings.shards)
    return {
        "resources": {
            "raw_files": {"config": {"raw_dir": str(settings.raw_dir), "workers": workers}},
            "warehouse": {"config": {"path": str(settings.warehouse)}},
        },
        "loggers": {"console": {"config": {"log_level": log_level}}},
    }


def _root_cause(event: dg.DagsterEvent) -> str:
    """The innermost error of a step failure, e.g. ``FileNotFoundError: …``."""
    error = event.step_failure_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    return escape(error.message.strip()) if error is not None else "unknown error"


def _instance(persistent: bool = False) -> dg.DagsterInstance:
    """The DAGSTER_HOME instance when one is configured, else a throwaway one (on disk when
    steps run in other processes)."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    if persistent:
        return dg.DagsterInstance.local_temp()
    return dg.DagsterInstance.ephemeral()


def summary_table(counts: dict[str, int], warehouse: Path) -> Table:
    """The run summary: report counts by outcome, flags, facts, issues, the warehouse path."""
    table = Table(title="govreports run complete", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("reports seen", counts["reports"]),
        ("parsed", counts["parsed"]),
        ("partial", counts["partial"]),
        ("failed", counts["failed"]),
        ("flagged", counts["flagged"]),
        ("with warnings", counts["warned_reports"]),
        ("facts", counts["facts"]),
        ("parse issues", counts["issues"]),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    table.add_row("warehouse", str(warehouse))
    return table


# flags, show, query: the analysts' commands (pipeline/analyst_cli.py)
analyst_cli.register(app)
