"""Template matcher: anchor on row labels, then count the numbers that follow each one.

Every data row of the template is introduced by a known label and carries a known number of
values, so one reader serves tab grids, one-cell-per-line text, wrapped pipe rows and markdown.
Rows with too many or too few numbers are where repairs and parse issues happen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from itertools import combinations

from pipeline.parsing import template as tpl
from pipeline.parsing.labels import FUZZY_MIN_LENGTH, LabelMatch, LabelMatcher, label_core
from pipeline.parsing.model import (
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    Cell,
    ParsedReport,
)
from pipeline.parsing.tokens import Token
from pipeline.parsing.values import KIND_EMPTY, KIND_NUMBER, CellValue, parse_normalized

# Row labels that are also column headers (其他, 总计), repeated after a page break.
_COLUMN_HEADER_CORES = frozenset(
    label_core(c.label) for c in (*tpl.APPLICANT_COLUMNS, *tpl.APPEAL_COLUMNS)
)
# At most this many surplus numbers in a row are tried when recovering it from the identities.
MAX_SURPLUS = 2
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


@dataclass(frozen=True)
class Regions:
    active: tuple[int, int] | None
    applications: tuple[int, int] | None
    appeals: tuple[int, int] | None
    fees: tuple[int, int] | None = None  # 2025 on: 五、信息处理费收取情况 (optional)


def _first(tokens: Sequence[Token], start: int, test: Callable[[Token], bool]) -> int | None:
    for index in range(start, len(tokens)):
        if test(tokens[index]):
            return index
    return None


_APP_START_CORES = {label_core(r.label) for r in tpl.APPLICATION_ROWS["2021"][:2]}
_APPEAL_START_CORES = {"行政复议", "行政诉讼", "结果维持"}


# A heading is a short line; a paragraph that lists the six section names is not one.
MAX_HEADING_LENGTH = 40


# A heading starts with its words, after its numbering (``二、``, ``二``, ``(二)``, ``2.``, ``#``):
# an intro sentence listing the sections (``本报告包括总体情况、主动公开…``) is not one.
_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]?|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[、.]?)"
)


def _heading_text(token: Token) -> str | None:
    """A short text cell without its numbering, or None."""
    if not token.is_text or len(token.norm) > MAX_HEADING_LENGTH:
        return None
    return _HEADING_NUMBER.sub("", token.norm.lstrip("#*"), count=1)


def _is_app_heading(token: Token) -> bool:
    text = _heading_text(token)
    return text is not None and text.startswith("收到和处理政府信息公开申请")


def _is_app_start(token: Token) -> bool:
    return token.is_text and label_core(token.raw) in _APP_START_CORES


def _first_app_row(tokens: Sequence[Token]) -> int | None:
    """Where table 三's first row label stands, also when it is wrapped over two lines."""
    for index, token in enumerate(tokens):
        if not token.is_text:
            continue
        if _is_app_start(token):
            return index
        core = label_core(token.raw)
        if len(core) >= FUZZY_MIN_LENGTH and any(c.startswith(core) for c in _APP_START_CORES):
            following = next((t for t in tokens[index + 1 :] if t.is_text), None)
            if following is not None and following.line == token.line + 1:
                if label_core(token.raw + following.raw) in _APP_START_CORES:
                    return index
    return None


def _is_appeal_start(token: Token) -> bool:
    if not token.is_text:
        return False
    norm = token.norm
    heading = norm.startswith("四") or norm.endswith("情况")
    return label_core(token.raw) in _APPEAL_START_CORES or (
        "行政复议" in norm and "行政诉讼" in norm and heading and len(norm) < MAX_HEADING_LENGTH
    )


def _is_active_start(token: Token) -> bool:
    text = _heading_text(token)
    return text is not None and (
        text.startswith("主动公开政府信息情况") or token.norm.startswith("第二十条")
    )


def find_regions(
    tokens: Sequence[Token], is_app_row: Callable[[Token], bool] | None = None
) -> Regions:
    """Token ranges of tables 二, 三 and 四.

    ``is_app_row`` recognises table 三's row labels: table 四 starts after the last of them, so
    a caption of table 四 that a converter printed above table 三's last rows is passed over.
    """
    app_start = _first_app_row(tokens)
    app_heading = _first(tokens, 0, _is_app_heading)
    active_start = _first(tokens, 0, _is_active_start)
    active_end = app_heading if app_heading is not None else app_start
    if app_start is not None and active_end is not None:
        active_end = min(active_end, app_start)
    active = None
    if active_start is not None and (active_end is None or active_start < active_end):
        active = (active_start, active_end if active_end is not None else len(tokens))
    appeal_search_from = app_start if app_start is not None else (active_end or 0)
    if is_app_row is not None and app_start is not None:
        # from the end: only table 四 and the closing prose are read before the last row label
        last_rows = (i for i in range(len(tokens) - 1, app_start, -1) if is_app_row(tokens[i]))
        appeal_search_from = next(last_rows, app_start)
    appeal_start = _first(tokens, appeal_search_from, _is_appeal_start)
    applications = None
    if app_start is not None:
        applications = (app_start, appeal_start if appeal_start is not None else len(tokens))
    fees_start = _first(tokens, appeal_start or appeal_search_from, _is_fees_start)
    fees = (fees_start, len(tokens)) if fees_start is not None else None
    appeals = None
    if appeal_start is not None:
        appeals = (appeal_start, fees_start if fees_start is not None else len(tokens))
    return Regions(active, applications, appeals, fees)


