"""Lines → a stream of cells. Most layouts differ only in how cells are separated."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from pipeline.parsing.values import (
    KIND_EMPTY,
    KIND_FUSED,
    KIND_NUMBER,
    KIND_PLACEHOLDER,
    KIND_TEXT,
    CellValue,
    normalize,
    parse_normalized,
)

_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPES = re.compile(r"[|｜]")
_SPACE_RUN = re.compile(r"(?:[ \u00a0]{2,}|\u3000+)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
# A short label (no sentence punctuation) and numbers, single spaces apart: ``行政处罚 0``.
_LABEL_THEN_NUMBERS = re.compile(
    r"(?P<label>[^\d\s。，,；;:：][^。，,；;:：]{1,40}?[^\d\s。，,；;:：])"
    r"\s(?P<numbers>[-+]?\d[\d,.]*(?:万元|元|件)?(?:\s[-+]?\d[\d,.]*(?:万元|元|件)?)*)"
)
_VALUE_KINDS = frozenset({KIND_NUMBER, KIND_PLACEHOLDER, KIND_FUSED})
# Digits, signs, separators and a unit: what a run of fused number cells may hold.
_FUSED_RUN = re.compile(r"[+\-]?\d[\d,.+\-]*(?:万元|元|件)?")


@dataclass(slots=True, eq=False)
class Token:
    """One cell as printed, with where it stood (treat as immutable: ``replace`` to change)."""

    raw: str  # cell text, stripped of surrounding white space
    norm: str  # NFKC, no white space, no markdown emphasis
    line: int  # 1-based source line
    col: int  # position of the cell within its line
    cell: CellValue
    fused: bool = False  # printed in a run where cell boundaries were lost (crawled text)
    explicit: bool = False  # a cell of a laid-out grid (HTML table row): a blank is a cell
    # what kind of cell, from ``cell`` (set once: the reader asks these millions of times)
    is_value: bool = field(init=False)  # a number, a placeholder, or a fused run
    is_empty: bool = field(init=False)
    is_text: bool = field(init=False)

    def __init__(
        self,
        raw: str,
        norm: str,
        line: int,
        col: int,
        cell: CellValue,
        fused: bool = False,
        explicit: bool = False,
    ) -> None:
        self.raw, self.norm, self.line, self.col = raw, norm, line, col
        self.cell, self.fused, self.explicit = cell, fused, explicit
        kind = cell.kind
        self.is_value = kind in _VALUE_KINDS
        self.is_empty = kind == KIND_EMPTY
        self.is_text = not self.is_value and not self.is_empty

    @property
    def value(self) -> Decimal | None:
        return self.cell.value


def split_cells(line: str) -> tuple[str, list[str]]:
    """Split one line into cells; returns (separator kind, cells)."""
    if "\t" in line:
        return "tab", line.split("\t")
    if "|" in line or "｜" in line:
        return "pipe", _PIPES.split(line)
    if _SPACE_RUN.search(line.strip()):
        return "spaces", _SPACE_RUN.split(line)
    labelled = _LABEL_THEN_NUMBERS.fullmatch(line.strip())
    if labelled:  # ``行政许可 0``: a label and its numbers, one space apart
        return "spaces", [labelled["label"], *labelled["numbers"].split()]
    return "none", [line]


@lru_cache(maxsize=1 << 16)
def _read_cell(stripped: str) -> tuple[str, CellValue]:
    """(normalised text, value) of one printed cell: cells repeat across reports (0, 其他…)."""
    norm = normalize(stripped).replace("**", "")
    return norm, parse_normalized(norm)


def tokenize(
    lines: list[str],
    fused_lines: frozenset[int] = frozenset(),
    grid_lines: frozenset[int] = frozenset(),
) -> tuple[list[Token], str]:
    """All cells of the text in reading order, and the layout the table lines suggest.

    Cells of ``fused_lines`` (1-based) are marked ``fused``: their digits may be several cells.
    Cells of ``grid_lines`` are marked ``explicit``: a blank one is a cell of its own.
    """
    tokens: list[Token] = []
    separators: Counter[str] = Counter()
    markdown = False
    append = tokens.append
    for number, line in enumerate(lines, start=1):
        # (the substring tests only spare the regexes on lines that cannot match)
        if "---" in line and _MARKDOWN_RULE.match(line):
            markdown = True
            continue
        if "#" in line and _HEADING.match(line):
            markdown = True
            line = _HEADING.sub("", line)
        kind, cells = split_cells(line)
        fusable = number in fused_lines
        explicit = number in grid_lines
        values = filled = 0
        for col, raw in enumerate(cells):
            stripped = raw.strip()
            norm, cell = _read_cell(stripped)
            fused = fusable and bool(_FUSED_RUN.fullmatch(norm))
            if fused and cell.kind == KIND_TEXT:
                cell = CellValue(KIND_FUSED)
            token = Token(stripped, norm, number, col, cell, fused, explicit)
            append(token)
            values += token.is_value
            filled += not token.is_empty
        if values >= 2:
            separators[kind] += 1
        elif values == 1 and filled == 1:
            separators["single"] += 1
    return tokens, _layout_name(separators, markdown)


def _layout_name(separators: Counter[str], markdown: bool) -> str:
    """Name the layout from how lines that hold numbers are separated."""
    if not separators:
        return "no_tables"
    kind, _ = separators.most_common(1)[0]
    names = {"tab": "tab_grid", "pipe": "pipe_rows", "spaces": "space_columns"}
    name = names.get(kind, "cell_per_line")
    if markdown:
        name += "+markdown"
    return name
