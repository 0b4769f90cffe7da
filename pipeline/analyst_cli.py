"""What analysts and reviewers run day to day, beside ``govreports run``::

    govreports flags [--year Y] [--rule R] [--agency A] [--warnings] [--csv]
    govreports show FILE|REPORT_ID
    govreports query "SQL" [--csv]
    govreports review confirm|dismiss REPORT RULE_ID [--row R] [--column C] [--note …]
    govreports --version

Every command but ``review`` opens the warehouse read-only (``--warehouse``,
``GOVREPORTS_WAREHOUSE``, default ``data/warehouse/govreports.duckdb``) and reports a problem as
one line on stderr with exit status 1 (2 for wrong usage), never a traceback.
"""

from __future__ import annotations

import csv
import functools
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import reviews
from pipeline.ingest import fs_path_of
from pipeline.parsing import template
from pipeline.parsing.decode import decode
from pipeline.parsing.pdf import looks_like_pdf, read_pdf
from pipeline.quality.dashboard import (
    SECTION_TITLES,
    format_number,
    plain_number,
    rule_labels,
    template_layouts,
)
from pipeline.settings import RAW_DIR_ENV, WAREHOUSE_ENV, load_settings
from pipeline.sql import load_sql
from pipeline.warehouse import connect

console = Console()
errors = Console(stderr=True)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        help=f"DuckDB warehouse file (env {WAREHOUSE_ENV}; default data/warehouse/)",
        dir_okay=False,
    ),
]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (all rows) instead of a table.")]
SOURCE_TEXT_WIDTH = 70


class UserError(Exception):
    """A problem the user can fix: printed as one line, exit status 1."""


def version() -> str:
    """The installed package's version (``unknown`` when run from a source tree only)."""
    try:
        return metadata.version("govreports")
    except metadata.PackageNotFoundError:
        return "unknown"


