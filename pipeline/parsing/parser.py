"""``parse(data, name)``: one report file's bytes → a ParsedReport. Pure; never raises on bad input.

Output schema (see ``model.py``): metadata (agency, year, template_version, title, encoding,
layout, parse_status), ``cells`` — one per template cell located, with the value printed
(Decimal or None), the printed text and its 1-based source line — ``issues`` — what could
not be read, or was repaired, each with severity, code, message and line — and ``narrative``,
the numbers section 一's prose states (see ``narrative.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby
from operator import attrgetter

from pipeline.parsing import template as tpl
from pipeline.parsing.capture import RowCapture, capture_rows
from pipeline.parsing.decode import decode
from pipeline.parsing.detached import place_detached_rows
from pipeline.parsing.flat import flatten_lines
from pipeline.parsing.html import html_lines, looks_like_html
from pipeline.parsing.identities import identity_verifier
from pipeline.parsing.labels import FUZZY_MIN_LENGTH, LabelMatcher, label_core
from pipeline.parsing.metadata import extract_metadata
from pipeline.parsing.model import (
    SEVERITY_ERROR,
    SEVERITY_INFO,
    SEVERITY_WARNING,
    STATUS_FAILED,
    STATUS_PARSED,
    STATUS_PARTIAL,
    Cell,
    ParsedReport,
    cell_from_fields,
)
from pipeline.parsing.narrative import extract_narrative
from pipeline.parsing.pdf import locate_cells, looks_like_pdf, read_pdf
from pipeline.parsing.regions import find_regions
from pipeline.parsing.tables import emit_cells, resolve_rows
from pipeline.parsing.tokens import Token, tokenize

_LINE_OF = attrgetter("line")
_APP_ORDER = (
    *(r.key for r in tpl.APPLICATION_ROWS["2021"][:-5]),
    "other_handling",
    *(r.key for r in tpl.APPLICATION_ROWS["2021"][-5:]),
)
_APP_SPECS = {r.key: r for version in tpl.TEMPLATE_VERSIONS for r in tpl.APPLICATION_ROWS[version]}
_APP_GROUPS = {f"group:{label}": label for label in tpl.APPLICATION_GROUP_LABELS}
_APP_MATCHER = LabelMatcher(
    [(key, _APP_SPECS[key].label) for key in _APP_ORDER] + list(_APP_GROUPS.items())
)

_ACTIVE_ORDER = tuple(r.key for r in tpl.ACTIVE_ROWS["2019"])
_ACTIVE_MATCHER = LabelMatcher(
    [(r.key, label) for r in tpl.ACTIVE_ROWS["2019"] for label in (r.label, *r.aliases)]
)
_ACTIVE_HEADERS = {
    version: {label_core(c.label) for c in tpl.ACTIVE_COLUMNS[version]}
    for version in tpl.TEMPLATE_VERSIONS
}
_OTHER_2021 = tpl.OTHER_ROWS_2021


def parse(data: bytes, name: str, *, current_year: int) -> ParsedReport:
    """Parse one report file. Anything unexpected becomes a parse issue, never an exception."""
    report = ParsedReport(name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        _parse_into(report, data, current_year)
    except Exception as exc:  # bad input is data: one file must never stop a run
        report.cells.clear()
        report.narrative.clear()
        report.parse_status = STATUS_FAILED
        report.issue(SEVERITY_ERROR, "parser_error", f"{type(exc).__name__}: {exc}")
    return report


def _parse_into(report: ParsedReport, data: bytes, current_year: int) -> None:
    if looks_like_pdf(data):  # content decides, not the name
        pdf = read_pdf(data)
        if pdf.problem_code:
            report.issue(SEVERITY_ERROR, pdf.problem_code, pdf.problem or pdf.problem_code)
            report.parse_status = STATUS_FAILED
            return
        # a table row's fields are the grid's columns: a blank field is a blank cell
        rows = frozenset(i for i, line in enumerate(pdf.lines, start=1) if "\t" in line)
        _read_tables(report, pdf.lines, current_year, grid_lines=rows)
        locate_cells(report, pdf)
        return
    decoded = decode(data)
    report.encoding = decoded.encoding
    if decoded.problem:
        report.issue(SEVERITY_ERROR, "unreadable", decoded.problem)
        report.parse_status = STATUS_FAILED
        return
    for line, printed in decoded.damaged:
        report.issue(
            SEVERITY_WARNING,
            "undecodable_bytes",
            f"bytes {printed} are not {decoded.encoding}: read as U+FFFD (�), the rest of the "
            "line as printed",
            source_line=line,
        )
    lines, source_lines, kind = decoded.lines, None, None
    fused_lines = grid_lines = frozenset[int]()
    text = "\n".join(lines)
    if looks_like_html(text):
        page = html_lines(text)
        lines, source_lines, kind = page.lines, page.source_lines, "html"
        grid_lines = frozenset(page.grid_lines)
        for line, index in page.spanned:
            report.issue(
                SEVERITY_WARNING,
                "value_spans_rows",
                f"cell {index + 1} of this table row is covered by a number printed across "
                "several rows (rowspan): the number belongs to the first row, this cell is NULL",
                source_line=line,
            )
    else:
        flat = flatten_lines(lines)
        if flat is not None:
            lines, source_lines, kind = flat.lines, flat.source_lines, "flat"
            fused_lines = frozenset(flat.fused_lines)
    _read_tables(report, lines, current_year, fused_lines, grid_lines)
    if kind == "flat":
        report.layout = "flat_text"
    elif kind is not None:
        report.layout = f"{kind}_{report.layout}" if report.layout else kind
    if source_lines is not None:
        _point_at_source(report, source_lines)


def _read_tables(
    report: ParsedReport,
    lines: list[str],
    current_year: int,
    fused_lines: frozenset[int] = frozenset(),
    grid_lines: frozenset[int] = frozenset(),
) -> None:
    _read_metadata(report, lines, current_year)
    tokens, report.layout = tokenize(lines, fused_lines, grid_lines)
    regions = find_regions(tokens, _is_application_row)
    if regions.applications is None and regions.appeals is None and regions.active is None:
        report.issue(
            SEVERITY_ERROR,
            "not_a_report",
            "none of the three tables (二 主动公开, 三 申请, 四 复议诉讼) was found",
        )
        report.parse_status = STATUS_FAILED
        return
    report.narrative = extract_narrative(lines, report.year)

    app_captures = (
        capture_rows(
            tokens,
            regions.applications,
            _APP_MATCHER,
            _APP_ORDER,
            frozenset(_APP_GROUPS),
            last_key="carried_forward",
        )
        if regions.applications
        else {}
    )
    # （六）其他处理 is a group in the 2021 format and a data row in 2019: numbers decide.
    if "other_handling" in app_captures and not app_captures["other_handling"].values:
        del app_captures["other_handling"]
    active_version = _active_version(tokens, regions.active)
    report.template_version = _template_version(report, app_captures, active_version)

    if regions.active:
        _read_active(report, tokens, regions.active)
    else:
        report.issue(SEVERITY_ERROR, "table_missing", "table 二 (主动公开政府信息情况) not found")
    if regions.applications:
        start, end = regions.applications
        region_lines = (tokens[start].line, tokens[end - 1].line)
        _read_applications(report, app_captures, tokens, region_lines)
    else:
        report.issue(SEVERITY_ERROR, "table_missing", "table 三 (收到和处理申请) not found")
    if regions.appeals:
        _read_appeals(report, tokens, regions.appeals)
    else:
        report.issue(SEVERITY_ERROR, "table_missing", "table 四 (行政复议、行政诉讼) not found")
    if regions.fees:
        _read_fees(report, tokens, regions.fees)

    has_error = any(i.severity == SEVERITY_ERROR for i in report.issues)
    report.parse_status = STATUS_PARTIAL if has_error else STATUS_PARSED


def _is_application_row(token: Token) -> bool:
    """A long table-三 row label (short ones like 总计 also head table 四's columns)."""
    if not token.is_text or len(label_core(token.raw)) < FUZZY_MIN_LENGTH:
        return False
    match = _APP_MATCHER.match(token.raw)
    return match is not None and not match.key.startswith("group:")


def _point_at_source(report: ParsedReport, source_lines: list[int | None]) -> None:
    """Cells, issues and narrative numbers point at lines of the source, not the rendering."""

    def source(line: int | None) -> int | None:
        if line is None or not 0 < line <= len(source_lines):
            return None
        return source_lines[line - 1]

    report.cells = [
        cell_from_fields((section, row, column, value, raw, source(line), page, bbox))
        for section, row, column, value, raw, line, page, bbox in report.cells
    ]
    report.issues = [replace(i, source_line=source(i.source_line)) for i in report.issues]
    report.narrative = [replace(n, source_line=source(n.source_line)) for n in report.narrative]


def _read_metadata(report: ParsedReport, lines: list[str], current_year: int) -> None:
    meta = extract_metadata(lines, current_year)
    report.title, report.agency, report.year = meta.title, meta.agency, meta.year
    if meta.title is None:
        report.issue(SEVERITY_INFO, "no_title", "no title line; agency and year read from the body")
    if report.agency is None:
        report.issue(SEVERITY_ERROR, "agency_not_found", "issuing agency not found")
    elif meta.agency_from_body:
        report.issue(SEVERITY_INFO, "agency_from_body", f"agency {report.agency} read from body")
    if report.year is None:
        report.issue(SEVERITY_ERROR, "year_not_found", "report year not found")
    elif meta.year_from_body:
        report.issue(SEVERITY_INFO, "year_from_body", f"year {report.year} read from the body")


def _active_version(tokens: Sequence[Token], region: tuple[int, int] | None) -> str | None:
    """Table 二's column headers tell the format apart."""
    if region is None:
        return None
    cores = {label_core(t.raw) for t in tokens[region[0] : region[1]] if t.is_text}
    hits = {v: len(cores & headers) for v, headers in _ACTIVE_HEADERS.items()}
    if hits["2021"] == hits["2019"]:
        return None
    return max(hits, key=hits.__getitem__)


def _template_version(
    report: ParsedReport, app_captures: dict[str, RowCapture], active_version: str | None
) -> str | None:
    app_version = None
    if any(k in app_captures for k in _OTHER_2021):
        app_version = "2021"
    elif "other_handling" in app_captures:
        app_version = "2019"
    year_version = None
    if report.year is not None and report.year >= 2019:
        year_version = "2021" if report.year >= 2021 else "2019"
    version = active_version or app_version or year_version
    if active_version and app_version and active_version != app_version:
        report.issue(
            SEVERITY_WARNING,
            "mixed_template",
            f"table 二 follows the {active_version} format but table 三's （六）其他处理 "
            f"follows {app_version}; rows kept as printed",
            section="applications",
        )
    return version


def _row_spec(section: str, key: str, version: str | None) -> tpl.RowSpec:
    """The row's spec in the report's format, else in the other format (mixed reports)."""
    versions = (version, *tpl.TEMPLATE_VERSIONS) if version else tpl.TEMPLATE_VERSIONS
    for v in versions:
        for row in tpl.rows_for(section, v):
            if row.key == key:
                return row
    raise KeyError(key)


def _report_missing_rows(
    report: ParsedReport,
    section: str,
    found: dict[str, RowCapture],
    title: str,
    version: str | None = None,
) -> None:
    version = version or report.template_version
    if version is None:
        return
    for row in tpl.rows_for(section, version):
        if row.key not in found:
            report.issue(
                SEVERITY_ERROR,
                "row_missing",
                f"{title}: row {row.key} ({row.label}) not found",
                section=section,
                row_key=row.key,
            )


def _read_active(report: ParsedReport, tokens: Sequence[Token], region: tuple[int, int]) -> None:
    section = "active_disclosure"
    captures = capture_rows(tokens, region, _ACTIVE_MATCHER, _ACTIVE_ORDER)
    specs = {key: _row_spec(section, key, report.template_version) for key in captures}
    columns = {key: spec.columns for key, spec in specs.items()}
    widths = {k: len(c) for k, c in columns.items()}
    kinds = {k: tuple(tpl.value_kind(col) for col in c) for k, c in columns.items()}
    rows = resolve_rows(report, section, captures, widths, None, kinds=kinds)
    emit_cells(report, section, rows, columns, captures)
    _report_rows_not_printed(report, section, captures, tokens[region[0] : region[1]])
    _report_missing_rows(report, section, captures, "table 二")


def _report_rows_not_printed(
    report: ParsedReport, section: str, captures: dict[str, RowCapture], window: Sequence[Token]
) -> None:
    """Table 二 rows whose label is printed nowhere in a table that was read: NULL cells.

    Bodies without rule-making power often leave the 规章 row out. Such a row is not a reading
    failure: its cells are loaded NULL with a ``row_not_printed`` warning, so the identities that
    need them are not assessable, and the report can still be ``parsed``.
    """
    if report.template_version is None or len(captures) < 2:
        return
    printed = "".join(label_core(t.raw) for t in window if t.is_text)
    for row in tpl.rows_for(section, report.template_version):
        if row.key in captures or any(label_core(a) in printed for a in (row.label, *row.aliases)):
            continue
        captures[row.key] = RowCapture(row.key, window[0])
        report.cells.extend(Cell(section, row.key, col, None, None, None) for col in row.columns)
        report.issue(
            SEVERITY_WARNING,
            "row_not_printed",
            f"table 二 has no {row.label} row ({row.key}); its cells are NULL (not printed, "
            "not unreadable)",
            section=section,
            row_key=row.key,
        )


def _read_applications(
    report: ParsedReport,
    captures: dict[str, RowCapture],
    tokens: Sequence[Token],
    region_lines: tuple[int, int],
) -> None:
    section = "applications"
    if report.template_version == "2021" and "other_handling" in captures:
        report.issue(
            SEVERITY_WARNING,
            "mixed_template",
            "a 2021-format report printing a single （六）其他处理 row: kept as other_handling",
            source_line=captures["other_handling"].label.line,
            section=section,
            row_key="other_handling",
        )
    rows_version = tpl.application_rows_version(set(captures), report.template_version)
    report.applications_version = rows_version
    verifier = identity_verifier(section, rows_version, tpl.APPLICANT_KEYS)
    grid = _cells_by_line(tokens)
    place_detached_rows(
        report,
        section,
        captures,
        tpl.APPLICATION_ROWS[rows_version],
        len(tpl.APPLICANT_KEYS),
        grid,
        region_lines,
        verifier,
    )
    widths = {key: len(tpl.APPLICANT_KEYS) for key in captures}
    rows = resolve_rows(report, section, captures, widths, verifier, grid)
    ordered = {key: rows[key] for key in _APP_ORDER if key in rows}
    emit_cells(report, section, ordered, dict.fromkeys(ordered, tpl.APPLICANT_KEYS), captures)
    # The rows a report printed decide which （六） structure it must have, as for the outcomes.
    _report_missing_rows(report, section, captures, "table 三", rows_version)


def _cells_by_line(tokens: Sequence[Token]) -> dict[int, list[Token]]:
    """The cells of each line, for placing rows by the table's grid."""
    lines: dict[int, list[Token]] = {}
    for line, cells in groupby(tokens, key=_LINE_OF):  # tokens come line by line
        lines.setdefault(line, []).extend(cells)
    return lines


def _numbers_after(tokens: Sequence[Token], region: tuple[int, int], anchor: RowCapture) -> None:
    """Fill ``anchor`` with the first run of numbers in the region (a one-row table)."""
    window = tokens[region[0] : region[1]]
    number_lines = {t.line for t in window if t.is_value}
    for token in window:
        if token.is_text:
            if anchor.values:
                break
            continue
        anchor.add(token, token.explicit and token.line in number_lines)


def _read_fees(report: ParsedReport, tokens: Sequence[Token], region: tuple[int, int]) -> None:
    """五、信息处理费收取情况 (2025 on): one optional row of three numbers, read only if exact."""
    section = "fees"
    (row,) = tpl.FEE_ROWS
    capture = RowCapture(row.key, tokens[region[0]])
    _numbers_after(tokens, region, capture)
    if not capture.values:
        return  # the section states it in words (未收取信息处理费): nothing to store
    kinds = tuple(tpl.value_kind(c) for c in row.columns)
    scratch = ParsedReport(report.source_name, report.source_sha256, report.source_bytes)
    cells = resolve_rows(
        scratch, section, {row.key: capture}, {row.key: len(kinds)}, None, kinds={row.key: kinds}
    )[row.key]
    # an optional table: what could not be read is a warning, never a partial report
    for issue in scratch.issues:
        report.issues.append(replace(issue, severity=SEVERITY_WARNING))
    if cells is not None:
        emit_cells(report, section, {row.key: cells}, {row.key: row.columns}, {row.key: capture})


def _read_appeals(report: ParsedReport, tokens: Sequence[Token], region: tuple[int, int]) -> None:
    """Table 四 is one row of 15 numbers under a three-level header."""
    section = "appeals"
    anchor = tokens[region[0]]
    capture = RowCapture("table 四", anchor, canonical=False)
    _numbers_after(tokens, region, capture)
    width = len(tpl.APPEAL_ROWS) * len(tpl.APPEAL_KEYS)
    if not capture.values:
        report.issue(SEVERITY_ERROR, "row_missing", "table 四: no numbers found", section=section)
        return
    key = capture.key
    rows_keys = tuple(r.key for r in tpl.APPEAL_ROWS)
    verifier = identity_verifier(section, "2021", tpl.APPEAL_KEYS, spans_rows=rows_keys)
    resolved = resolve_rows(report, section, {key: capture}, {key: width}, verifier)
    cells = resolved[key]
    per_row = len(tpl.APPEAL_KEYS)
    rows = {
        row.key: None if cells is None else cells[i * per_row : (i + 1) * per_row]
        for i, row in enumerate(tpl.APPEAL_ROWS)
    }
    captures = dict.fromkeys(rows, capture)
    emit_cells(report, section, rows, dict.fromkeys(rows, tpl.APPEAL_KEYS), captures)
