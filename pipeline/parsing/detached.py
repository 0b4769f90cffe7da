"""Rows whose numbers a converter printed apart from their labels (PDF → markdown)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.parsing import template as tpl
from pipeline.parsing.capture import RowCapture
from pipeline.parsing.identities import Verifier, values_of
from pipeline.parsing.labels import label_core
from pipeline.parsing.model import (
    SEVERITY_WARNING,
    ParsedReport,
)
from pipeline.parsing.tokens import Token

_PUNCTUATION = re.compile(r"[\s、，,。.；;:：()（）\"“”'‘’]")


def _bare(text: str) -> str:
    """A label piece for containment tests: core, no punctuation."""
    return _PUNCTUATION.sub("", label_core(text))


@dataclass(frozen=True)
class _DetachedRow:
    line: int
    values: tuple[Token, ...]
    fragments: tuple[Token, ...]  # text cells printed on the same line (pieces of its label)


def _split_stacked(capture: RowCapture, width: int) -> list[_DetachedRow]:
    """A capture holding several complete rows on successive lines keeps the first one."""
    if len(capture.values) < 2 * width:
        return []
    by_line: dict[int, list[Token]] = {}
    for token in capture.values:
        by_line.setdefault(token.line, []).append(token)
    groups = list(by_line.values())
    full = [sum(not t.is_empty for t in g) == width for g in groups]
    if len(groups) < 2 or not all(full):
        return []
    capture.values = groups[0]
    return [_DetachedRow(g[0].line, tuple(g), ()) for g in groups[1:]]


def place_detached_rows(
    report: ParsedReport,
    section: str,
    captures: dict[str, RowCapture],
    rows: Sequence[tpl.RowSpec],
    width: int,
    grid: Mapping[int, Sequence[Token]],
    lines: tuple[int, int],
    verifier: Verifier,
) -> None:
    """Rows whose numbers a converter printed apart from their labels (PDF → markdown).

    A line of exactly ``width`` numbers that belongs to no row is placed only when it lies
    between two rows read with their labels, the same number of template rows is missing
    between those two as there are such lines, every label piece printed beside the numbers
    belongs to the row it is given, and the table's identities then confirm every number.
    """
    detached: list[_DetachedRow] = []
    for capture in captures.values():
        detached += _split_stacked(capture, width)
    used = {id(t) for c in captures.values() for t in c.values}
    for line in range(lines[0], lines[1] + 1):
        cells = grid.get(line, ())
        values = [t for t in cells if t.is_value and not t.is_empty]
        if len(values) != width or any(id(t) in used for t in values):
            continue
        if line in {d.line for d in detached}:
            continue
        first = cells.index(values[0])
        window = tuple(t for t in cells[first:] if not t.is_text)
        detached.append(_DetachedRow(line, window, tuple(t for t in cells if t.is_text)))
    if not detached:
        return
    detached.sort(key=lambda d: d.line)
    order = [r.key for r in rows]
    anchors = [
        (c.values[0].line, order.index(k))
        for k, c in captures.items()
        if k in order
        and sum(not t.is_empty for t in c.values) == width
        and len({t.line for t in c.values}) == 1
    ]
    anchors.sort()
    if [i for _, i in anchors] != sorted(i for _, i in anchors):
        return  # the labelled rows themselves are out of order: nothing is certain
    filled = {k for k, c in captures.items() if c.values}
    placed: dict[str, _DetachedRow] = {}
    for before, after in zip([(0, -1), *anchors], [*anchors, (10**9, len(order))], strict=True):
        gap_rows = [r for r in rows[before[1] + 1 : after[1]] if r.key not in filled]
        gap_lines = [d for d in detached if before[0] < d.line < after[0]]
        if not gap_lines or len(gap_rows) != len(gap_lines):
            continue
        if before[1] < 0 or after[1] >= len(order):
            continue  # only between two labelled rows
        if all(_fits(d, r) for d, r in zip(gap_lines, gap_rows, strict=True)):
            placed.update({r.key: d for r, d in zip(gap_rows, gap_lines, strict=True)})
    if not placed:
        return
    vectors = {k: values_of(c.values) for k, c in captures.items() if k not in placed and c.values}
    vectors |= {k: values_of([t for t in d.values if not t.is_empty]) for k, d in placed.items()}
    for key in placed:
        confirmed = verifier(key, vectors[key], {k: v for k, v in vectors.items() if k != key})
        if confirmed is None or len(confirmed) < width:
            return
    for key, row in placed.items():
        label = row.fragments[0] if row.fragments else row.values[0]
        captures[key] = RowCapture(key, label, [t for t in row.values if not t.is_empty])
        report.issue(
            SEVERITY_WARNING,
            "row_placed_by_order",
            f"row {key}: its numbers were printed apart from its label (line {row.line}); the "
            "only unlabelled rows between two labelled ones fill the rows missing there, in "
            "template order, and the table's identities confirm every number",
            source_line=row.line,
            section=section,
            row_key=key,
        )


def _fits(row: _DetachedRow, spec: tpl.RowSpec) -> bool:
    """Every label piece printed beside the numbers is part of this row's label."""
    label = _bare(spec.label)
    return all(_bare(t.raw) in label for t in row.fragments if _bare(t.raw))
