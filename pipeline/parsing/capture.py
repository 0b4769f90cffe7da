"""Row labels open rows, the cells that follow fill them.

Every data row of the template is introduced by a known label and carries a known number of
values, so one reader serves tab grids, one-cell-per-line text, wrapped pipe rows and markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.parsing import template as tpl
from pipeline.parsing.labels import FUZZY_MIN_LENGTH, LabelMatch, LabelMatcher, label_core
from pipeline.parsing.tokens import Token

# Row labels that are also column headers (其他, 总计), repeated after a page break.
_COLUMN_HEADER_CORES = frozenset(
    label_core(c.label) for c in (*tpl.APPLICANT_COLUMNS, *tpl.APPEAL_COLUMNS)
)
# Short labels (其他, 总计) only count within this many rows after the last row found.
SHORT_LABEL_WINDOW = 4


@dataclass
class RowCapture:
    """A row label found in the text and the value cells printed after it."""

    key: str
    label: Token
    values: list[Token] = field(default_factory=list)
    canonical: bool = True  # False for a capture spanning several template rows (table 四)
    wrapped: bool = False  # the label was joined from pieces on several lines
    _blanks: list[Token] = field(default_factory=list)

    @property
    def row_key(self) -> str | None:
        """The key parse issues name: a template row key, or None."""
        return self.key if self.canonical else None

    @property
    def line(self) -> int:
        """Where issues point: the label's line, or the numbers' line for a table-wide row."""
        if self.canonical or not self.values:
            return self.label.line
        return self.values[0].line

    @property
    def name(self) -> str:
        return f"row {self.key}" if self.canonical else f"{self.key} row"

    def add(self, token: Token, is_cell: bool = False) -> None:
        """Take a cell printed after the label. ``is_cell``: a blank that is a cell of the row
        (an explicit grid cell on the row's line), NULL in its column."""
        if token.is_empty and is_cell:
            self.values.extend(self._blanks)
            self._blanks.clear()
            self.values.append(token)
        elif token.is_value:
            if self._blanks and self._blanks[0].line == token.line:
                self.values.extend(self._blanks)  # blank cells between numbers are cells
            self._blanks.clear()
            self.values.append(token)
        elif token.is_empty and self.values and token.line == self.values[-1].line:
            self._blanks.append(token)
        else:
            self._blanks.clear()


def capture_rows(
    tokens: Sequence[Token],
    region: tuple[int, int],
    matcher: LabelMatcher,
    order: Sequence[str],
    groups: frozenset[str] = frozenset(),
    last_key: str | None = None,
) -> dict[str, RowCapture]:
    """Walk a region: labels open rows, values fill the open row; stop after ``last_key``."""
    captures: dict[str, RowCapture] = {}
    current: RowCapture | None = None
    last_index = -1
    consumed: set[int] = set()
    window = tokens[region[0] : region[1]]
    # the keys a label may still open, after ``allowed_after`` captures (a frozenset: the
    # matcher's cache hashes it once)
    allowed, allowed_after = frozenset(order) | groups, 0
    for position, token in enumerate(window):
        if not token.is_text:
            if current is not None:
                current.add(token, token.explicit and token.line == current.label.line)
            continue
        if position in consumed:
            continue  # the second half of a label wrapped over lines, already matched
        if allowed_after != len(captures):  # captures only grow
            allowed_after = len(captures)
            allowed = frozenset(order).difference(captures) | groups
        match = matcher.match(token.raw, allowed=allowed)
        pieces: list[int] = []
        if match is None:
            match, pieces = _wrapped_label(window, position, matcher, allowed)
            consumed.update(pieces)
        if match is not None and match.key not in groups:
            index = order.index(match.key)
            # A short label opens a row only when numbers follow it; 其他, 总计 are also column
            # headers (repeated after a page break), so they must also follow the last row found.
            core = label_core(token.raw)
            near = last_index < index <= last_index + SHORT_LABEL_WINDOW
            if len(core) < FUZZY_MIN_LENGTH and not (
                _value_follows(window, position) and (near or core not in _COLUMN_HEADER_CORES)
            ):
                match = None
        if match is None:
            if current is not None and current.key == last_key and current.values:
                break  # text after the last row's numbers: the table is over
            if current is not None:
                current.add(token)
            continue
        if match.key in groups:
            if current is not None and current.wrapped and not current.values:
                continue  # a group label centred beside a wrapped row label: the row goes on
            current = None
            continue
        current = RowCapture(match.key, token, wrapped=bool(pieces))
        captures[match.key] = current
        last_index = max(last_index, order.index(match.key))
    return captures


# A label wrapped inside its cell (pdftotext -layout, PDF-to-markdown) continues on the next lines.
MAX_LABEL_PIECES = 3


def _wrapped_label(
    tokens: Sequence[Token], position: int, matcher: LabelMatcher, allowed: frozenset[str]
) -> tuple[LabelMatch | None, list[int]]:
    """Match the text at ``position`` joined with text cells of the next one or two lines.

    pdftotext wraps a long label inside its cell and may centre the numbers (and a group label)
    on the middle line, so every text cell of the following lines is tried as the continuation.
    Returns the match and the positions of the joined pieces (empty if none).
    """
    first = tokens[position]
    if len(label_core(first.raw)) < FUZZY_MIN_LENGTH:
        return None, []
    following: dict[int, list[int]] = {}
    for later in range(position + 1, len(tokens)):
        token = tokens[later]
        if token.line > first.line + MAX_LABEL_PIECES - 1:
            break
        # a cell that is a label on its own starts a row of its own, it continues nothing
        if token.is_text and token.line > first.line and matcher.match(token.raw) is None:
            following.setdefault(token.line, []).append(later)
    chains: list[list[int]] = [[]]
    for line in range(first.line + 1, first.line + MAX_LABEL_PIECES):
        chains = [[*chain, piece] for chain in chains for piece in following.get(line, [])]
        for chain in chains:
            text = first.raw + "".join(tokens[piece].raw for piece in chain)
            match = matcher.match(text, allowed=allowed)
            if match is not None:
                return match, chain
    return None, []


def _value_follows(tokens: Sequence[Token], position: int) -> bool:
    """The next non-blank cell after ``position`` is a number or placeholder."""
    for token in tokens[position + 1 :]:
        if not token.is_empty:
            return token.is_value
    return False
