"""Rows → cells: a captured row's printed values become its cells, or NULL with an issue.

Rows with too many or too few numbers are where repairs and parse issues happen: surplus numbers
are dropped only when the identities admit one reading (``identities``), fused digits are split
by the number rules (``fused``), blank grid cells are placed by the table's geometry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from pipeline.parsing.capture import RowCapture
from pipeline.parsing.fused import read_fused
from pipeline.parsing.identities import Verifier, values_of
from pipeline.parsing.model import (
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    Cell,
    ParsedReport,
    cell_from_fields,
)
from pipeline.parsing.tokens import Token

# At most this many surplus numbers in a row are tried when recovering it from the identities.
MAX_SURPLUS = 2


def _candidates(values: Sequence[Token], width: int) -> list[tuple[Token, ...]]:
    """Ways to drop surplus cells so that ``width`` remain, one per distinct value vector."""
    surplus = len(values) - width
    if surplus < 1 or surplus > MAX_SURPLUS:
        return []
    seen: dict[tuple, tuple[Token, ...]] = {}
    for dropped in combinations(range(len(values)), surplus):
        kept = tuple(t for i, t in enumerate(values) if i not in dropped)
        seen.setdefault(tuple(values_of(kept)), kept)
    return list(seen.values())


def _trim_grid_blanks(values: list[Token], width: int) -> list[Token]:
    """Blank grid cells beyond the row's width stand in the label columns (an empty sub-label
    cell beside （六）其他处理) or past the table's edge: leading ones go first, then trailing."""
    values = list(values)
    while len(values) > width and values[0].is_empty and values[0].explicit:
        values.pop(0)
    while len(values) > width and values[-1].is_empty and values[-1].explicit:
        values.pop()
    return values


def resolve_rows(
    report: ParsedReport,
    section: str,
    captures: dict[str, RowCapture],
    widths: dict[str, int],
    verifier: Verifier | None,
    grid: Mapping[int, Sequence[Token]] | None = None,
    kinds: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, tuple[Token, ...] | None]:
    """Decide each captured row's cells; None where the printed numbers cannot be placed.

    ``grid`` (the cells of each line) lets a row with blank cells be placed by the table's own
    geometry: see :func:`_place_on_grid`. ``kinds`` gives each row's value kinds (count, signed,
    amount; all counts by default), used to split fused digit runs.
    """
    resolved: dict[str, tuple[Token, ...] | None] = {}
    pending: list[str] = []
    for key, capture in captures.items():
        width = widths[key]
        row_kinds = kinds[key] if kinds else ("count",) * width
        handled, cells = read_fused(report, section, capture, row_kinds)
        if handled:
            resolved[key] = cells
            continue
        capture.values = _trim_grid_blanks(capture.values, width)
        if len(capture.values) == width:
            resolved[key] = tuple(capture.values)
            continue
        numbers = [t for t in capture.values if not t.is_empty]
        if len(numbers) == width:
            resolved[key] = tuple(numbers)
            report.issue(
                SEVERITY_WARNING,
                "blank_cells_ignored",
                f"{capture.name}: blank cells between its {width} numbers taken as layout gaps",
                source_line=capture.line,
                section=section,
                row_key=capture.row_key,
            )
            continue
        pending.append(key)
    placed = _placed_on_grid(captures, widths, pending, resolved, verifier, grid)
    for key, tokens in placed.items():
        capture = captures[key]
        pending.remove(key)
        resolved[key] = tokens
        blank = [str(i + 1) for i, t in enumerate(tokens) if t.is_empty]
        report.issue(
            SEVERITY_WARNING,
            "blank_cells_placed",
            f"{capture.name}: {len(capture.values)} numbers for {widths[key]} columns; "
            f"blank cell(s) {', '.join(blank)} stand where the table's complete rows put "
            "numbers and the identities confirm every number: loaded as NULL",
            source_line=capture.line,
            section=section,
            row_key=capture.row_key,
        )
    known = {k: values_of(v) for k, v in resolved.items() if v is not None}
    for key in pending:
        capture = captures[key]
        width = widths[key]
        printed = " ".join(t.raw or "∅" for t in capture.values) or "nothing"
        accepted = None
        if verifier is not None:
            passing = []
            for candidate in _candidates(capture.values, width):
                confirmed = verifier(key, values_of(candidate), known)
                if confirmed is not None and len(confirmed) == width:
                    passing.append(candidate)
            if len(passing) == 1:
                accepted = passing[0]
        if accepted is not None:
            resolved[key] = accepted
            known[key] = values_of(accepted)
            report.issue(
                SEVERITY_WARNING,
                "row_repaired",
                f"{capture.name} printed {len(capture.values)} numbers for {width} columns "
                f"({printed}); "
                f"the table's identities admit only {' '.join(t.raw for t in accepted)}",
                source_line=capture.line,
                section=section,
                row_key=capture.row_key,
            )
        elif _run_together_hint(capture, width):
            resolved[key] = None
            report.issue(
                SEVERITY_ERROR,
                "digits_run_together",
                f"{capture.name} printed {len(capture.values)} values for {width} columns "
                f"({printed}): the digits look like several cells run together with no "
                "separator, which cannot be split with certainty; left NULL",
                source_line=capture.line,
                section=section,
                row_key=capture.row_key,
            )
        else:
            resolved[key] = None
            report.issue(
                SEVERITY_ERROR,
                "row_value_count",
                f"{capture.name} printed {len(capture.values)} values for {width} columns "
                f"({printed}); "
                "left NULL because their columns cannot be told with certainty",
                source_line=capture.line,
                section=section,
                row_key=capture.row_key,
            )
    return resolved