review_app = typer.Typer(
    help="Record a reviewer's decision on a failed check (kept across re-runs and rebuilds).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the analysts' commands to the ``govreports`` app."""
    app.command()(flags)
    app.command()(show)
    app.command()(query)
    app.add_typer(review_app, name="review")


def one_line_errors(command: Callable[..., None]) -> Callable[..., None]:
    """Report a failure as one line on stderr (exit 1) instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except UserError as exc:
            errors.print(f"[bold red]error:[/bold red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(code=1) from None
        except duckdb.Error as exc:
            message = str(exc).strip().splitlines()[0]
            errors.print(f"[bold red]error:[/bold red] {escape(message)}", soft_wrap=True)
            raise typer.Exit(code=1) from None

    return wrapper


@contextmanager
def read_only(
    warehouse: Path | None, *, sealed: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse; a clear error when it is missing or locked.

    ``sealed``: no access outside the warehouse either (no file read or written, no extension
    installed), for SQL typed by the user.
    """
    path = load_settings(warehouse=warehouse).warehouse
    if not path.is_file():
        raise UserError(f"no warehouse at {path}: run `govreports run` first, or give --warehouse")
    config = {"enable_external_access": False} if sealed else {}
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(f"{path} is locked by another process (a run writing it?)") from None
        raise UserError(f"cannot open {path}: {str(exc).splitlines()[0]}") from None
    with closing(con):
        yield con


@one_line_errors
def flags(
    year: Annotated[int | None, typer.Option(help="Only reports of this year.")] = None,
    rule: Annotated[
        str | None,
        typer.Option(help="A rule family (balance, outcomes, …) or a rule id (balance:total)."),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(help="Part of the agency's name (any of its spellings across years)."),
    ] = None,
    warnings: Annotated[
        bool, typer.Option("--warnings", help="Also failed warnings (cross-year, narrative…).")
    ] = False,
    limit: Annotated[int, typer.Option(help="Rows printed as a table (0: all).")] = 100,
    as_csv: CsvOption = False,
    warehouse: WarehouseOption = None,
) -> None:
    """The reports that do not add up: failed error checks (report_flags), largest first."""
    parameters = {
        "year": year,
        "rule": rule,
        "agency": agency,
        "severities": ["error", "warning"] if warnings else ["error"],
    }
    with read_only(warehouse) as con:
        columns, rows = _fetch(con, load_sql("select_cli_flags"), parameters)
    if as_csv:
        _write_csv(columns, rows)
        return
    labels = rule_labels()
    reviewed = any(row[columns.index("review_status")] != "unreviewed" for row in rows)
    table = Table(header_style="bold")
    for header in ("agency", "year", "file", "rule 规则", "row", "column"):
        table.add_column(header, overflow="fold")
    for header in ("expected", "actual", "difference"):
        table.add_column(header, justify="right", overflow="fold")
    if reviewed:
        table.add_column("review", overflow="fold")
    shown = rows if limit <= 0 else rows[:limit]
    for row in shown:
        record = dict(zip(columns, row, strict=True))
        label = labels.get(record["rule_id"]) or labels.get(record["rule"]) or {}
        style = "red" if record["severity"] == "error" else "yellow"
        cells = [
            escape(record["agency"] or ""),
            _text(record["year"]),
            escape(record["source_path"]),
            f"[{style}]{escape(record['rule_id'])}[/{style}] {label.get('label_zh', '')}",
            record["row_key"] or "",
            record["column_key"] or "",
            format_number(record["expected"]),
            format_number(record["actual"]),
            format_number(record["difference"]),
        ]
        review = record["review_status"] + (
            f": {record['review_note']}" if record["review_note"] else ""
        )
        table.add_row(*cells, *([escape(review)] if reviewed else []))
    reports = len({row[columns.index("report_id")] for row in rows})
    kind = "failed checks" if warnings else "flags (failed error checks)"
    if rows:
        console.print(table)
    console.print(
        f"{len(shown):,} of {len(rows):,} {kind} shown, in {reports:,} "
        + ("report" if reports == 1 else "reports")
        + (f"; --limit 0 or --csv for all {len(rows):,}" if len(shown) < len(rows) else ""),
        soft_wrap=True,
    )


ReportArgument = Annotated[str, typer.Argument(help="The report: its report_id or file path.")]
RuleArgument = Annotated[
    str, typer.Argument(help="The failed check's rule_id, e.g. balance:total or carryover.")
]
RowOption = Annotated[str | None, typer.Option(help="Its row_key, when the rule has several.")]
ColumnOption = Annotated[
    str | None, typer.Option(help="Its column_key, when the rule has several.")
]
ReviewerOption = Annotated[
    str | None, typer.Option(help="Who decided (kept with the decision).", envvar="USER")
]


@review_app.command("confirm")
@one_line_errors
def review_confirm(
    report: ReportArgument,
    rule_id: RuleArgument,
    row: RowOption = None,
    column: ColumnOption = None,
    note: Annotated[str | None, typer.Option(help="Why (optional).")] = None,
    reviewer: ReviewerOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The report is wrong: the flag stands."""
    _review(reviews.CONFIRMED, report, rule_id, row, column, note, reviewer, warehouse)


@review_app.command("dismiss")
@one_line_errors
def review_dismiss(
    report: ReportArgument,
    rule_id: RuleArgument,
    note: Annotated[str, typer.Option(help="What the parser got wrong (required).")],
    row: RowOption = None,
    column: ColumnOption = None,
    reviewer: ReviewerOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Not the report's fault (a parser error): the flag is dismissed, with a note."""
    _review(reviews.DISMISSED, report, rule_id, row, column, note, reviewer, warehouse)


def _review(
    decision: str,
    report: str,
    rule_id: str,
    row: str | None,
    column: str | None,
    note: str | None,
    reviewer: str | None,
    warehouse: Path | None,
) -> None:
    path = load_settings(warehouse=warehouse).warehouse
    if not path.is_file():
        raise UserError(f"no warehouse at {path}: run `govreports run` first, or give --warehouse")
    decisions = reviews.reviews_path(path)
    try:
        con = connect(path)
    except duckdb.IOException as exc:
        raise UserError(f"cannot write {path}: {str(exc).splitlines()[0]}") from None
    with closing(con):
        try:
            check = reviews.record(
                con,
                decisions,
                reviews.Decision(report, rule_id, decision, note, reviewer, row, column),
            )
        except reviews.ReviewError as exc:
            raise UserError(str(exc)) from None
    cell = " ".join(str(check[key]) for key in ("row_key", "column_key") if check[key])
    console.print(
        f"{decision}: {escape(check['source_path'])} {escape(check['rule_id'])} {escape(cell)}"
        f" (saved in {decisions})",
        soft_wrap=True,
    )


@one_line_errors
def show(
    report: Annotated[str, typer.Argument(help="A report_id, or the file's path in the raw dir.")],
    raw_dir: Annotated[
        Path | None,
        typer.Option(help=f"Where the raw files are (env {RAW_DIR_ENV}; default data/raw)"),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """One report's tables beside the source lines they came from, its issues and failed checks."""
    settings = load_settings(raw_dir, warehouse)
    with read_only(warehouse) as con:
        info = _one(con, load_sql("select_cli_report"), {"report": report})
        if info is None:
            raise UserError(f"no report with id or path {report!r} in {settings.warehouse}")
        report_id = info["report_id"]
        ids = {"report_ids": [report_id]}
        _, cells = _fetch(con, load_sql("select_dashboard_cells"), ids)
        _, marks = _fetch(con, load_sql("select_dashboard_check_cells"), ids)
        columns, checks = _fetch(con, load_sql("select_cli_report_checks"), {"id": report_id})
        issue_columns, issues = _fetch(con, load_sql("select_dashboard_issues"), ids)
        layouts = template_layouts(con)
    lines = _source_lines(settings.raw_dir / fs_path_of(info["source_path"]))
    console.print(
        f"[bold]{escape(info['agency'] or '(agency not found)')}[/bold] · "
        f"{_text(info['year']) or '(year not found)'} · {escape(info['source_path'])}",
        soft_wrap=True,
    )
    console.print(
        f"report_id {report_id} · {info['parse_status']} · template "
        f"{info['template_version'] or '?'} · layout {info['layout'] or '?'} · level "
        f"{info['level']}" + (f" · region {info['region_path']}" if info["region_path"] else ""),
        soft_wrap=True,
    )
    if lines is None:
        console.print(
            f"[yellow]source file not found under {settings.raw_dir}: tables without their "
            "source lines[/yellow]",
            soft_wrap=True,
        )
    _print_checks(columns, checks)
    _print_issues(issue_columns, issues)
    printed = {(c[1], c[2], c[3]): c for c in cells}
    marked = defaultdict(set)
    for mark in marks:
        marked[(mark[2], mark[3], mark[4])].add(mark[6])
    for section in (*template.SECTIONS, *template.OPTIONAL_SECTIONS):
        version = info["applications_version"] if section == "applications" else None
        key = (section, version or info["template_version"])
        if key not in layouts or not any(k[0] == section for k in printed):
            continue
        console.print(_section_table(section, layouts[key], printed, marked, lines))


@one_line_errors
def query(
    sql: Annotated[str, typer.Argument(help='SQL to run, e.g. "select * from report_flags"')],
    as_csv: CsvOption = False,
    limit: Annotated[int, typer.Option(help="Rows printed as a table (0: all).")] = 1000,
    warehouse: WarehouseOption = None,
) -> None:
    """Run read-only SQL on the warehouse and print the result (a table, or CSV with --csv)."""
    with read_only(warehouse, sealed=True) as con:
        columns, rows = _fetch(con, sql)
    if as_csv:
        _write_csv(columns, rows)
        return
    table = Table(header_style="bold")
    for name in columns:
        table.add_column(escape(name))
    shown = rows if limit <= 0 else rows[:limit]
    for row in shown:
        table.add_row(*(escape(_text(value)) for value in row))
    console.print(table)
    note = f"; --limit 0 or --csv for all {len(rows):,}" if len(shown) < len(rows) else ""
    console.print(f"{len(shown):,} of {len(rows):,} rows{note}", soft_wrap=True)


def _section_table(
    section: str,
    layout: dict[str, Any],
    printed: dict[tuple, tuple],
    marked: dict[tuple, set[str]],
    lines: list[str] | None,
) -> Table:
    table = Table(title=f"{SECTION_TITLES[section]} ({section})", title_justify="left")
    table.add_column("row")
    for column in layout["columns"]:
        table.add_column(f"{column['label_zh']}\n{column['column_key']}", justify="right")
    table.add_column("source")
    for row in layout["rows"]:
        values, sources = [], {}
        for column in layout["columns"]:
            key = (section, row["row_key"], column["column_key"])
            optional = section in template.OPTIONAL_SECTIONS
            if (row["row_key"], column["column_key"]) not in layout["cells"] and not optional:
                values.append("")
                continue
            cell = printed.get(key)
            severity = "error" if "error" in marked[key] else next(iter(marked[key]), None)
            values.append(_cell_text(cell, severity))
            if cell is not None and cell[6] is not None:  # source_line, then source_page
                sources[(cell[7], cell[6])] = None
        label = f"{escape(row['label_zh'])}\n[dim]{row['row_key']}[/dim]"
        table.add_row(label, *values, _sources(sources, lines))
    return table


def _cell_text(cell: tuple | None, severity: str | None) -> str:
    """The value (the raw text too when it differs), starred and coloured when a check fails."""
    if cell is None:
        text = "[dim]not printed[/dim]"
    else:
        value, raw = cell[4], cell[5] or ""
        shown = format_number(value) if value is not None else "NULL"
        same = raw in (shown, _text(value))
        text = escape(shown) + ("" if same else f' [dim]"{escape(raw)}"[/dim]')
    if severity is None:
        return text
    style = "bold red" if severity == "error" else "bold yellow"
    return f"[{style}]{text} *[/{style}]"


def _sources(sources: dict[tuple, None], lines: list[str] | None) -> str:
    """``L28 一、本年新收…`` for each source line of a row (page too for a PDF)."""
    parts = []
    for page, line in sorted(sources, key=lambda item: (item[0] or 0, item[1])):
        where = (f"p.{page} " if page is not None else "") + f"L{line}"
        text = ""
        if lines is not None and 0 < line <= len(lines):
            text = lines[line - 1].strip()
            if len(text) > SOURCE_TEXT_WIDTH:
                text = text[: SOURCE_TEXT_WIDTH - 1] + "…"
        parts.append(f"[dim]{where}[/dim] {escape(text)}")
    return "\n".join(parts)


def _print_checks(columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        console.print("No failed check.")
        return
    labels = rule_labels()
    title = "Failed checks (* in the tables: the cells they read)"
    table = Table(title=title, title_justify="left")
    for header in ("severity", "rule", "规则", "row", "column"):
        table.add_column(header)
    for header in ("expected", "actual", "difference"):
        table.add_column(header, justify="right")
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        label = labels.get(record["rule_id"]) or labels.get(record["rule"]) or {}
        style = "red" if record["severity"] == "error" else "yellow"
        table.add_row(
            f"[{style}]{record['severity']}[/{style}]",
            escape(record["rule_id"]),
            label.get("label_zh", ""),
            record["row_key"] or "",
            record["column_key"] or "",
            format_number(record["expected"]),
            format_number(record["actual"]),
            format_number(record["difference"]),
        )
    console.print(table)


def _print_issues(columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    table = Table(title="Parse issues", title_justify="left")
    for header in ("severity", "code", "line", "message"):
        table.add_column(header)
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        table.add_row(
            record["severity"],
            record["code"],
            _text(record["source_line"]),
            escape(record["message"]),
        )
    console.print(table)


def _source_lines(path: Path) -> list[str] | None:
    """The lines ``source_line`` counts: the decoded text, or a PDF reader's rendering."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return read_pdf(data).lines if looks_like_pdf(data) else decode(data).lines


def _fetch(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None
) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql, parameters) if parameters else con.execute(sql)
    if cursor.description is None:
        return [], []
    return [column[0] for column in cursor.description], cursor.fetchall()


def _one(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any]
) -> dict[str, Any] | None:
    columns, rows = _fetch(con, sql, parameters)
    return dict(zip(columns, rows[0], strict=True)) if rows else None


def _write_csv(columns: list[str], rows: list[tuple]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_text(value) for value in row] for row in rows)


def _text(value: object) -> str:
    """A value as text: NULL blank, decimals without trailing zeros, lists space-separated."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    return str(value)
