"""The one-page data-quality dashboard: numbers from ``checks``/``report_flags``, inline SVG.

Self-contained HTML (no scripts, no external files) so it opens offline. The same numbers are
embedded as JSON (``<script type="application/json" id="dashboard-data">``) for machines.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from pipeline.sql import load_sql

TEMPLATE_NAME = "dashboard.html.j2"
DISCREPANCY_LIMIT = 25
BAR_WIDTH = 320  # pixels of a 100 % bar


@dataclass(frozen=True)
class DashboardData:
    totals: dict[str, int]
    by_rule: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    largest_errors: list[dict[str, Any]]
    largest_warnings: list[dict[str, Any]]
    generated_at: str


def dashboard_data(con: duckdb.DuckDBPyConnection) -> DashboardData:
    """Everything the dashboard shows, read from the warehouse."""
    (totals,) = _rows(con, "select_quality_totals")
    return DashboardData(
        totals=totals,
        by_rule=_rows(con, "select_flag_rates_by_rule"),
        by_year=_rows(con, "select_flag_rates_by_year"),
        largest_errors=_discrepancies(con, "error"),
        largest_warnings=_discrepancies(con, "warning"),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_dashboard(data: DashboardData, path: Path, data_docs_index: Path | None) -> Path:
    """Render ``data`` to ``path`` (replacing it); link the Data Docs index when given."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["number"] = _format_number
    docs_link = None
    if data_docs_index is not None:
        docs_link = data_docs_index.relative_to(path.parent).as_posix()
    html = environment.get_template(TEMPLATE_NAME).render(
        data=data,
        bar_width=BAR_WIDTH,
        docs_link=docs_link,
        # "</" cannot end the script element early: agencies are text from the web.
        data_json=json.dumps(
            asdict(data), default=_json_value, ensure_ascii=False, indent=1
        ).replace("</", "<\\/"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _discrepancies(con: duckdb.DuckDBPyConnection, severity: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        "select_largest_discrepancies",
        {"severity": severity, "limit": DISCREPANCY_LIMIT},
    )


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(load_sql(name), parameters or {})
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _format_number(value: Decimal | int | None) -> str:
    """``1,234`` for whole numbers, trailing zeros dropped otherwise; blank for NULL."""
    if value is None:
        return ""
    number = _json_value(value) if isinstance(value, Decimal) else value
    return f"{number:,}" if isinstance(number, int) else str(number)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
