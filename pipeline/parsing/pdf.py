"""PDF reports → text lines the table reader understands, each table cell with its page and box.

The reader uses the PDF's text layer (pypdfium2): every character with its box, and the
rectangles and lines the page draws. Tables are laid out on the grid their drawn cells define:

* ``cells`` — WPS draws every cell as a rectangle; Word draws ruling lines. Both give edges; where
  a vertical and a horizontal edge cross is a corner, and the smallest boxes closed by corners
  joined by edges are the cells (a merged cell is one box over several grid positions). Cells
  sharing corners form one table; the table's grid is every x and y at which one of its cells
  starts or ends.
* ``words`` — a table drawn without lines (or without row rules, so that one drawn cell stacks
  the numbers of several rows): characters far apart on a line are separate cells, the numbers
  of a run of such lines are put in columns by their horizontal overlap, and label text wrapped
  above or below a row's numbers joins that row's label.

Each grid row becomes one line of tab-separated cell texts, one field per grid column: a blank
cell is an empty field, and a merged cell's text stands at its first (top-left) position only,
with empty fields where it spans. A cell's text is its characters in reading order, its visual
lines joined without spaces (a label wrapped over lines, or a vertical header one character per
line, is one field). Text outside tables becomes plain lines; page numbers and footers
(``— 3 —``, ``第 3 页``, a lone number at the top or bottom of the page) are dropped. Pages follow
one another, so a table split over pages is simply its rows page after page.

A character the PDF gives no Unicode for stays in the text as U+FFFD (never a digit, so never a
wrong number). The document's own title (Info /Title) fills such characters in a line that is a
part of that title, and stands as the first line when the text has no title line of its own (see
:func:`_restore_from_title`: Chromium printing without the fonts for the text, LibreOffice printing
a web page).

Coordinates are PDF points with the origin at the top-left of the page as displayed (page
rotation applied), rounded to 0.1.

pdfium is not thread-safe: documents are read one at a time under a process-wide lock, and no
pdfium object outlives :func:`read_pdf`. Parse many PDFs in a process pool, one file per task.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.parsing.metadata import find_body_year, find_title
from pipeline.parsing.model import Cell, ParsedReport
from pipeline.parsing.values import KIND_NUMBER, KIND_PLACEHOLDER, parse_value

# A PDF header may follow a few bytes of junk; readers accept it within the first 1024 bytes.
PDF_SNIFF_BYTES = 1024

PROBLEM_SCANNED = "scanned_pdf"
PROBLEM_ENCRYPTED = "encrypted_pdf"
PROBLEM_UNREADABLE = "unreadable_pdf"

GRID_CELLS = "cells"  # tables from drawn cell rectangles or ruling lines
GRID_WORDS = "words"  # tables from word positions only
GRID_NONE = "none"  # no table-like lines found

# Edges closer than this (points) are one line: WPS leaves 0.2 pt between adjacent cell rectangles.
SNAP = 1.5
# Grid columns narrower than this (points) without text of their own give no field.
MIN_CELL = 4.0
# Collinear pieces of an edge with gaps up to this are one edge.
JOIN = 2.0
# Shorter path segments (the short sides of a border drawn as a thin filled rectangle) are noise.
MIN_EDGE = 2.0
# Characters of one line whose gap exceeds this many character heights stand in separate cells.
WORD_GAP = 1.2
# Non-CJK characters of one word whose gap exceeds this many heights are separated by a space.
SPACE_GAP = 0.2
# Label text farther than this many line heights from every row of a borderless table stays apart.
WRAP_GAP = 0.6
# Page furniture (page numbers, footers) is looked for in this share of the page at top and bottom.
MARGIN_SHARE = 0.12
# Fewer text characters than this per page, on pages that hold images: a scan.
SCANNED_CHARS_PER_PAGE = 10

# Character boxes larger than this (points) are checked against the font size and matrix.
LARGE_CHAR = 20.0
# White space, control characters and invisible marks carry no text of a cell.
_SKIPPED = frozenset(
    [chr(i) for i in range(0x21)]
    + [chr(i) for i in range(0x3001) if chr(i).isspace()]  # U+3000 is the last one
    + ["\x7f", "\ufeff", "\ufffe", "\uffff", "\u200b", "\u200c", "\u200d"]
)

# A character the PDF gives no Unicode for (a glyph without a ToUnicode entry or ActualText).
UNKNOWN = "\ufffd"
# Any year is plausible when looking for a title line (the parser checks the year itself).
_ANY_YEAR = 9999

_PDFIUM_LOCK = threading.Lock()

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·•]*\s*\d{1,4}\s*[-—–－~·•]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)


@dataclass(frozen=True)
class CellBox:
    """Where a cell was printed: 1-based page and its box (x0, y0, x1, y1), top-left origin."""

    page: int
    bbox: tuple[float, float, float, float]

    @property
    def bbox_text(self) -> str:
        """``"x0,y0,x1,y1"`` in points, rounded to 0.1."""
        return ",".join(f"{v:.1f}" for v in self.bbox)


@dataclass
class PdfText:
    """A PDF rendered as lines, with the page and box of every tab-separated field."""

    lines: list[str] = field(default_factory=list)
    boxes: list[list[CellBox | None]] = field(default_factory=list)  # per line, per field
    line_pages: list[int] = field(default_factory=list)  # the 1-based page of each line
    pages: int = 0
    grid: str = GRID_NONE  # how the tables' grid was found: cells, words or none
    problem_code: str | None = None  # scanned_pdf | encrypted_pdf | unreadable_pdf
    problem: str | None = None

    def add(self, page: int, fields: Sequence[str], boxes: Sequence[CellBox | None]) -> None:
        # a field holding a tab (numbers apart in one drawn cell) is several fields, one box
        self.lines.append("\t".join(fields))
        self.boxes.append([b for f, b in zip(fields, boxes, strict=True) for _ in f.split("\t")])
        self.line_pages.append(page)


def looks_like_pdf(data: bytes) -> bool:
    """A PDF by content: the ``%PDF-`` header within the first 1024 bytes, whatever the name."""
    return b"%PDF-" in data[:PDF_SNIFF_BYTES]


def read_pdf(data: bytes) -> PdfText:
    """Render a PDF's text layer as lines; a scanned, encrypted or broken file sets ``problem``."""
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            return _load_problem(exc)
        try:
            title = _document_title(document)
            pages = [_read_page(document, index) for index in range(len(document))]
        except pdfium.PdfiumError as exc:
            return PdfText(problem_code=PROBLEM_UNREADABLE, problem=f"PDF page unreadable: {exc}")
        finally:
            document.close()
    out = PdfText(pages=len(pages))
    if not pages:
        out.problem_code, out.problem = PROBLEM_UNREADABLE, "PDF without pages"
        return out
    chars = sum(len(p.chars) for p in pages)
    images = sum(p.images for p in pages)
    if chars < SCANNED_CHARS_PER_PAGE * len(pages) and (images or chars == 0):
        out.problem_code = PROBLEM_SCANNED
        out.problem = (
            f"no text layer ({chars} characters on {len(pages)} pages, {images} images): "
            "a scanned PDF needs OCR"
        )
        return out
    grids = set()
    for page in pages:
        grids.update(_render_page(page, out))
    out.grid = GRID_CELLS if GRID_CELLS in grids else GRID_WORDS if grids else GRID_NONE
    if title:
        _restore_from_title(out, title)
    return out


