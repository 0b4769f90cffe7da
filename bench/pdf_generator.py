"""Generated reports printed as PDF, with the table styles real PDFs have (reportlab, CJK font).

The values come from ``report_generator`` (every identity holds, ``report.truth()`` is what a
correct parser loads); this module only prints them. ``PdfStyle`` picks how:

* ``cells`` — every cell drawn as its own rectangle (WPS);
* ``ruled`` — ruling lines only, long horizontal rules and per-cell vertical segments (Word);
* ``borderless`` — no lines at all: the columns are only in the word positions.

Tables are real grids with merged cells (table 三's group cells span rows, its header spans
columns, table 四 has a three-level header). Long labels wrap inside their cells; a narrow first
column prints 三、本年度办理结果 one character per line. Tables break over pages where they do not
fit or where ``break_before`` says, optionally repeating the header rows, and a merged cell cut by
the break prints the lines that fall on each page. Pages carry page numbers (``— 3 —`` or
``第 3 页``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench.report_generator import (
    PLACES,
    GeneratedReport,
    _blocks,
    _label,
    _number,
    _ordinal,
    consistent_report,
)
from pipeline.parsing import template as tpl

FONT = "STSong-Light"  # one of reportlab's built-in CJK fonts (not embedded: needs no font file)
STYLES = ("cells", "ruled", "borderless")
PAGE = (595.0, 842.0)  # A4, points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 60.0, 70.0, 70.0
PAD = 2.5


@dataclass(frozen=True)
class PdfStyle:
    style: str = "cells"  # cells | ruled | borderless
    font_size: float = 9.0
    label_width: float = 120.0  # table 三's label column: narrower wraps more labels
    group_width: float = 16.0  # table 三's first column: one character wide prints it vertically
    value_valign: str = "middle"  # where numbers sit beside a wrapped label: top | middle | bottom
    break_before: str | None = None  # a table-三 row key to start a new page at
    repeat_header: bool = False  # print table 三's header rows again after a page break
    footer: str | None = "dash"  # dash (— 3 —) | page (第 3 页) | None
    page_height: float = PAGE[1]


@dataclass
class TCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    valign: str = "middle"


@dataclass
class Table:
    widths: list[float]
    cells: list[TCell] = field(default_factory=list)
    header_rows: int = 0
    break_before: int | None = None  # row index starting a new page

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def add(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1, **kw) -> None:
        self.cells.append(TCell(row, col, text, rowspan, colspan, **kw))


_font_registered = False


def _register_font() -> None:
    global _font_registered
    if not _font_registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _font_registered = True


def render_pdf(
    report: GeneratedReport, style: PdfStyle | None = None, encrypt: object | None = None
) -> bytes:
    """The report as a PDF in ``style`` (``encrypt``: a reportlab ``StandardEncryption``)."""
    style = style or PdfStyle()
    _register_font()
    doc = _Doc(style, encrypt)
    for kind, content in _blocks(report):
        if kind == "text":
            text = str(content)
            heading = text.endswith("年度报告")
            doc.paragraph(text, size=16 if heading else 11, centred=heading)
        elif content[0][0] == "行政复议":
            doc.table(_appeals_table(report, style))
        elif len(content) > 20:
            doc.table(_applications_table(report, style))
        else:
            doc.table(_active_table(content))
    return doc.finish()


# Text quirks (report_generator.QUIRKS) a PDF can print too; the others describe crawled text, and
# full-width digits overflow the narrow value columns (and pdfium loses one after a comma).
PDF_QUIRKS = ("thousands", "placeholders", "ocr_typos", "label_spaces", "social_org")


@dataclass
class PdfReport(GeneratedReport):
    """A generated report whose file is a PDF in ``pdf_style``."""

    pdf_style: PdfStyle = field(default_factory=PdfStyle)

    def data(self) -> bytes:
        return render_pdf(self, self.pdf_style)


def pdf_corpus(n: int, seed: int = 0) -> list[PdfReport]:
    """``n`` PDF reports over the styles, both templates, page breaks, wrapped labels, quirks."""
    import random

    rng = random.Random(seed)
    corpus = []
    for index in range(n):
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
        agency = f"{PLACES[index % len(PLACES)]}区{_ordinal(index)}街道办事处"
        kind = STYLES[index % len(STYLES)]
        style = PdfStyle(
            style=kind,
            label_width=rng.choice((80.0, 120.0)),
            value_valign=rng.choice(("top", "middle", "bottom")),
            break_before=rng.choice(
                (None, None, "granted", "unable_needs_creation", "rejected_duplicate")
            ),
            repeat_header=rng.random() < 0.5,
            footer=rng.choice(("dash", "page", None)),
        )
        base = consistent_report(rng, f"pdf_{index:05d}_{kind}.pdf", agency, year)
        report = PdfReport(**vars(base), pdf_style=style)
        report.layout = f"pdf_{kind}"
        report.quirks = frozenset(q for q in PDF_QUIRKS if rng.random() < 0.2)
        corpus.append(report)
    return corpus


# ----------------------------------------------------------------------------- the three tables


def _active_table(rows: list[list[str]]) -> Table:
    """One article of table 二: its caption across the table, the header, its rows."""
    width = max(len(r) for r in rows)
    usable = PAGE[0] - 2 * MARGIN_X
    first = 150.0
    table = Table([first] + [(usable - first) / (width - 1)] * (width - 1))
    for r, cells in enumerate(rows):
        if len(cells) == 1:
            table.add(r, 0, cells[0], colspan=width)
            continue
        for c, text in enumerate(cells):
            table.add(r, c, text)
    return table


def _applications_table(report: GeneratedReport, style: PdfStyle) -> Table:
    usable = PAGE[0] - 2 * MARGIN_X
    value = 36.0
    sub = usable - style.group_width - style.label_width - 7 * value
    table = Table([style.group_width, sub, style.label_width, *[value] * 7], header_rows=3)
    table.add(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
    table.add(0, 3, "申请人情况", colspan=7)
    table.add(1, 3, "自然人", rowspan=2)
    table.add(1, 4, "法人或其他组织", colspan=5)
    table.add(1, 9, "总计", rowspan=2)
    social = "社会组织" if "social_org" in report.quirks else "社会公益组织"
    for c, label in enumerate(("商业企业", "科研机构", social, "法律服务机构", "其他")):
        table.add(2, 4 + c, label)
    rows = list(tpl.APPLICATION_ROWS[report.template_version])
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        r = 3 + index
        if row.key == style.break_before:
            table.break_before = r
        for c, key in enumerate(tpl.APPLICANT_KEYS):
            text = _number(report, ("applications", row.key, key))
            table.add(r, 3 + c, text, valign=style.value_valign)
        label = _label(report, row.label)
        if row.parent is None:
            table.add(r, 0, label, colspan=3)
        elif row.parent == "三、本年度办理结果":
            groups.setdefault(row.parent, []).append(r)
            table.add(r, 1, label, colspan=2)
        else:
            groups.setdefault("三、本年度办理结果", []).append(r)
            groups.setdefault(row.parent, []).append(r)
            table.add(r, 2, label)
    for label, members in groups.items():
        col = 0 if label == "三、本年度办理结果" else 1
        table.add(members[0], col, label, rowspan=len(members))
    return table


def _appeals_table(report: GeneratedReport, style: PdfStyle) -> Table:
    usable = PAGE[0] - 2 * MARGIN_X
    table = Table([usable / 15] * 15)
    outcomes = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    table.add(0, 0, "行政复议", colspan=5)
    table.add(0, 5, "行政诉讼", colspan=10)
    for c, label in enumerate(outcomes):
        table.add(1, c, label, rowspan=2)
    table.add(1, 5, "未经复议直接起诉", colspan=5)
    table.add(1, 10, "复议后起诉", colspan=5)
    for c, label in enumerate(outcomes * 2):
        table.add(2, 5 + c, label)
    for i, row in enumerate(tpl.APPEAL_ROWS):
        for j, key in enumerate(tpl.APPEAL_KEYS):
            table.add(3, 5 * i + j, _number(report, ("appeals", row.key, key)))
    return table


# ----------------------------------------------------------------------------- drawing


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than ``width`` (character by character, as CJK wraps)."""
    lines, current = [], ""
    for char in text:
        if current and pdfmetrics.stringWidth(current + char, FONT, size) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines or [""]