def _placed_on_grid(
    captures: dict[str, RowCapture],
    widths: dict[str, int],
    pending: Sequence[str],
    resolved: dict[str, tuple[Token, ...] | None],
    verifier: Verifier | None,
    grid: Mapping[int, Sequence[Token]] | None,
) -> dict[str, tuple[Token, ...]]:
    """Under-full rows placed by the grid, kept only if the identities confirm every number."""
    if not grid or verifier is None:
        return {}
    offsets = _value_offsets(captures, resolved)
    tentative = {}
    for key in pending:
        tokens = _place_on_grid(captures[key], widths[key], offsets, grid)
        if tokens is not None:
            tentative[key] = tokens
    if not tentative:
        return {}
    rows = {k: values_of(v) for k, v in resolved.items() if v is not None}
    rows |= {k: values_of(v) for k, v in tentative.items()}
    for key in tentative:
        others = {k: v for k, v in rows.items() if k != key}
        confirmed = verifier(key, rows[key], others)
        printed = {i for i, value in enumerate(rows[key]) if value is not None}
        if confirmed is None or not printed <= confirmed:
            return {}
    return tentative


def _run_together(token: Token) -> bool:
    """Digits that look like several cells printed with no separator: ``0000000``, ``05``."""
    digits = token.norm.replace(",", "")
    return digits.isdigit() and len(digits) > 1 and digits.startswith("0")


def _run_together_hint(capture: RowCapture, width: int) -> bool:
    """An under-full row with a digit string long enough to hold the missing cells."""
    missing = width - len(capture.values)
    # k cells run together leave k - 1 cells missing and a string of at least k digits; counts
    # of six digits and more do not occur in these tables.
    return missing > 0 and any(
        _run_together(t) or (t.norm.isdigit() and len(t.norm) >= max(missing + 1, 6))
        for t in capture.values
    )


def _value_offsets(
    captures: dict[str, RowCapture], resolved: dict[str, tuple[Token, ...] | None]
) -> set[int]:
    """Where complete one-line rows put their first number, counted in cells from the label."""
    offsets = set()
    for key, tokens in resolved.items():
        label = captures[key].label
        if tokens and all(t.line == label.line and t.is_value for t in tokens):
            if [t.col for t in tokens] == list(range(tokens[0].col, tokens[0].col + len(tokens))):
                offsets.add(tokens[0].col - label.col)
    return offsets


def _place_on_grid(
    capture: RowCapture, width: int, offsets: set[int], grid: Mapping[int, Sequence[Token]]
) -> tuple[Token, ...] | None:
    """An under-full one-line row whose cells fill the same slots as the complete rows.

    Only when every complete row of the table starts its numbers at the same offset from its
    label, and this row's line has exactly ``width`` cells there (numbers and blanks) and no
    number outside them: then each blank is a cell printed empty.
    """
    label = capture.label
    if len(offsets) != 1 or len(capture.values) >= width:
        return None
    if any(t.line != label.line for t in capture.values):
        return None
    start = label.col + next(iter(offsets))
    line = [t for t in grid.get(label.line, ()) if t.col > label.col]
    window = [t for t in line if start <= t.col < start + width]
    outside = [t for t in line if not start <= t.col < start + width]
    if len(window) != width or any(t.is_text or _run_together(t) for t in window):
        return None
    if any(t.is_value for t in outside) or not any(t.is_empty for t in window):
        return None
    return tuple(window)


def emit_cells(
    report: ParsedReport,
    section: str,
    rows: dict[str, tuple[Token, ...] | None],
    columns: dict[str, tuple[str, ...]],
    captures: dict[str, RowCapture] | None = None,
) -> None:
    """Append one Cell per column of each resolved row (NULL cells for unresolved rows)."""
    for key, tokens in rows.items():
        if tokens is None:
            line = captures[key].line if captures else None
            report.cells.extend(Cell(section, key, col, None, None, line) for col in columns[key])
            continue
        report.cells.extend(
            [
                cell_from_fields((section, key, col, t.cell.value, t.raw, t.line, None, None))
                for col, t in zip(columns[key], tokens, strict=True)
            ]
        )
