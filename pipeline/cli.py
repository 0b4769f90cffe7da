"""``govreports`` command line: run the Dagster job in-process and print a short summary."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Annotated, Any

import dagster as dg
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import analyst_cli
from pipeline.definitions import defs
from pipeline.defs.jobs import JOB_NAME
from pipeline.settings import (
    RAW_DIR_ENV,
    WAREHOUSE_ENV,
    Settings,
    dashboard_path,
    data_docs_dir,
    load_settings,
)

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
) -> None:
    """Ingest, parse and load every report through the Dagster job, in this process."""
    settings = load_settings(raw_dir, warehouse)
    if not settings.raw_dir.is_dir():
        console.print(f"[bold red]raw directory not found:[/bold red] {settings.raw_dir}")
        raise typer.Exit(code=2)
    result = execute_pipeline(settings)
    if not result.success:
        for event in result.get_step_failure_events():
            console.print(f"[red]step {event.step_key} failed:[/red] {_root_cause(event)}")
        console.print("[bold red]govreports run failed[/bold red]")
        raise typer.Exit(code=1)
    console.print(summary_table(run_counts(result), settings.warehouse))
    console.print(f"dashboard: {dashboard_path(settings.warehouse)}", soft_wrap=True)
    console.print(f"data docs: {data_docs_dir(settings.warehouse) / 'index.html'}", soft_wrap=True)


def execute_pipeline(settings: Settings) -> dg.ExecuteInProcessResult:
    """Run ``govreports_job`` in-process with the paths of ``settings``; never raises for a step."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=dg.BetaWarning)
        warnings.simplefilter("ignore", category=dg.PreviewWarning)
        job = defs().resolve_job_def(JOB_NAME)
        with _instance() as instance:
            return job.execute_in_process(
                run_config=run_config(settings), instance=instance, raise_on_error=False
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
    """Run config pointing the job's resources at ``settings`` paths; Dagster logs kept quiet."""
    return {
        "resources": {
            "raw_files": {
                "config": {"raw_dir": str(settings.raw_dir), "workers": settings.workers}
            },
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


def _instance() -> dg.DagsterInstance:
    """The DAGSTER_HOME instance when one is configured, else a throwaway one."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
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
