"""Flattened text → table lines: crawled page text where a whole report is one run of text.

A crawler's ``innerText`` of a report page loses every cell boundary: the tables come out as
``规章000规范性文件1077第二十条第（五）项…（一）予以公开0000000（二）部分公开…`` or with single
spaces (``规章 0 0 0 行政规范性文件 4 0 16``). Such a line is cut into the lines the table reader
understands: each section heading on its own line, each row label followed by its run of numbers
(``label<TAB>run``, the run split only at the spaces it printed), and the table's header words
one per line. The numbers of a run may still be several cells fused together; the lines that hold
runs are reported in ``fused_lines`` so the reader may split them, only where the number rules
leave exactly one way to do so (see ``tables.split_fused``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from pipeline.parsing import template as tpl
from pipeline.parsing.labels import label_core

# A line this many row labels followed by numbers is a flattened table, not a table row.
MIN_ROWS_IN_FLAT_LINE = 3
# This many lines that are nothing but a table-三 row label and its numbers make a flattened
# page too.
MIN_ROW_LINES = 5

_DIGIT = r"[0-9０-９]"
_UNIT = r"(?:万元|元|件)"
_RUN_CELL = rf"[+\-－]?{_DIGIT}(?:[0-9０-９,，.．])*{_UNIT}?"
# Numbers printed one after another, separated by spaces or nothing at all.
_RUN = re.compile(rf"{_RUN_CELL}(?:[ \u00a0\u3000]*{_RUN_CELL})*")
# The item number of the next row label, fused to the run: ``00000002.其他法律…``.
_NEXT_NUMBERING = re.compile(rf"{_DIGIT}[.．]$")
_SPACES = re.compile(r"[ \u00a0\u3000]+")
_QUOTES = "\"'“”‘’「」『』"
_NUMERALS = "一二三四五六七八九十"
# ``二、主动公开政府信息情况`` … ``六、其他需要报告的事项``: a numbered heading, not a sentence.
_HEADING = re.compile(rf"[{_NUMERALS}]{{1,2}}、[^。；;0-9０-９]{{2,30}}?(?:情况|措施|事项)")
_ITEM = re.compile(rf"第二十条第[(（][{_NUMERALS}]+[)）]项")


def _squeeze(text: str) -> str:
    """Compare form: NFKC, no white space, no quotes."""
    out = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in out if not ch.isspace() and ch not in _QUOTES)


def _row_labels() -> list[str]:
    """Row labels that carry numbers, as printed without their item numbering."""
    labels = {"规范性文件", "总计"}  # table 二 without 行政; table 四's last header word
    for version in tpl.TEMPLATE_VERSIONS:
        for section in tpl.SECTIONS:
            for row in tpl.rows_for(section, version):
                labels.update((row.label, *row.aliases))
    labels.update(c.label for c in tpl.FEE_COLUMNS[-1:])
    # also without their notes: （二）部分公开 is often printed without （区分处理的…）
    labels.update(label_core(label) for label in list(labels))
    return sorted({_squeeze(_strip_numbering(label)) for label in labels}, key=len, reverse=True)


def _header_words() -> list[str]:
    words = {"信息内容", "申请人情况", "法人或其他组织", "行政诉讼", *tpl.APPLICATION_GROUP_LABELS}
    words.add("（六）其他处理")
    for columns in (*tpl.ACTIVE_COLUMNS.values(), tpl.APPLICANT_COLUMNS, tpl.APPEAL_COLUMNS):
        words.update(c.label for c in columns)
    words.update(c.label for c in tpl.FEE_COLUMNS)
    words.update(r.label for r in tpl.APPEAL_ROWS)
    return sorted({_squeeze(w) for w in words}, key=len, reverse=True)


_NUMBERING = re.compile(rf"^(?:[{_NUMERALS}]+、|[(（][{_NUMERALS}]+[)）]|\d[.．、])")


def _strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", label)


_ROW_LABELS = _row_labels()
_LABEL_LAST_CHARS = frozenset(label[-1] for label in _ROW_LABELS)
_TABLE_3_LABELS = tuple(
    {
        _squeeze(_strip_numbering(r.label))
        for v in tpl.TEMPLATE_VERSIONS
        for r in tpl.APPLICATION_ROWS[v]
    }
)


def _is_table_3_label(text: str) -> bool:
    return _squeeze(text).endswith(_TABLE_3_LABELS)


_HEADER_WORDS = _header_words()
# A row label may keep its own item numbering in front: ``1.``, ``（一）``, ``一、``, ``三三、``.
_LEADING_NUMBERING = re.compile(
    rf"(?:[{_NUMERALS}]{{1,2}}、|[(（][{_NUMERALS}]{{1,2}}[)）]|{_DIGIT}[.．、])$"
)


@dataclass(frozen=True)
class FlatLines:
    lines: list[str]
    source_lines: list[int | None]  # line in the original text of each produced line
    fused_lines: set[int]  # 1-based produced lines whose numbers may be several cells fused


@dataclass(frozen=True)
class _Row:
    start: int  # where the label starts in the raw line
    label_end: int
    run_end: int


@cache
def _squeezed_char(char: str) -> str:
    """One raw character in compare form (NFKC may give several characters, or none)."""
    return _squeeze(char)


def _squeezed_with_index(text: str) -> tuple[str, list[int]]:
    """``_squeeze(text)`` and, for each of its characters, the index of the raw character."""
    pieces = [_squeezed_char(char) for char in text]
    index = [position for position, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), index


def _label_before(text: str, end: int) -> int | None:
    """Start of the row label that ends at ``end`` in ``text`` (numbering included), or None."""
    for position in range(end - 1, max(-1, end - 81), -1):  # a label's last character first
        piece = _squeezed_char(text[position])
        if piece:
            if piece[-1] not in _LABEL_LAST_CHARS:
                return None
            break
    else:
        return None
    squeezed, index = _squeezed_with_index(text[max(0, end - 80) : end])
    offset = max(0, end - 80)
    for label in _ROW_LABELS:
        if squeezed.endswith(label):
            start = len(squeezed) - len(label)
            numbering = _LEADING_NUMBERING.search(squeezed[:start])
            if numbering:
                start = numbering.start()
            return offset + index[start]
    return None


def _rows(line: str) -> list[_Row]:
    """Row labels directly followed by a run of numbers, in order."""
    rows: list[_Row] = []
    for match in _RUN.finditer(line):
        run_start, run_end = match.start(), match.end()
        run = line[run_start:run_end]
        following = line[run_end : run_end + 1]
        numbering = _NEXT_NUMBERING.search(run)
        if numbering and following and not following.isspace():
            run_end -= len(numbering.group())  # ``2.`` opens the next label
        elif following in ("、", ".", "．") and run.rstrip()[-1:].isdigit():
            run_end -= 1  # ``…00000002、其他法律…``
        if run_end <= run_start or not line[run_start:run_end].strip():
            continue
        if rows and run_start < rows[-1].run_end:
            continue
        start = _label_before(line, run_start)
        if start is None or (rows and start < rows[-1].run_end):
            continue
        rows.append(_Row(start, run_start, run_end))
    return rows


def _may_hold_rows(line: str) -> bool:
    return not ("\t" in line or "|" in line or "｜" in line or len(line) < 40)


# A label's last character directly followed by a number: what every flattened row shows.
_LABEL_THEN_DIGIT = re.compile(r"[\u4e00-\u9fff)）”\"][ \u00a0]?[0-9０-９]")


def is_flat(line: str) -> bool:
    """A line holding several table rows run together (and no tab or pipe cells)."""
    if not _may_hold_rows(line) or len(_LABEL_THEN_DIGIT.findall(line)) < MIN_ROWS_IN_FLAT_LINE:
        return False
    return len(_rows(line)) >= MIN_ROWS_IN_FLAT_LINE


def _split_words(text: str) -> list[str]:
    """Table header text cut at every known header word (longest first)."""
    pieces: list[str] = []
    squeezed = _squeeze(text)
    buffer = ""
    position = 0
    while position < len(squeezed):
        word = next((w for w in _HEADER_WORDS if squeezed.startswith(w, position)), None)
        item = _ITEM.match(squeezed, position)
        if item:
            word = item.group()
        if word is None:
            buffer += squeezed[position]
            position += 1
            continue
        if buffer:
            pieces.append(buffer)
            buffer = ""
        pieces.append(word)
        position += len(word)
    if buffer:
        pieces.append(buffer)
    return pieces


def _text_pieces(text: str, in_table: bool, before_table: bool = False) -> list[str]:
    """Prose stays one line; headings get their own line; header text is cut into words.

    ``before_table``: the text before the first row, where the header words follow the last
    heading or the first ``第二十条第（…）项``.
    """
    pieces: list[str] = []
    cursor = 0
    headings = list(_HEADING.finditer(text))
    for heading in headings:
        pieces += _plain(text[cursor : heading.start()], in_table)
        pieces.append(heading.group().strip())
        cursor = heading.end()
    rest = text[cursor:]
    if before_table:
        item = rest.find("第二十条")
        if item >= 0:  # prose, then table 二's header words
            pieces += _plain(rest[:item], False)
            rest, in_table = rest[item:], True
        elif headings:
            in_table = True
    pieces += _plain(rest, in_table)
    return pieces


def _plain(text: str, in_table: bool) -> list[str]:
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    return _split_words(text) if in_table else [text]


_SENTENCE = re.compile(r"[0-9０-９。；;]")
MAX_HEADING_TEXT = 40
_COLUMN_GAP = re.compile(r"[ \u00a0]{2,}|\u3000")


def _line_rows(line: str) -> list[_Row]:
    """The rows of a line that is nothing but table rows, each a label and its run of numbers
    with at most single spaces (``（一）予以公开0000000``, ``（一）予以公开 7 0 0 0 0 0 7``): the
    rows kept their line breaks, the cells did not. Column gaps of two spaces are a layout."""
    stripped = line.strip()
    if "\t" in line or "|" in line or "｜" in line or _COLUMN_GAP.search(stripped):
        return []
    if not _LABEL_THEN_DIGIT.search(stripped):
        return []
    rows = _rows(stripped)
    if not rows:
        return []
    cuts = [0, *(p for r in rows for p in (r.start, r.run_end)), len(stripped)]
    rest = [stripped[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
    # what is not a row is a group label or header words: short, no digits, no sentence
    if any(len(t) > MAX_HEADING_TEXT or _SENTENCE.search(t) for t in rest):
        return []
    return _rows(line)


def flatten_lines(lines: list[str]) -> FlatLines | None:
    """Cut every flattened line into table lines; None when no line is flattened.

    A page is flattened when one line holds several rows run together, or when many lines are
    nothing but a row label and its run of numbers (see ``_line_rows``). Then every line holding
    such rows is cut.
    """
    # only a line where a label runs into a number can hold a row (one regex pass over each)
    search = _LABEL_THEN_DIGIT.search
    candidates = [(number, line) for number, line in enumerate(lines, start=1) if search(line)]
    row_lines = {number: _line_rows(line) for number, line in candidates}
    row_lines = {number: rows for number, rows in row_lines.items() if rows}
    table_3_lines = sum(
        any(_is_table_3_label(lines[number - 1][r.start : r.label_end]) for r in rows)
        for number, rows in row_lines.items()
    )
    if table_3_lines < MIN_ROW_LINES and not any(is_flat(line) for _, line in candidates):
        return None
    out: list[str] = []
    sources: list[int | None] = []
    fused: set[int] = set()

    def emit(text: str, source: int, is_row: bool = False) -> None:
        out.append(text)
        sources.append(source)
        if is_row:
            fused.add(len(out))

    for number, line in enumerate(lines, start=1):
        # once the page is known to be flattened, a line holding a single table (table 四's one
        # row after its header words) is cut the same way
        rows = row_lines.get(number) or (_rows(line) if _may_hold_rows(line) else [])
        if not rows:
            # prose may still end in a heading and table 二's header words (the row follows on
            # the next line): they get lines of their own
            for piece in _text_pieces(line, False, before_table=True) or [line]:
                emit(piece, number)
            continue
        cursor = 0
        for position, row in enumerate(rows):
            between = line[cursor : row.start]
            for piece in _text_pieces(between, position > 0, before_table=position == 0):
                emit(piece, number)
            label = _SPACES.sub("", line[row.start : row.label_end])
            cells = _SPACES.split(line[row.label_end : row.run_end].strip())
            emit("\t".join([label, *cells]), number, is_row=True)
            cursor = row.run_end
        for piece in _text_pieces(line[cursor:], in_table=False):
            emit(piece, number)
    return FlatLines(out, sources, fused)
