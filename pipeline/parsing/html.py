"""HTML pages → text lines the table reader understands, each with its line in the page source.

Every ``<tr>`` without a nested table becomes one line of tab-separated cell texts, laid out on
the table's grid: a blank cell (``&nbsp;``, an empty ``<p>``) is an explicit empty cell in its
column, trailing ones included; merged cells of ``rowspan``/``colspan`` are not repeated, except
that a number spanning several rows leaves a blank cell in each row below (``spanned``). Other
block elements (``p``, ``div``, ``h1``…, ``li``, ``br``) end a line. Scripts, styles and forms are
dropped; site navigation stays as harmless text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from pipeline.parsing.values import KIND_NUMBER, KIND_PLACEHOLDER, parse_value

_HTML_START = re.compile(
    r"^\s*(<!doctype html|<html|<head|<body|<meta|<title|<table|<div|<p[\s>])", re.I
)
# What a saved page may carry before its first tag: a BOM, comments (``<!-- saved from url=… -->``,
# CMS banners), an XML declaration, white space.
_PREAMBLE = re.compile(r"^(?:\ufeff|\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.S | re.I)
# A page whose preamble is prose (a crawler's header) still has an <html>/<body> element.
_DOCUMENT_TAG = re.compile(r"<(?:html|body)[\s>]", re.I)
_BLOCK_TAGS = re.compile(r"<(?:tr|td|p|div|table)[\s>]", re.I)
_HTML_TAG = re.compile(r"<(table|tr|td|p|div|br|span)[\s/>]", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b]+")

_DROPPED = {"script", "style", "noscript", "template", "select", "option", "button", "iframe"}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "caption",
    "blockquote",
    "pre",
    "header",
    "footer",
    "nav",
    "title",
    "center",
    "form",
}


@dataclass(frozen=True)
class HtmlLines:
    lines: list[str]
    source_lines: list[int | None]  # line in the HTML source of each rendered line
    grid_lines: set[int]  # 1-based rendered lines that are table rows: every cell explicit
    spanned: list[tuple[int, int]]  # (rendered line, cell index) of cells a value spans into


def looks_like_html(text: str) -> bool:
    """A page rather than plain text, decided by content: after any preamble (BOM, comments, XML
    declaration) it starts with a tag, or it holds an ``<html>``/``<body>`` element and block tags.
    A stray comment in crawled text (``<!--[if …]-->``) does not make it a page."""
    head = text[:65536]
    if not _HTML_TAG.search(text):
        return False
    preamble = _PREAMBLE.match(head)  # matches, if only the empty string
    if _HTML_START.match(head[preamble.end() if preamble else 0 :]):
        return True
    return bool(_DOCUMENT_TAG.search(head)) and len(_BLOCK_TAGS.findall(head)) >= 5


def html_lines(text: str) -> HtmlLines:
    """Render a page to lines: table rows tab-separated, blocks on their own lines."""
    try:
        root = lxml.html.fromstring(_XML_DECLARATION.sub("", text, count=1) or "<html></html>")
    except etree.ParserError:  # e.g. an unclosed comment swallows the page: a browser shows
        return HtmlLines([], [], set(), [])  # nothing either, and the parser says no table
    renderer = _Renderer()
    renderer.walk(root)
    renderer.flush()
    return HtmlLines(renderer.lines, renderer.source_lines, renderer.grid_lines, renderer.spanned)


@dataclass(frozen=True)
class _Span:
    """A cell reaching into the rows below it (``rowspan``)."""

    rows_left: int
    width: int
    is_value: bool


class _TableLayout:
    """Lays a table's rows out on its grid, so each cell has its column."""

    def __init__(self) -> None:
        self._spans: dict[int, _Span] = {}

    def row(self, cells: list[etree._Element]) -> tuple[list[str], list[int]]:
        """The row's cell texts in column order and the indexes of cells a value spans into.

        A number spanning several rows belongs to its first row: the rows below get a blank
        cell in its column. A text cell spanning rows (a group label) is not repeated; cells
        covered by a ``colspan`` are not repeated either.
        """
        pending = dict(self._spans)
        carried: dict[int, _Span] = {}
        texts: list[str] = []
        spanned: list[int] = []
        queue = list(cells)
        column = 0
        while queue or pending:
            if column in pending:
                span = pending.pop(column)
                if span.is_value:
                    spanned.append(len(texts))
                    texts.append("")
                if span.rows_left > 1:
                    carried[column] = _Span(span.rows_left - 1, span.width, span.is_value)
                column += span.width
                continue
            if not queue:
                column = min(pending)
                continue
            cell = queue.pop(0)
            text = _cell_text(cell)
            width = _span(cell, "colspan")
            rows = _span(cell, "rowspan")
            if rows > 1:
                kind = parse_value(text).kind
                carried[column] = _Span(rows - 1, width, kind in (KIND_NUMBER, KIND_PLACEHOLDER))
            texts.append(text)
            column += width
            for covered in [c for c in pending if c < column]:
                pending.pop(covered)  # overlapping spans in a malformed table: the cell wins
        self._spans = carried
        return texts, spanned


def _span(cell: etree._Element, attribute: str) -> int:
    try:
        return max(1, min(int(cell.get(attribute) or 1), 1000))
    except ValueError:
        return 1


class _Renderer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.source_lines: list[int | None] = []
        self._text: list[str] = []
        self._line: int | None = None
        self.grid_lines: set[int] = set()
        self.spanned: list[tuple[int, int]] = []
        self._tables: dict[etree._Element, _TableLayout] = {}

    def walk(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _DROPPED or not isinstance(element.tag, str):
            self._add(element.tail, element)
            return
        tag = tag.lower()
        if tag == "tr" and not _has_nested_table(element):
            self.flush()
            table = next(element.iterancestors("table"), element)
            texts, spanned = self._tables.setdefault(table, _TableLayout()).row(_cells(element))
            if self._emit("\t".join(texts), element.sourceline):
                self.grid_lines.add(len(self.lines))
                self.spanned += [(len(self.lines), index) for index in spanned]
        elif tag == "br":
            self.flush()
        else:
            if tag in _BLOCKS:
                self.flush()
            self._add(element.text, element)
            for child in element:
                self.walk(child)
            if tag in _BLOCKS:
                self.flush()
        self._add(element.tail, element)

    def _add(self, text: str | None, element: etree._Element) -> None:
        if text and text.strip():
            if self._line is None:
                self._line = element.sourceline
            self._text.append(text)

    def flush(self) -> None:
        if self._text:
            self._emit(_SPACES.sub(" ", "".join(self._text)).strip(), self._line)
        self._text, self._line = [], None

    def _emit(self, line: str, source_line: int | None) -> bool:
        if not line.strip():
            return False
        self.lines.append(line)
        self.source_lines.append(source_line)
        return True


def _has_nested_table(row: etree._Element) -> bool:
    return any(True for _ in row.iterdescendants("table"))


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def _cell_text(cell: etree._Element) -> str:
    """The cell's text with labels split over spans/lines joined; ``&nbsp;`` cells blank."""
    for dropped in cell.iterdescendants(*_DROPPED):
        dropped.drop_tree()
    return _SPACES.sub(" ", cell.text_content()).strip()
