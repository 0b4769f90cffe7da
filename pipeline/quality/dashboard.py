"""The reviewer's dashboard: one static HTML page beside the warehouse, and CSV exports.

Self-contained (no network, no external file: inline CSS, inline SVG, one inline script for
the filters) so it opens offline from a file or a USB stick. It shows

- parse health: every report not fully read, with its issue codes and messages;
- every list as "N of M" — a list capped on the page says so and links its full CSV in
  ``exports/`` (``report_flags``, every failed check, ``parse_issues``, the reports listed);
- Chinese labels beside the keys: rules from the suites' ``meta`` (``expectations/*.json``),
  rows and columns from ``dim_rows``/``dim_columns`` (the template);
- filters by year, rule, severity, agency and level (``?year=2023&rule=balance`` in the address
  sets them, so a filtered view can be linked);
- each body across years: its reports and years, flags, cross-year warnings, and the spellings
  of its name linked into one (``agencies``, ``agency_names``);
- each failed check's review state (confirmed, dismissed with its note, unreviewed);
- a section per report with a failed check: its tables as printed — each cell's value, raw
  text and source line (or page) — with the cells of every failing identity highlighted.

The numbers are also embedded as JSON (``<script type="application/json" id="dashboard-data">``)
for machines; ``<``, ``>`` and ``&`` in it are written ``\\u003c``, ``\\u003e``, ``\\u0026`` so
text from the web (agency names, raw cells, issue messages) cannot end the script element.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl
import pyarrow as pa
from markupsafe import Markup, escape

from pipeline.parsing import template
from pipeline.quality.validation import load_suite_configs
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.sql import load_sql
from pipeline.warehouse import fetch_arrow, staged

TEMPLATE_NAME = "dashboard.html.j2"
EXPORTS_DIRNAME = "exports"
DISCREPANCY_LIMIT = 25
FAILED_CHECK_LIMIT = 2000  # rows of the failed-checks table on the page (all in the CSV)
REPORT_LIMIT = 200  # report sections with their tables on the page
PARSE_HEALTH_LIMIT = 500
AGENCY_LIMIT = 1000  # rows of the agencies-across-years table on the page
BAR_WIDTH = 320  # pixels of a 100 % bar
REVIEW_STATES = ("confirmed", "dismissed", "unreviewed")

SECTION_TITLES = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "fees": "五、信息处理费收取情况",
}
LEVEL_LABELS = {
    "ministry": "部委",
    "province": "省级",
    "prefecture": "地市级",
    "county": "县区级",
    "township": "乡镇街道",
    "department": "政府部门",
    "unknown": "未识别",
}
# Full CSV exports beside the page: file name -> statement in sql/.
EXPORTS = {
    "report_flags.csv": "select_export_report_flags",
    "failed_checks.csv": "select_dashboard_failed_checks",
    "parse_issues.csv": "select_export_parse_issues",
    "reports_listed.csv": "select_dashboard_reports",
    "agencies.csv": "select_dashboard_agencies",
}
# The statements the page also reads capped: for the CSV, every row.
EXPORT_PARAMETERS = {
    "select_dashboard_failed_checks": {"severity": None, "report_ids": None, "limit": None},
    "select_dashboard_reports": {"only": None, "limit": None},
}


@dataclass(frozen=True)
class DashboardData:
    totals: dict[str, int]
    by_rule: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    largest_errors: list[dict[str, Any]]
    largest_warnings: list[dict[str, Any]]
    generated_at: str
    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    failed_checks: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    parse_health: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, list[Any]] = field(default_factory=dict)
    agencies: list[dict[str, Any]] = field(default_factory=list)


def dashboard_data(
    con: duckdb.DuckDBPyConnection,
    expectations_dir: Path = EXPECTATIONS_DIR,
    *,
    agencies: pa.Table | None = None,
) -> DashboardData:
    """Everything the dashboard shows, read from the warehouse (and rule labels from suites).

    DuckDB counts and orders; only the rows the page lists are fetched (at most the limits).
    ``agencies``: the list :func:`ranked_agencies` made, when the caller writes its CSV too."""
    (totals,) = _rows(con, "select_quality_totals")
    (counts,) = _rows(con, "select_dashboard_totals")
    rules = rule_labels(expectations_dir)
    shown = _rows(con, "select_dashboard_reports", {"only": "failing", "limit": REPORT_LIMIT})
    health = _rows(con, "select_dashboard_reports", {"only": "unread", "limit": PARSE_HEALTH_LIMIT})
    issues = _by_report(_rows(con, "select_dashboard_issues", _ids(shown + health)))
    layouts = template_layouts(con)
    labels = _key_labels(layouts)
    failed = _failed_checks(con, rules, labels, limit=FAILED_CHECK_LIMIT)
    shown_ids = [report["report_id"] for report in shown]
    by_report = _by_report(_failed_checks(con, rules, labels, report_ids=shown_ids))
    reports = [
        report | {"checks": by_report[report["report_id"]], "issues": issues[report["report_id"]]}
        for report in shown
    ]
    _add_tables(con, reports, layouts)
    for report in health:
        report["issues"] = issues[report["report_id"]]
    totals |= {f"reviews_{status}": counts[f"reviews_{status}"] for status in REVIEW_STATES}
    totals |= {
        "listed_failed_checks": len(failed),
        "listed_reports": len(shown),
        "reports_with_failures": counts["reports_with_failures"],
        "listed_parse_health": len(health),
        "reports_not_parsed": counts["reports_not_parsed"],
    }
    agencies = ranked_agencies(con) if agencies is None else agencies
    listed_agencies = agencies.slice(0, AGENCY_LIMIT).to_pylist()
    totals |= {"agencies": counts["agencies"], "listed_agencies": len(listed_agencies)}
    by_rule = _rows(con, "select_flag_rates_by_rule")
    for row in by_rule:
        row["rule_label_zh"] = rules.get(row["rule"], {}).get("label_zh")
    largest = {}
    for severity in ("error", "warning"):
        totals[f"{severity}_checks_failed"] = counts[f"{severity}_checks_failed"]
        largest[severity] = _failed_checks(
            con, rules, labels, severity=severity, limit=DISCREPANCY_LIMIT
        )
    (filters,) = _rows(con, "select_dashboard_filters")
    return DashboardData(
        totals=totals,
        by_rule=by_rule,
        by_year=_rows(con, "select_flag_rates_by_year"),
        largest_errors=largest["error"],
        largest_warnings=largest["warning"],
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        rules=rules,
        failed_checks=failed,
        reports=reports,
        parse_health=health,
        agencies=listed_agencies,
        filters=filters | {"level": [lv for lv in LEVEL_LABELS if lv in filters["level"]]},
    )


def rule_labels(expectations_dir: Path = EXPECTATIONS_DIR) -> dict[str, dict[str, str]]:
    """Chinese label and both descriptions of every rule family (and structure rule id)."""
    labels: dict[str, dict[str, str]] = {}
    for suite in load_suite_configs(expectations_dir).values():
        labels.setdefault(
            suite["name"],
            {"label_zh": suite["meta"].get("label_zh", ""), "suite": suite["name"]},
        )
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            entry = {
                "label_zh": meta["label_zh"],
                "description_zh": meta["description_zh"],
                "description_en": meta["description_en"],
                "suite": suite["name"],
                "severity": "error" if expectation["severity"] == "critical" else "warning",
            }
            labels[meta.get("rule_id") or meta["rule"]] = entry
            if meta.get("rule") and meta["rule"] not in labels:
                labels[meta["rule"]] = entry
    return labels


def write_dashboard(data: DashboardData, path: Path, data_docs_index: Path | None) -> Path:
    """Render ``data`` to ``path`` (replacing it); link the Data Docs index when given."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["number"] = format_number
    environment.filters["plain"] = plain_number
    docs_link = None
    if data_docs_index is not None:
        docs_link = data_docs_index.relative_to(path.parent).as_posix()
    html = environment.get_template(TEMPLATE_NAME).render(
        data=data,
        bar_width=BAR_WIDTH,
        docs_link=docs_link,
        exports=EXPORTS_DIRNAME,
        section_titles=SECTION_TITLES,
        level_labels=LEVEL_LABELS,
        data_json=embedded_json(_machine_data(data)),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def agency_warnings(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each body's implausible jumps and republished reports (select_agency_warnings).

    They scan every fact but need no checks: a caller may read them on another cursor while
    Great Expectations validates, and give them to :func:`ranked_agencies`."""
    return fetch_arrow(con, "select_agency_warnings")


def ranked_agencies(con: duckdb.DuckDBPyConnection, warnings: pa.Table | None = None) -> pa.Table:
    """Every body in the agencies list's order (select_dashboard_agencies), for a caller that
    writes the page and ``agencies.csv`` both: DuckDB then ranks them once, not twice.
    ``warnings``: :func:`agency_warnings`, read now when not given."""
    warnings = agency_warnings(con) if warnings is None else warnings
    with staged(con, {"agency_warnings": warnings}):
        return fetch_arrow(con, "select_dashboard_agencies")


def write_exports(
    con: duckdb.DuckDBPyConnection, folder: Path, *, agencies: pa.Table | None = None
) -> dict[str, int]:
    """The full lists behind the page as CSV (UTF-8 with BOM, for spreadsheets); rows per file.
    ``agencies``: the list :func:`ranked_agencies` made, if the caller has it."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, statement in EXPORTS.items():
        if name == "agencies.csv":
            table = ranked_agencies(con) if agencies is None else agencies
        else:
            params = EXPORT_PARAMETERS.get(statement)
            table = con.sql(load_sql(statement), params=params).to_arrow_table()
        frame = pl.from_arrow(table)
        frame = frame.with_columns(  # lists (rules, years, spellings) as "a b c"
            pl.col(name).list.eval(pl.element().cast(pl.String)).list.join("; ")
            for name, dtype in frame.schema.items()
            if isinstance(dtype, pl.List)
        )
        frame.write_csv(folder / name, include_bom=True)
        counts[name] = frame.height
    return counts


def embedded_json(value: object) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` appears literally."""
    text = json.dumps(value, default=_json_value, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _machine_data(data: DashboardData) -> dict[str, Any]:
    """The embedded JSON: everything but the report tables (those are the page itself)."""
    content = {item.name: getattr(data, item.name) for item in fields(data)}
    content["reports"] = [
        {key: value for key, value in report.items() if key not in ("tables", "issues")}
        for report in data.reports
    ]
    return content


def _add_tables(
    con: duckdb.DuckDBPyConnection,
    reports: list[dict[str, Any]],
    layouts: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Each report's sections as printed: rows x columns with each cell read and highlighted."""
    ids = _ids(reports)
    cells: dict[str, dict[tuple, tuple]] = defaultdict(dict)
    for cell in con.execute(load_sql("select_dashboard_cells"), ids).fetchall():
        cells[cell[0]][cell[1:4]] = cell  # (section, row_key, column_key)
    marks: dict[str, dict[tuple, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for mark in _rows(con, "select_dashboard_check_cells", ids):
        key = (mark["section"], mark["row_key"], mark["column_key"])
        marks[mark["report_id"]][key].append(mark)
    for report in reports:
        printed = cells[report["report_id"]]
        tables = []
        for section in (*template.SECTIONS, *template.OPTIONAL_SECTIONS):
            version = report["applications_version"] if section == "applications" else None
            layout = layouts.get((section, version or report["template_version"]))
            optional = section in template.OPTIONAL_SECTIONS
            if layout is None or (optional and not any(k[0] == section for k in printed)):
                continue
            tables.append(
                _table(section, layout, printed, marks[report["report_id"]], optional=optional)
            )
        report["tables"] = tables


def _table(
    section: str,
    layout: dict[str, Any],
    printed: dict[tuple, tuple],
    marks: dict[tuple, list[dict[str, str]]],
    *,
    optional: bool,
) -> dict[str, Any]:
    """A section's rows, each with the markup of its cells (``cells``)."""
    rows = []
    for row in layout["rows"]:
        cells = []
        for column in layout["columns"]:
            key = (section, row["row_key"], column["column_key"])
            if optional or key[1:] in layout["cells"]:
                cells.append(_cell_html(key, printed.get(key), marks.get(key)))
            else:
                cells.append('<td class="none"></td>')
        rows.append(row | {"cells": Markup("".join(cells))})
    return {"section": section, "columns": layout["columns"], "rows": rows}


def _cell_html(key: tuple, cell: tuple | None, marks: list[dict[str, str]] | None) -> str:
    """The ``<td>`` of a template cell: ``cell`` its row of select_dashboard_cells (None: not
    printed), ``marks`` the failed checks' cells on it (select_dashboard_check_cells). Built
    here rather than in the template: 200 reports' tables have some 45,000 cells."""
    css, checks, read_by = "cell", "", ""
    if marks:
        rules = sorted({mark["rule_id"] for mark in marks})
        checks = f' data-checks="{escape(" ".join(rules))}"'
        read_by = "; read by " + ", ".join(rules)
        severity = _worst(mark["severity"] for mark in marks)
        css += f" hl-{severity}" if severity else ""
    if cell is None:
        css = css.replace("cell", "cell missing", 1)
        return f'<td class="{css}" title="{escape("not printed" + read_by)}">—</td>'
    *_, value, raw_text, line, page, bbox = cell
    if marks and any(mark["side"] == "expected" for mark in marks):
        css += " hl-expected"
    if value is None:
        text, shown, plain = "NULL", "", ""
    else:  # digits, separators, a sign: nothing to escape
        number = _json_value(value) if isinstance(value, Decimal) else value
        plain = str(number)
        text = shown = f"{number:,}" if isinstance(number, int) else plain
    raw = raw_text or ""
    title = "raw text: " + raw
    where = ""
    if line is not None:
        title += f"; line {line}"
        where = f"L{line}"
    if page is not None:
        title += f"; page {page}"
        where = f"p.{page} {where}"
    if bbox:
        title += f"; box {bbox}"
    if raw not in (shown, plain):
        text += f'<span class="raw">“{escape(raw)}”</span>'
    return (
        f'<td class="{css}" {_cell_attributes(key)}{checks} title="{escape(title + read_by)}">'
        f'{text}<span class="src">{where}</span></td>'
    )


@cache
def _cell_attributes(key: tuple) -> str:
    """``data-row`` and ``data-column`` of a cell (the same for every report)."""
    _, row_key, column_key = key
    return f'data-row="{escape(row_key)}" data-column="{escape(column_key)}"'


def template_layouts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (section, template version): its rows and columns in printed order, with labels, and
    the (row_key, column_key) cells the template has."""
    layouts: dict[tuple[str, str], dict[str, Any]] = {}
    for cell in _rows(con, "select_template_layout"):
        layout = layouts.setdefault(
            (cell["section"], cell["template_version"]),
            {"rows": [], "columns": [], "cells": set(), "_rows": set(), "_columns": set()},
        )
        if cell["row_key"] not in layout["_rows"]:
            layout["_rows"].add(cell["row_key"])
            layout["rows"].append(
                {
                    "row_key": cell["row_key"],
                    "label_zh": cell["row_label_zh"],
                    "parent_label_zh": cell["row_parent_label_zh"],
                }
            )
        if cell["column_key"] not in layout["_columns"]:
            layout["_columns"].add(cell["column_key"])
            layout["columns"].append(
                {
                    "column_key": cell["column_key"],
                    "label_zh": cell["column_label_zh"],
                    "parent_label_zh": cell["column_parent_label_zh"],
                }
            )
        if cell["has_cell"]:
            layout["cells"].add((cell["row_key"], cell["column_key"]))
    return layouts


def _key_labels(layouts: dict[tuple[str, str], dict[str, Any]]) -> dict[str, str]:
    """Chinese label of every row and column key (with its parent), any section or version."""
    labels: dict[str, str] = {}
    for layout in layouts.values():
        for item in (*layout["rows"], *layout["columns"]):
            key = item.get("row_key") or item["column_key"]
            label, parent = item["label_zh"], item["parent_label_zh"]
            labels.setdefault(key, f"{parent} › {label}" if parent else label)
    return labels


def _rule_label(rules: dict[str, dict[str, str]], check: dict[str, Any]) -> str | None:
    entry = rules.get(check["rule_id"]) or rules.get(check["rule"])
    return entry["label_zh"] if entry else None


def _worst(severities: Any) -> str | None:
    found = set(severities)
    return "error" if "error" in found else ("warning" if found else None)


def _failed_checks(
    con: duckdb.DuckDBPyConnection,
    rules: dict[str, dict[str, str]],
    labels: dict[str, str],
    *,
    severity: str | None = None,
    report_ids: list[str] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Failed checks in the page's order (errors first, the largest difference first), with the
    Chinese labels of their rule, row and column; ``None``: any severity, report, number."""
    parameters = {"severity": severity, "report_ids": report_ids, "limit": limit}
    checks = _rows(con, "select_dashboard_failed_checks", parameters)
    for check in checks:
        check["rule_label_zh"] = _rule_label(rules, check)
        check["row_label_zh"] = labels.get(check["row_key"])
        check["column_label_zh"] = labels.get(check["column_key"])
    return checks


def _by_report(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["report_id"]].append(row)
    return grouped


def _ids(reports: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {"report_ids": [r["report_id"] for r in reports]}


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(load_sql(name), parameters or {})
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def format_number(value: Decimal | int | None) -> str:
    """``1,234`` for whole numbers, trailing zeros dropped otherwise; blank for NULL."""
    if value is None:
        return ""
    number = _json_value(value) if isinstance(value, Decimal) else value
    return f"{number:,}" if isinstance(number, int) else str(number)


def plain_number(value: Decimal | int | None) -> str:
    """``1234`` (no separators), trailing zeros dropped; blank for NULL."""
    return "" if value is None else str(_json_value(value) if isinstance(value, Decimal) else value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