def _is_fees_start(token: Token) -> bool:
    norm = token.norm
    return (
        token.is_text
        and "信息处理费" in norm
        and len(norm) <= MAX_HEADING_LENGTH
        and (norm.endswith("情况") or "收取" in norm)
    )


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
    for position, token in enumerate(window):
        if not token.is_text:
            if current is not None:
                current.add(token, token.explicit and token.line == current.label.line)
            continue
        if position in consumed:
            continue  # the second half of a label wrapped over lines, already matched
        allowed = set(order) - set(captures) | groups
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
    tokens: Sequence[Token], position: int, matcher: LabelMatcher, allowed: set[str]
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


# ----------------------------------------------------------------------------- values → cells

Vector = list[Decimal | None]


def _vector(tokens: Sequence[Token]) -> Vector:
    return [t.value for t in tokens]


def _candidates(values: Sequence[Token], width: int) -> list[tuple[Token, ...]]:
    """Ways to drop surplus cells so that ``width`` remain, one per distinct value vector."""
    surplus = len(values) - width
    if surplus < 1 or surplus > MAX_SURPLUS:
        return []
    seen: dict[tuple, tuple[Token, ...]] = {}
    for dropped in combinations(range(len(values)), surplus):
        kept = tuple(t for i, t in enumerate(values) if i not in dropped)
        seen.setdefault(tuple(_vector(kept)), kept)
    return list(seen.values())


# A verifier says, for a candidate row vector and the rows already resolved, which columns the
# template's identities confirm, or None when an identity is violated.
Verifier = Callable[[str, Vector, dict[str, Vector]], set[int] | None]


def _holds(identity: tpl.Identity, values: Mapping[str, Decimal | None]) -> bool | None:
    """Whether the identity holds for these term values; None when a term is NULL."""
    terms = [values[t] for t in identity.terms]
    if any(v is None for v in terms):
        return None
    expected = sum((values[t] for t in identity.expected), Decimal(0))  # type: ignore[misc]
    actual = sum((values[t] for t in identity.actual), Decimal(0))  # type: ignore[misc]
    return expected == actual


def identity_verifier(
    section: str,
    version: str,
    columns: Sequence[str],
    spans_rows: Sequence[str] = (),
) -> Verifier:
    """A verifier from the template's identities of ``section`` (``tpl.identities``).

    A row vector holds ``columns`` in order; ``spans_rows`` names the rows of a vector that holds
    several (table 四's one line of 15 numbers: three rows of five). An identity checked in every
    row rejects a row that breaks it; identities checked in every column confirm that column when
    they hold and reject when they break. A table with no column identity (table 四) has its
    columns confirmed by its row identities.
    """
    rules = [i for i in tpl.identities(version) if i.section == section]
    along_rows = [i for i in rules if i.along == tpl.ALONG_ROWS]
    along_columns = [i for i in rules if i.along == tpl.ALONG_COLUMNS]
    width = len(columns)

    def verify(key: str, vector: Vector, resolved: dict[str, Vector]) -> set[int] | None:
        own = (
            {row: vector[i * width : (i + 1) * width] for i, row in enumerate(spans_rows)}
            if spans_rows
            else {key: vector}
        )
        confirmed: set[int] = set()
        for offset, cells in enumerate(own.values()):
            named = dict(zip(columns, cells, strict=True))
            for identity in along_rows:
                holds = _holds(identity, named)
                if holds is False:
                    return None
                if holds and not along_columns:
                    confirmed.update(range(offset * width, (offset + 1) * width))
        rows = {**resolved, **own}
        for identity in along_columns:
            if not set(own) & set(identity.terms) or not all(t in rows for t in identity.terms):
                continue
            for index in range(width):
                holds = _holds(identity, {t: rows[t][index] for t in identity.terms})
                if holds is False:
                    return None
                if holds:
                    confirmed.add(index)
        return confirmed

    return verify


# ----------------------------------------------------------------------------- fused digits

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


def _read_fused(
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
        handled, cells = _read_fused(report, section, capture, row_kinds)
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
    known = {k: _vector(v) for k, v in resolved.items() if v is not None}
    for key in pending:
        capture = captures[key]
        width = widths[key]
        printed = " ".join(t.raw or "∅" for t in capture.values) or "nothing"
        accepted = None
        if verifier is not None:
            passing = []
            for candidate in _candidates(capture.values, width):
                confirmed = verifier(key, _vector(candidate), known)
                if confirmed is not None and len(confirmed) == width:
                    passing.append(candidate)
            if len(passing) == 1:
                accepted = passing[0]
        if accepted is not None:
            resolved[key] = accepted
            known[key] = _vector(accepted)
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
    rows = {k: _vector(v) for k, v in resolved.items() if v is not None}
    rows |= {k: _vector(v) for k, v in tentative.items()}
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
        for col, token in zip(columns[key], tokens, strict=True):
            report.cells.append(Cell(section, key, col, token.value, token.raw, token.line))


# ----------------------------------------------------------------------------- detached rows

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
    vectors = {k: _vector(c.values) for k, c in captures.items() if k not in placed and c.values}
    vectors |= {k: _vector([t for t in d.values if not t.is_empty]) for k, d in placed.items()}
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
