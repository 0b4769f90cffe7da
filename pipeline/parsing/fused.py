"""Digits of several cells printed with no separator (crawled text, run-together rows).

A fused run is read only where the number rules leave one reading; where they leave several,
only the cells every reading agrees on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from pipeline.parsing.capture import RowCapture
from pipeline.parsing.model import (
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    ParsedReport,
)
from pipeline.parsing.tokens import Token
from pipeline.parsing.values import KIND_EMPTY, KIND_NUMBER, CellValue, parse_normalized

# One cell of each value kind, as it may appear inside a run of fused digits. A count carries no
# leading zero, so ``0000000`` is seven zeros and ``01`` is 0|1; only 本年增/减 carries a sign.
_FUSED_CELL = {
    "count": re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)件?"),
    "signed": re.compile(r"[+-]?(?:0|[1-9]\d*)"),
    "amount": re.compile(r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?(?:万元|元)?"),
}
# Readings of one row enumerated at most; a row with more is left NULL whole.
MAX_READINGS = 64


_LEADING_ZERO = frozenset(f"0{d}" for d in "0123456789")


def _splittable(token: Token, missing: int = 0) -> bool:
    """A printed run that may hold several cells: a crawled-text run, digits no count has
    (``0000000``, ``01``), or, in a row ``missing`` cells short, a digit string long enough to hold
    them (six digits at least: counts of a million do not occur in these tables)."""
    if token.fused:
        return True
    digits = token.norm.replace(",", "")
    if token.cell.kind != KIND_NUMBER or not digits.isdigit() or len(digits) < 2:
        return False
    return digits.startswith("0") or (missing > 0 and len(digits) >= max(missing + 1, 6))


def split_fused(values: Sequence[Token], kinds: Sequence[str]) -> list[tuple[Token, ...]]:
    """Every way (up to ``MAX_READINGS + 1``) to read ``values`` as ``len(kinds)`` cells.

    Splittable runs (see ``_splittable``) may be cut anywhere the number rules allow; every other
    printed cell is one cell. The identities are never consulted: a split that makes the
    table add up is not more likely to be the printed one.
    """
    width = len(kinds)
    texts = [t.norm for t in values]
    missing = width - len(values)
    splittable = [_splittable(t, missing) for t in values]

    @cache
    def possible(i: int, position: int, column: int) -> bool:
        """Whether the rest (from token i, character position) fills columns column… exactly."""
        if i == len(values):
            return column == width
        if position == len(texts[i]):
            return possible(i + 1, 0, column)
        if column == width:
            return False
        if not splittable[i]:
            return possible(i + 1, 0, column + 1)
        pattern = _FUSED_CELL[kinds[column]]
        return any(
            pattern.fullmatch(texts[i], position, end) and possible(i, end, column + 1)
            for end in range(position + 1, len(texts[i]) + 1)
        )

    # a reading is a tuple of (token index, start, end) cuts, made Tokens only at the end
    cuts: list[tuple[tuple[int, int, int], ...]] = []

    def walk(i: int, position: int, column: int, cells: tuple[tuple[int, int, int], ...]) -> None:
        if len(cuts) > MAX_READINGS or not possible(i, position, column):
            return
        if i == len(values):
            cuts.append(cells)
            return
        if position == len(texts[i]):
            walk(i + 1, 0, column, cells)
            return
        if not splittable[i]:
            walk(i + 1, 0, column + 1, (*cells, (i, 0, len(texts[i]))))
            return
        pattern = _FUSED_CELL[kinds[column]]
        for end in range(position + 1, len(texts[i]) + 1):
            if pattern.fullmatch(texts[i], position, end):
                walk(i, end, column + 1, (*cells, (i, position, end)))

    walk(0, 0, 0, ())
    pieces: dict[tuple[int, int, int], Token] = {}
    for i, start, end in {cut for reading in cuts for cut in reading}:
        token = values[i]
        whole = not splittable[i] or (start, end) == (0, len(texts[i]))
        pieces[(i, start, end)] = token if whole else _piece(token, texts[i][start:end])
    return [tuple(pieces[cut] for cut in reading) for reading in cuts]


def _piece(token: Token, text: str) -> Token:
    """One cell cut out of a fused run."""
    return replace(token, raw=text, norm=text, cell=parse_normalized(text), fused=False)


def _unread(token: Token, printed: str) -> Token:
    """A cell whose digits cannot be told: NULL, with the printed run as its text."""
    return replace(token, raw=printed, norm="", cell=CellValue(KIND_EMPTY), fused=False)


def read_fused(
    report: ParsedReport,
    section: str,
    capture: RowCapture,
    kinds: Sequence[str],
) -> tuple[bool, tuple[Token, ...] | None]:
    """(handled, cells) for a row with fused runs.

    One reading → its cells (``digits_split`` warning). Several → the cells every reading agrees
    on, the others NULL (``digits_run_together`` error). None → not handled here.
    """
    values = capture.values
    missing = len(kinds) - len(values)
    if missing <= 0 and not any(t.fused or t.norm[:2] in _LEADING_ZERO for t in values):
        return False, None  # the common case: nothing can be a fused run
    if not any(_splittable(t, missing) for t in values):
        return False, None
    readings = split_fused(values, kinds)
    if not readings:
        return False, None
    printed = " ".join(t.raw for t in values)
    if len(readings) == 1:
        cells = readings[0]
        if len(cells) != len(values):
            report.issue(
                SEVERITY_WARNING,
                "digits_split",
                f"{capture.name}: the printed run {printed!r} has exactly one reading as "
                f"{len(kinds)} cells by the number rules: {' | '.join(t.raw for t in cells)}",
                source_line=capture.line,
                section=section,
                row_key=capture.row_key,
            )
        return True, cells
    agreed: tuple[Token, ...] | None = None
    unread: list[str] = []
    if len(readings) <= MAX_READINGS:
        columns = list(zip(*readings, strict=True))
        agreed = tuple(
            cells[0] if len({c.value for c in cells}) == 1 else _unread(cells[0], printed)
            for cells in columns
        )
        unread = [
            str(i + 1) for i, cells in enumerate(columns) if len({c.value for c in cells}) > 1
        ]
    shown = " or ".join(" | ".join(t.raw for t in r) for r in readings[:3])
    kept = (
        f"cells {', '.join(unread)} left NULL, the others are the same in every reading"
        if agreed is not None
        else "left NULL"
    )
    report.issue(
        SEVERITY_ERROR,
        "digits_run_together",
        f"{capture.name} printed {printed!r} for {len(kinds)} columns: the digits of several "
        f"cells run together with no separator and can be read {len(readings)}"
        f"{'+' if len(readings) > MAX_READINGS else ''} ways ({shown}"
        f"{' …' if len(readings) > 3 else ''}); {kept}",
        source_line=capture.line,
        section=section,
        row_key=capture.row_key,
    )
    return True, agreed