class _Doc:
    def __init__(self, style: PdfStyle, encrypt: object | None = None) -> None:
        self.style = style
        self.buffer = io.BytesIO()
        size = (PAGE[0], style.page_height)
        self.canvas = canvas.Canvas(self.buffer, pagesize=size, encrypt=encrypt)
        self.page = 1
        self.y = style.page_height - MARGIN_TOP

    def finish(self) -> bytes:
        self._footer()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def new_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page += 1
        self.y = self.style.page_height - MARGIN_TOP

    def _footer(self) -> None:
        if self.style.footer is None:
            return
        text = f"— {self.page} —" if self.style.footer == "dash" else f"第 {self.page} 页"
        self.canvas.setFont(FONT, 10)
        self.canvas.drawCentredString(PAGE[0] / 2, 40, text)

    def paragraph(self, text: str, size: float = 11, centred: bool = False) -> None:
        leading = size * 1.6
        for line in _wrap(text, PAGE[0] - 2 * MARGIN_X, size):
            if self.y - leading < MARGIN_BOTTOM:
                self.new_page()
            self.canvas.setFont(FONT, size)
            if centred:
                self.canvas.drawCentredString(PAGE[0] / 2, self.y - size, line)
            else:
                self.canvas.drawString(MARGIN_X, self.y - size, line)
            self.y -= leading
        self.y -= 4

    def table(self, table: Table) -> None:
        size = self.style.font_size
        leading = size * 1.3
        xs = [MARGIN_X]
        for w in table.widths:
            xs.append(xs[-1] + w)
        lines = {
            id(c): _wrap(c.text, xs[c.col + c.colspan] - xs[c.col] - 2 * PAD, size)
            for c in table.cells
        }
        heights = [leading + 2 * PAD] * table.n_rows
        for c in sorted(table.cells, key=lambda c: c.rowspan):
            need = len(lines[id(c)]) * leading + 2 * PAD
            have = sum(heights[c.row : c.row + c.rowspan])
            if need > have:
                heights[c.row + c.rowspan - 1] += need - have
        # place rows on pages: (page, top y) of every row, header rows repeated if asked
        self.y -= 6
        placed: list[tuple[int, float]] = []
        segments: list[tuple[int, int, float]] = []  # (first row, last row + 1, top y) per page
        start, top = 0, self.y
        for r, h in enumerate(heights):
            forced = r == table.break_before and r > start
            if r > start and (forced or self.y - h < MARGIN_BOTTOM):
                segments.append((start, r, top))
                self._draw_segment(table, xs, heights, segments[-1], placed, lines, r)
                self.new_page()
                if self.style.repeat_header and table.header_rows:
                    header = (0, table.header_rows, self.y)
                    self._draw_segment(table, xs, heights, header, [], lines, table.header_rows)
                    self.y -= sum(heights[: table.header_rows])
                start, top = r, self.y
            placed.append((self.page, self.y))
            self.y -= h
        segments.append((start, len(heights), top))
        self._draw_segment(table, xs, heights, segments[-1], placed, lines, len(heights))
        self.y -= 10

    def _draw_segment(
        self,
        table: Table,
        xs: list[float],
        heights: list[float],
        segment: tuple[int, int, float],
        placed: list[tuple[int, float]],
        lines: dict[int, list[str]],
        end: int,
    ) -> None:
        """Draw rows ``segment`` of the table on the current page: borders and text lines."""
        first, last, top = segment
        tops = [top]
        for h in heights[first:last]:
            tops.append(tops[-1] - h)
        c = self.canvas
        c.setLineWidth(0.5)
        size = self.style.font_size
        leading = size * 1.3
        hrules: set[tuple[float, float, float]] = set()
        for cell in table.cells:
            r0, r1 = max(cell.row, first), min(cell.row + cell.rowspan, last)
            if r0 >= r1:
                continue
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            y_top, y_bottom = tops[r0 - first], tops[r1 - first]
            if self.style.style == "cells":
                c.rect(x0, y_bottom, x1 - x0, y_top - y_bottom, stroke=1, fill=0)
            elif self.style.style == "ruled":
                c.line(x0, y_top, x0, y_bottom)
                c.line(x1, y_top, x1, y_bottom)
                hrules.add((y_top, x0, x1))
                hrules.add((y_bottom, x0, x1))
            # text: the cell's lines placed over its whole span, drawn where they fall on this page
            full = sum(heights[cell.row : cell.row + cell.rowspan])
            text_lines = lines[id(cell)]
            block = len(text_lines) * leading
            offset = {"top": PAD, "bottom": full - PAD - block}.get(cell.valign, (full - block) / 2)
            c.setFont(FONT, size)
            for i, text in enumerate(text_lines):
                v = offset + i * leading + leading / 2  # the line's middle, from the cell's top
                r, row_top = cell.row, 0.0
                while r < cell.row + cell.rowspan - 1 and v > row_top + heights[r]:
                    row_top += heights[r]
                    r += 1
                if not first <= r < last:
                    continue
                y_mid = tops[r - first] - (v - row_top)
                c.drawCentredString((x0 + x1) / 2, y_mid - size * 0.35, _drawable(text))
        for y, x0, x1 in _joined(hrules):
            c.line(x0, y, x1, y)


def _drawable(text: str) -> str:
    """pdfium reads no text from a one-character string of a non-embedded CID font (reportlab's
    STSong-Light): a trailing space keeps the character, as a vertical header needs."""
    return text + " " if len(text) == 1 and not text.isascii() else text


def _joined(rules: set[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Horizontal rule pieces on one height joined into long rules, as Word draws them."""
    out: list[tuple[float, float, float]] = []
    for y, x0, x1 in sorted(rules):
        if out and out[-1][0] == y and x0 <= out[-1][2] + 0.01:
            out[-1] = (y, out[-1][1], max(out[-1][2], x1))
        else:
            out.append((y, x0, x1))
    return out