def _document_title(document: pdfium.PdfDocument) -> str:
    """The document's own title (its Info /Title), white space collapsed; "" without one."""
    raw = document.raw
    size = pdfium_c.FPDF_GetMetaText(raw, b"Title", None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_GetMetaText(raw, b"Title", buffer, size)
    text = buffer.raw[: size - 2].decode("utf-16-le", errors="replace")
    return " ".join(text.split())


def _restore_from_title(out: PdfText, title: str) -> None:
    """What the document's title can tell of a page text that lost its title.

    * Characters without Unicode (UNKNOWN) in a field whose other characters are a part of the
      title, at one place only, are the title's characters there. (Chromium printing text in a
      font without the glyphs draws .notdef and gives the text as /ActualText, except for the one
      character it took as .notdef's own, everywhere: the "平" of 平潭 in every line.)
    * A text without a title line in its first lines, from a document whose title is a report
      title of the year its body speaks of, gets that title as its first line (page 1, no box):
      LibreOffice printing a web page can leave out the page's first paragraph, the title.
    """
    compact = "".join(title.split())
    for index, line in enumerate(out.lines):
        if UNKNOWN in line:
            out.lines[index] = "\t".join(_fill_unknown(f, compact) for f in line.split("\t"))
    if not out.lines or find_title(out.lines, _ANY_YEAR):
        return
    found = find_title([title], _ANY_YEAR)
    if found is None or UNKNOWN in title:
        return
    body_year = find_body_year(out.lines, _ANY_YEAR)
    if body_year is not None and body_year != found[3]:
        return  # a title left over from another year's document
    out.lines.insert(0, title)
    out.boxes.insert(0, [None])
    out.line_pages.insert(0, 1)


def _fill_unknown(text: str, title: str) -> str:
    if UNKNOWN not in text:
        return text
    compact = "".join(text.split())
    unknown = compact.count(UNKNOWN)
    known = len(compact) - unknown
    if known < 4 or known < 2 * unknown or len(compact) > len(title):
        return text
    places = [
        start
        for start in range(len(title) - len(compact) + 1)
        if all(c in (UNKNOWN, title[start + k]) for k, c in enumerate(compact))
    ]
    if len(places) != 1:
        return text
    filled = iter(title[places[0] :])
    out = []
    for char in text:
        if char.isspace():
            out.append(char)
            continue
        from_title = next(filled)
        out.append(from_title if char == UNKNOWN else char)
    return "".join(out)


def _load_problem(exc: pdfium.PdfiumError) -> PdfText:
    if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return PdfText(
            problem_code=PROBLEM_ENCRYPTED, problem=f"PDF is encrypted (password needed): {exc}"
        )
    return PdfText(problem_code=PROBLEM_UNREADABLE, problem=f"PDF cannot be opened: {exc}")


# ----------------------------------------------------------------------------- pdfium → geometry


class _Char:
    """One printed character and its box (points, top-left origin)."""

    __slots__ = ("cx", "cy", "height", "text", "x0", "x1", "y0", "y1")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        self.text, self.x0, self.y0, self.x1, self.y1 = text, x0, y0, x1, y1
        self.cx, self.cy, self.height = (x0 + x1) / 2, (y0 + y1) / 2, y1 - y0

    def __repr__(self) -> str:
        return f"_Char({self.text!r}, {self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


@dataclass
class _Page:
    number: int  # 1-based
    width: float
    height: float
    chars: list[_Char]
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    vertical: list[tuple[float, float, float]]  # (x, y0, y1)
    images: int


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


class _View:
    """PDF user space → the displayed page: origin top-left, rotation applied."""

    def __init__(self, page: object) -> None:
        box = [ctypes.c_float() for _ in range(4)]
        if pdfium_c.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in box)):
            left, bottom, right, top = (v.value for v in box)
        else:  # no /MediaBox of its own: pdfium's page size
            left, bottom = 0.0, 0.0
            right, top = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        self.rotation = pdfium_c.FPDFPage_GetRotation(page) % 4 * 90
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _read_page(document: pdfium.PdfDocument, index: int) -> _Page:
    # The raw API: pypdfium2's page helpers cost a third more time than pdfium's own work here.
    page = pdfium_c.FPDF_LoadPage(document.raw, index)
    if not page:
        raise pdfium.PdfiumError(f"page {index + 1} cannot be loaded")
    try:
        view = _View(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise pdfium.PdfiumError(f"page {index + 1}: text cannot be loaded")
        try:
            chars = _chars(textpage, view)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        horizontal: list[tuple[float, float, float]] = []
        vertical: list[tuple[float, float, float]] = []
        images = _walk_objects(_page_objects(page), None, view, horizontal, vertical)
        return _Page(index + 1, view.width, view.height, chars, horizontal, vertical, images)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _chars(raw: object, view: _View) -> list[_Char]:
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    # All the text in one call, the boxes one by one. The text is one UTF-16 unit per character
    # index only when pdfium wrote count units and the terminator: it leaves out characters
    # without Unicode (a glyph missing from the font, drawn as .notdef) and writes surrogate pairs
    # for characters beyond the first plane. Then every later character would take its
    # neighbour's box: the text is read character by character instead.
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(
        raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
    if written != count + 1 or len(text) != count or UNKNOWN in text:
        # a character without Unicode stands as UNKNOWN: never read as a number, nor left out
        # (a digit left out would change a number); see _restore_from_title
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    upright = view.rotation == 0
    left, top = view.left, view.top
    chars: list[_Char] = []
    seen: set[tuple[str, int, int]] = set()
    for i, char in enumerate(text):
        if char in _SKIPPED or not get_box(raw, i, rect_ref):
            continue
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if char == UNKNOWN and (box[2] <= box[0] or box[3] <= box[1]):
            continue  # an unknown glyph that draws nothing
        if box[2] - box[0] > LARGE_CHAR or box[3] - box[1] > LARGE_CHAR:
            box = _em_box(raw, i, box)
        if upright:
            x0, y0, x1, y1 = box[0] - left, top - box[3], box[2] - left, top - box[1]
        else:
            x0, y0, x1, y1 = view.box(*box)
        # Fake bold draws each glyph twice, a fraction of a point apart: keep one.
        key = (char, round(x0), round(y0))
        if key in seen:
            continue
        seen.add(key)
        chars.append(_Char(char, x0, y0, x1, y1))
    return chars


def _em_box(
    raw: object, index: int, loose: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """A character's em square around its glyph, when the font's metrics give an absurd loose
    box (seen in WPS vertical headers: 200 pt boxes for 10 pt characters)."""
    m = pdfium_c.FS_MATRIX()
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(m)):
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
    em = pdfium_c.FPDFText_GetFontSize(raw, index) * scale
    if max(loose[2] - loose[0], loose[3] - loose[1]) <= 1.5 * em + 1:
        return loose
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(
        raw, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    ):
        return loose
    cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
    return cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2


def _page_objects(page_raw: object) -> list[object]:
    get = pdfium_c.FPDFPage_GetObject
    return [get(page_raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(page_raw))]


def _form_objects(form_raw: object) -> list[object]:
    get = pdfium_c.FPDFFormObj_GetObject
    return [get(form_raw, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(form_raw))]


def _matrix(obj: object) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _walk_objects(
    objects: Iterable[object],
    outer: _Matrix | None,
    view: _View,
    horizontal: list[tuple[float, float, float]],
    vertical: list[tuple[float, float, float]],
    depth: int = 0,
) -> int:
    """Collect the axis-parallel edges of drawn paths; return the number of images.

    ``outer`` is the matrix of the enclosing form XObjects (None on the page itself).
    """
    images = 0
    get_type = pdfium_c.FPDFPageObj_GetType
    path = pdfium_c.FPDF_PAGEOBJ_PATH
    for obj in objects:
        kind = get_type(obj)
        if kind == path:
            _path_edges(obj, outer, view, horizontal, vertical)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            matrix = _matrix(obj) if outer is None else _compose(_matrix(obj), outer)
            images += _walk_objects(
                _form_objects(obj), matrix, view, horizontal, vertical, depth + 1
            )
    return images


_BOUNDS = tuple(ctypes.c_float() for _ in range(4))
_BOUNDS_REFS = tuple(ctypes.byref(v) for v in _BOUNDS)
_DRAW_MODE = (ctypes.c_int(), ctypes.c_int())
_DRAW_MODE_REFS = tuple(ctypes.byref(v) for v in _DRAW_MODE)
_STROKE = ctypes.c_float()
_STROKE_REF = ctypes.byref(_STROKE)


def _shrink(low: float, high: float, by: float) -> tuple[float, float]:
    if high - low <= 2 * by:
        middle = (low + high) / 2
        return middle, middle
    return low + by, high - by


# A thin box this wide (points) is a line: a stroked segment or a border drawn as a filled bar.
LINE_WIDTH = 3.0


def _path_edges(
    obj: object,
    outer: _Matrix | None,
    view: _View,
    horizontal: list[tuple[float, float, float]],
    vertical: list[tuple[float, float, float]],
) -> None:
    if not pdfium_c.FPDFPath_GetDrawMode(obj, *_DRAW_MODE_REFS):
        return
    if not _DRAW_MODE[0].value and not _DRAW_MODE[1].value:
        return  # an invisible path
    segments = pdfium_c.FPDFPath_CountSegments(obj)
    upright = outer is None or outer[1] == outer[2] == 0  # a form only moved or scaled
    if upright and 2 <= segments <= 5 and pdfium_c.FPDFPageObj_GetBounds(obj, *_BOUNDS_REFS):
        # A lone line or rectangle (how WPS and Word draw cells and borders): its bounds suffice.
        left, bottom, right, top = (v.value for v in _BOUNDS)
        if _DRAW_MODE[1].value and pdfium_c.FPDFPageObj_GetStrokeWidth(obj, _STROKE_REF):
            # pdfium's bounds of a stroked path grow by the stroke width on every side
            grow = _STROKE.value
            left, right = _shrink(left, right, grow)
            bottom, top = _shrink(bottom, top, grow)
        if outer is not None:  # bounds in the form's space
            sx, _, _, sy, dx, dy = outer
            left, right = left * sx + dx, right * sx + dx
            bottom, top = bottom * sy + dy, top * sy + dy
        x0, y0, x1, y1 = view.box(left, bottom, right, top)
        if y1 - y0 <= LINE_WIDTH:
            _add_edge((x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2), horizontal, vertical)
        elif x1 - x0 <= LINE_WIDTH:
            _add_edge(((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1), horizontal, vertical)
        elif segments >= 4:  # a rectangle (4 or 5 segments whose bounds are not thin)
            for p, q in (((x0, y0), (x1, y0)), ((x0, y1), (x1, y1))):
                _add_edge(p, q, horizontal, vertical)
            for p, q in (((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))):
                _add_edge(p, q, horizontal, vertical)
        return
    matrix = _matrix(obj) if outer is None else _compose(_matrix(obj), outer)
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    start: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    for i in range(segments):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x_ref, y_ref):
            continue
        px, py = x.value, y.value
        point = view.point(a * px + c * py + e, b * px + d * py + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
        else:
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                _add_edge(current, point, horizontal, vertical)
            current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and current:
            _add_edge(current, start, horizontal, vertical)
            current = start


def _add_edge(
    p: tuple[float, float],
    q: tuple[float, float],
    horizontal: list[tuple[float, float, float]],
    vertical: list[tuple[float, float, float]],
) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= MIN_EDGE:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= MIN_EDGE:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


# ----------------------------------------------------------------------------- edges → tables


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges within SNAP of one another are one line; collinear pieces within JOIN are one edge."""
    if not edges:
        return []
    edges = sorted(edges)
    groups: list[list[tuple[float, float, float]]] = [[edges[0]]]
    for edge in edges[1:]:
        if edge[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    merged: list[tuple[float, float, float]] = []
    for group in groups:
        position = round(group[len(group) // 2][0], 2)  # the median
        spans = sorted((e[1], e[2]) for e in group)
        lo, hi = spans[0]
        for s0, s1 in spans[1:]:
            if s0 <= hi + JOIN:
                hi = max(hi, s1)
            else:
                merged.append((position, lo, hi))
                lo, hi = s0, s1
        merged.append((position, lo, hi))
    return merged


@dataclass
class _Cell:
    x0: float
    y0: float
    x1: float
    y1: float
    row: int = 0
    col: int = 0
    chars: list[_Char] = field(default_factory=list)


@dataclass
class _Table:
    cells: list[_Cell]
    xs: list[float]
    ys: list[float]
    owner: dict[tuple[int, int], _Cell]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> _Cell:
        """The cell at a point inside the table."""
        col = min(bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        row = min(bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        cell = self.owner.get((row, col))
        if cell is None:  # a hole in the grid (a missing line): a cell of its own
            cell = _Cell(self.xs[col], self.ys[row], self.xs[col + 1], self.ys[row + 1], row, col)
            self.owner[(row, col)] = cell
            self.cells.append(cell)
        return cell


def _assign_chars(tables: list[_Table], chars: list[_Char]) -> list[_Char]:
    """Put each character in the cell holding its centre; return those outside every table.

    A character hanging over a table's left or right border by less than half its width
    (line-end punctuation) belongs to the border cell.
    """
    boxes = [(t, *t.box) for t in tables]
    free = []
    for char in chars:
        cx, cy, half = char.cx, char.cy, (char.x1 - char.x0) / 2
        for table, x0, y0, x1, y1 in boxes:
            if y0 <= cy <= y1 and x0 - half <= cx <= x1 + half:
                table.cell_at(min(max(cx, x0), x1), cy).chars.append(char)
                break
        else:
            free.append(char)
    return free


def _find_tables(page: _Page) -> list[_Table]:
    horizontal, vertical = _snap(page.horizontal), _snap(page.vertical)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    # corners: where edges of both directions meet, with the edge of each direction through it
    h_edge: dict[tuple[float, float], int] = {}
    v_edge: dict[tuple[float, float], int] = {}
    for hi, (y, hx0, hx1) in enumerate(horizontal):
        for vi, (x, vy0, vy1) in enumerate(vertical):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                h_edge.setdefault((x, y), hi)
                v_edge.setdefault((x, y), vi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in h_edge:  # in order of y, then x
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells: list[_Cell] = []
    for x, y in h_edge:
        cell = _smallest_cell(x, y, by_x, by_y, h_edge, v_edge)
        if cell is not None:
            cells.append(cell)
    # a single column of boxes is a frame around text, not a table: its text is read as lines
    return [t for t in _group_tables(cells) if len(t.cells) >= 2 and len(t.xs) > 2]


def _smallest_cell(
    x: float,
    y: float,
    by_x: dict[float, list[float]],
    by_y: dict[float, list[float]],
    h_edge: dict[tuple[float, float], int],
    v_edge: dict[tuple[float, float], int],
) -> _Cell | None:
    """The smallest box with top-left corner (x, y) whose four sides are drawn edges."""
    column, row = by_x[x], by_y[y]
    down, across = v_edge[(x, y)], h_edge[(x, y)]
    below = []
    for by in column[bisect_right(column, y) :]:
        if v_edge[(x, by)] != down:
            break
        below.append(by)
    right = []
    for rx in row[bisect_right(row, x) :]:
        if h_edge[(rx, y)] != across:
            break
        right.append(rx)
    for by in below:
        bottom = h_edge[(x, by)]
        for rx in right:
            corner = (rx, by)
            if h_edge.get(corner) == bottom and v_edge[corner] == v_edge[(rx, y)]:
                return _Cell(x, y, rx, by)
    return None


def _group_tables(cells: list[_Cell]) -> list[_Table]:
    """Cells sharing a corner are one table."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corners: dict[tuple[float, float], int] = {}
    for i, cell in enumerate(cells):
        for corner in (
            (cell.x0, cell.y0),
            (cell.x1, cell.y0),
            (cell.x0, cell.y1),
            (cell.x1, cell.y1),
        ):
            if corner in corners:
                parent[find(i)] = find(corners[corner])
            else:
                corners[corner] = i
    groups: dict[int, list[_Cell]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    tables = []
    for members in groups.values():
        xs = sorted({c.x0 for c in members} | {c.x1 for c in members})
        ys = sorted({c.y0 for c in members} | {c.y1 for c in members})
        col_of = {x: i for i, x in enumerate(xs)}
        row_of = {y: i for i, y in enumerate(ys)}
        owner: dict[tuple[int, int], _Cell] = {}
        for cell in members:
            cell.row, cell.col = row_of[cell.y0], col_of[cell.x0]
            for r in range(cell.row, row_of[cell.y1]):
                for c in range(cell.col, col_of[cell.x1]):
                    owner.setdefault((r, c), cell)
        tables.append(_Table(members, xs, ys, owner))
    return tables


# ----------------------------------------------------------------------------- text


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _lines_of(chars: Sequence[_Char]) -> list[list[_Char]]:
    """Characters grouped into visual lines (top to bottom), each left to right."""
    if len(chars) == 1:
        return [list(chars)]
    lines: list[list[_Char]] = []
    bottom = float("-inf")
    for char in sorted(chars, key=lambda c: c.y0):
        if lines and char.cy < bottom:
            lines[-1].append(char)
            bottom = max(bottom, char.y1 - 0.3 * char.height)
        else:
            lines.append([char])
            bottom = char.y1 - 0.3 * char.height
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _words(line: Sequence[_Char]) -> list[list[_Char]]:
    """A line's characters split where the gap is wide enough to separate cells."""
    gap = WORD_GAP * sum(c.height for c in line) / len(line)
    words = [[line[0]]]
    for prev, char in itertools.pairwise(line):
        if char.x0 - prev.x1 > gap:
            words.append([char])
        else:
            words[-1].append(char)
    return words


def _word_text(chars: Sequence[_Char]) -> str:
    """Characters of one word; a space only between non-CJK characters set apart."""
    if len(chars) == 1:
        return chars[0].text
    size = sum(c.height for c in chars) / len(chars)
    out = [chars[0].text]
    for prev, char in itertools.pairwise(chars):
        gap = char.x0 - prev.x1
        if gap > SPACE_GAP * size and not (_is_cjk(prev.text) or _is_cjk(char.text)):
            out.append(" ")
        out.append(char.text)
    return "".join(out)


def _cell_text(chars: Sequence[_Char]) -> str:
    """A cell's text: its visual lines joined, without a space unless both sides are Latin.

    Numbers set far apart in one drawn cell (a column rule missing) stay apart, tab-separated:
    the row then has more fields than columns, which the matcher reports; joined, ``9    0``
    would read as 90.
    """
    text = ""
    for line in _lines_of(chars):
        part = ""
        previous_value = False
        for word in _words(line):
            piece = _word_text(word)
            value = _is_value(piece)
            if part:
                if value and previous_value:
                    part += "\t"
                elif not (_is_cjk(part[-1]) or _is_cjk(piece[0])):
                    part += " "
            part += piece
            previous_value = value
        if text and not (_is_cjk(text[-1]) or _is_cjk(part[0])) and part[0].isalnum():
            text += " "
        text += part
    return text


def _union_box(chars: Sequence[_Char]) -> tuple[float, float, float, float]:
    return (
        min(c.x0 for c in chars),
        min(c.y0 for c in chars),
        max(c.x1 for c in chars),
        max(c.y1 for c in chars),
    )


def _rounded(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return tuple(round(v, 1) for v in box)  # type: ignore[return-value]


# ----------------------------------------------------------------------------- page → lines


@dataclass
class _Block:
    """Something to emit at a vertical position: a table's rows or a run of free lines."""

    top: float
    rows: list[tuple[list[str], list[CellBox | None]]]


def _render_page(page: _Page, out: PdfText) -> set[str]:
    tables = _find_tables(page)
    free = _assign_chars(tables, page.chars) if tables else page.chars
    undrawn = [t for t in tables if _rows_undrawn(t)]
    if undrawn:
        # a grid missing its row rules stacks several rows' numbers in one cell: such a table
        # is laid out by word positions instead
        tables = [t for t in tables if t not in undrawn]
        free = free + [char for t in undrawn for cell in t.cells for char in cell.chars]
    grids: set[str] = set()
    blocks = []
    for table in tables:
        rows = _table_rows(table, page.number)
        if rows:
            blocks.append(_Block(table.box[1], rows))
            grids.add(GRID_CELLS)
    lines = [line for line in _lines_of(free) if not _is_page_furniture(line, page)]
    word_rows, found_words = _free_rows(lines, page.number)
    if found_words:
        grids.add(GRID_WORDS)
    blocks.extend(word_rows)
    for block in sorted(blocks, key=lambda b: b.top):
        for fields, boxes in block.rows:
            out.add(page.number, fields, boxes)
    return grids


def _rows_undrawn(table: _Table) -> bool:
    """A cell holding numbers on two or more of its lines: rows the drawn grid does not part."""
    for cell in table.cells:
        chars = cell.chars
        if len(chars) < 2 or not any(c.text.isdigit() for c in chars):
            continue
        if max(c.y1 for c in chars) - min(c.y0 for c in chars) < 1.8 * chars[0].height:
            continue  # one line
        lines = _lines_of(chars)
        if sum(_is_value(_word_text(line)) for line in lines) >= 2:
            return True
    return False


def _table_rows(table: _Table, page: int) -> list[tuple[list[str], list[CellBox | None]]]:
    texts = {id(cell): _cell_text(cell.chars) if cell.chars else "" for cell in table.cells}
    # a sliver between double rules (or rules a little apart) is no column: no field for it
    texted = {cell.col for cell in table.cells if texts[id(cell)]}
    columns = [
        c
        for c in range(len(table.xs) - 1)
        if table.xs[c + 1] - table.xs[c] >= MIN_CELL or c in texted
    ]
    rows = []
    cell_boxes: dict[int, CellBox] = {}
    for r in range(len(table.ys) - 1):
        fields: list[str] = []
        boxes: list[CellBox | None] = []
        for c in columns:
            cell = table.owner.get((r, c))
            if cell is None:
                fields.append("")
                boxes.append(None)
                continue
            first = cell.row == r and cell.col == c
            fields.append(texts[id(cell)] if first else "")
            box = cell_boxes.get(id(cell))
            if box is None:
                box = cell_boxes[id(cell)] = CellBox(
                    page, _rounded((cell.x0, cell.y0, cell.x1, cell.y1))
                )
            boxes.append(box)
        if not any(fields):
            continue
        owners = {id(table.owner.get((r, c))) for c in columns}
        if len(owners) == 1 and fields[0]:
            fields, boxes = fields[:1], boxes[:1]  # a caption or paragraph across the table
        rows.append((fields, boxes))
    return rows


def _is_page_furniture(line: Sequence[_Char], page: _Page) -> bool:
    """A page number or footer: short, at the top or bottom of the page."""
    top, bottom = line[0].y0, max(c.y1 for c in line)
    margin = MARGIN_SHARE * page.height
    if not (bottom < margin or top > page.height - margin):
        return False
    text = "".join(c.text for c in line)
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


def _is_value(text: str) -> bool:
    return parse_value(text).kind in (KIND_NUMBER, KIND_PLACEHOLDER)


@dataclass
class _Word:
    """Characters of one line standing together: a cell's text on that line."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    is_value: bool

    @classmethod
    def of(cls, chars: Sequence[_Char]) -> _Word:
        text = _word_text(chars)
        return cls(text, *_union_box(chars), _is_value(text))

    def overlaps(self, x0: float, x1: float) -> bool:
        """Horizontal overlap with [x0, x1] over at least a third of the narrower one."""
        overlap = min(self.x1, x1) - max(self.x0, x0)
        return overlap > 0.33 * min(self.x1 - self.x0, x1 - x0)


@dataclass
class _Line:
    words: list[_Word]
    y0: float
    y1: float

    @property
    def has_values(self) -> bool:
        return any(w.is_value for w in self.words)


@dataclass
class _Label:
    """A label cell of a borderless row: its pieces, one per visual line."""

    pieces: list[_Word]

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return min(p.y0 for p in self.pieces)

    def text(self) -> str:
        out = ""
        for piece in sorted(self.pieces, key=lambda p: p.y0):
            if out and not (_is_cjk(out[-1]) or _is_cjk(piece.text[0])):
                out += " "
            out += piece.text
        return out

    def box(self) -> tuple[float, float, float, float]:
        return (
            self.x0,
            self.top,
            self.x1,
            max(p.y1 for p in self.pieces),
        )


@dataclass
class _Row:
    """A borderless table row: the line with its numbers, and label pieces wrapped around it."""

    line: _Line
    labels: list[_Label]

    @property
    def top(self) -> float:
        return min([self.line.y0, *(label.top for label in self.labels)])

    def gap(self, word: _Word) -> float:
        """How far ``word`` stands from this row: from the label it continues (it overlaps that
        label horizontally), else from the row's numbers."""
        gaps = [
            _vertical_gap(word, piece)
            for label in self.labels
            if word.overlaps(label.x0, label.x1)
            for piece in label.pieces
        ]
        if gaps:
            return min(gaps)
        return min(_vertical_gap(word, w) for w in self.line.words if w.is_value)

    def attach(self, word: _Word) -> None:
        label = next((lb for lb in self.labels if word.overlaps(lb.x0, lb.x1)), None)
        if label is None:
            self.labels.append(_Label([word]))
        else:
            label.pieces.append(word)


def _near(rows: list[_Row], word: _Word) -> list[_Row]:
    """Rows within a few lines of the word (the only ones it may belong to)."""
    reach = 4 * (word.y1 - word.y0)
    return [r for r in rows if r.line.y0 - reach < word.y0 < r.line.y1 + reach]


def _vertical_gap(a: _Word, b: _Word) -> float:
    return max(a.y0 - b.y1, b.y0 - a.y1)


def _free_rows(lines: list[list[_Char]], page: int) -> tuple[list[_Block], bool]:
    """Lines outside drawn tables. A run of lines with numbers set apart is a borderless table
    (see :func:`_word_table`); other lines are prose, or cells set apart by wide gaps."""
    blocks: list[_Block] = []
    found = False
    placed: set[int] = set()  # lines that are part of a borderless table
    split = []
    for chars in lines:
        words = [_Word.of(w) for w in _words(chars)]
        split.append(_Line(words, min(w.y0 for w in words), max(w.y1 for w in words)))
    i = 0
    while i < len(split):
        line = split[i]
        if not (line.has_values and len(line.words) >= 2):
            i += 1
            continue
        # label text right above the first numbers (a label wrapped over them) is the table's
        start = i
        value_x0 = min(w.x0 for w in line.words if w.is_value)
        while start > 0 and not split[start - 1].has_values and start - 1 not in placed:
            above, below = split[start - 1], split[start]
            left = all(w.x1 <= value_x0 for w in above.words)
            if not left or below.y0 - above.y1 > WRAP_GAP * (above.y1 - above.y0):
                break
            start -= 1
        end = _table_end(split, i)
        blocks.extend(_word_table(split[start:end], page))
        placed.update(range(start, end))
        found = True
        i = end
    for index, line in enumerate(split):
        if index not in placed:
            boxes: list[CellBox | None] = [CellBox(page, _rounded(_box(w))) for w in line.words]
            blocks.append(_Block(line.y0, [([w.text for w in line.words], boxes)]))
    return blocks, found


def _box(word: _Word) -> tuple[float, float, float, float]:
    return word.x0, word.y0, word.x1, word.y1


def _table_end(lines: list[_Line], start: int) -> int:
    """Where the borderless table starting at ``start`` ends: lines with numbers, and lines of
    label text left of the numbers (wrapped labels, group labels) with numbers soon after or a
    label right above. A caption or header over the value columns ends it."""
    value_x0 = min(w.x0 for w in lines[start].words if w.is_value)
    end = start + 1
    while end < len(lines):
        line = lines[end]
        values = [w for w in line.words if w.is_value]
        if values:
            if any(not w.is_value and w.x1 > min(v.x0 for v in values) for w in line.words):
                break  # text among the numbers: a header or another table
            value_x0 = min(value_x0, *(v.x0 for v in values))
            end += 1
            continue
        left = all(w.x1 <= value_x0 for w in line.words)
        soon = any(n.has_values for n in lines[end + 1 : end + 4])
        previous = lines[end - 1]
        adjacent = line.y0 - previous.y1 < 0.8 * (line.y1 - line.y0)
        if left and (soon or adjacent):
            end += 1
            continue
        break
    while end > start + 1 and not lines[end - 1].has_values:
        previous, line = lines[end - 2], lines[end - 1]
        if line.y0 - previous.y1 < 0.8 * (line.y1 - line.y0):
            break  # a label wrapped below the last numbers
        end -= 1
    return end


def _word_table(lines: list[_Line], page: int) -> list[_Block]:
    """A borderless table: value columns from the numbers' horizontal extents (merged where they
    overlap), label text wrapped above or below a row's numbers joined into its label cell, and
    one field per value column in each row (blank where the row printed nothing)."""
    spans = sorted((w.x0, w.x1) for line in lines for w in line.words if w.is_value)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    first_value = columns[0][0]
    rows: list[_Row] = []
    loose: list[_Word] = []  # text on lines without numbers
    for line in lines:
        if line.has_values:
            labels = [_Label([w]) for w in line.words if w.x1 <= first_value and not w.is_value]
            rows.append(_Row(line, labels))
        else:
            loose.extend(line.words)
    # Text of lines without numbers joins the row it stands closest to, nearest first: pieces of
    # a wrapped label, a group label, a vertical header's characters. Beyond a line gap it stays.
    while loose:
        gap, nearest, row = min(
            ((r.gap(w), i, r) for i, w in enumerate(loose) for r in _near(rows, w)),
            default=(float("inf"), -1, None),
            key=lambda t: t[0],
        )
        if row is None or gap > WRAP_GAP * (loose[nearest].y1 - loose[nearest].y0):
            break
        row.attach(loose.pop(nearest))
    blocks = [_Block(w.y0, [([w.text], [CellBox(page, _rounded(_box(w)))])]) for w in loose]
    for row in rows:
        labels = sorted(row.labels, key=lambda lb: lb.x0)
        fields = [lb.text() for lb in labels]
        boxes: list[CellBox | None] = [CellBox(page, _rounded(lb.box())) for lb in labels]
        slots: list[tuple[str, CellBox | None]] = [("", None) for _ in columns]
        for word in row.line.words:
            if word.x1 <= first_value and not word.is_value:
                continue
            k = _column_of(columns, (word.x0 + word.x1) / 2)
            before = slots[k][0]
            # two numbers in one column (its extent merged): apart, never read as one number
            text = f"{before}\t{word.text}" if before and _is_value(before) else before + word.text
            slots[k] = (text, CellBox(page, _rounded(_box(word))))
        fields += [t for t, _ in slots]
        boxes += [b for _, b in slots]
        blocks.append(_Block(row.top, [(fields, boxes)]))
    return blocks


def _column_of(columns: list[list[float]], x: float) -> int:
    """The value column whose extent holds x, else the nearest."""
    best, distance = 0, float("inf")
    for k, (x0, x1) in enumerate(columns):
        d = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
        if d < distance:
            best, distance = k, d
    return best


# ----------------------------------------------------------------------------- cells → boxes


def locate_cells(report: ParsedReport, text: PdfText) -> None:
    """Give each cell read from ``text`` its page and box, and name the report's layout.

    A cell's ``source_line`` is its line in the rendered text; its value is the next field of that
    line with the same printed text, in reading order (the matcher reads a line's fields in order).
    A cell without a box of its own (a blank of a borderless row, a row left NULL) gets its line's
    page only.
    """
    report.layout = f"pdf_{text.grid}"
    next_field: dict[int, int] = {}
    located = []
    for cell in report.cells:
        box = _field_box(cell, text, next_field)
        if box is not None:
            located.append(cell._replace(source_page=box.page, source_bbox=box.bbox_text))
        elif cell.source_line is not None and 0 < cell.source_line <= len(text.line_pages):
            located.append(cell._replace(source_page=text.line_pages[cell.source_line - 1]))
        else:
            located.append(cell)
    report.cells = located


def _field_box(cell: Cell, text: PdfText, next_field: dict[int, int]) -> CellBox | None:
    line = cell.source_line
    if line is None or cell.raw_text is None or not 0 < line <= len(text.lines):
        return None
    fields = text.lines[line - 1].split("\t")
    for index in range(next_field.get(line, 0), len(fields)):
        if fields[index].strip() == cell.raw_text:
            next_field[line] = index + 1
            return text.boxes[line - 1][index]
    return None
