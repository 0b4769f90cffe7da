"""PDF reports: the real published PDF against its hand-checked gold, PDFs printed here from known
values in every table style real PDFs use, and scanned, encrypted and broken PDFs.
"""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from bench.pdf_generator import FONT, PdfStyle, render_pdf
from bench.report_generator import GeneratedReport, consistent_report
from pipeline.parsing import parse
from pipeline.parsing.pdf import looks_like_pdf, read_pdf

REAL = Path(__file__).parent / "fixtures" / "real"
HONGZE = REAL / "raw" / "31_hongze_2024.pdf"
HONGZE_GOLD = REAL / "gold" / "31_hongze_2024.pdf.json"


def _key(fact: dict) -> tuple[str, str, str]:
    return fact["section"], fact["row_key"], fact["column_key"]


# ----------------------------------------------------------------------------- the real PDF


@pytest.fixture(scope="module")
def hongze():
    return parse(HONGZE.read_bytes(), HONGZE.name, current_year=2026)


def test_real_pdf_reads_every_scorable_cell_of_the_gold(hongze):
    gold = json.loads(HONGZE_GOLD.read_text(encoding="utf-8"))
    uncertain = {_key(u) for u in gold["uncertain"]}
    expected = {
        _key(f): None if f["value"] is None else Decimal(str(f["value"]))
        for f in gold["facts"]
        if _key(f) not in uncertain
    }
    values = hongze.values()

    assert len(expected) == 179
    assert {key: values.get(key, "missing") for key in expected} == expected
    assert (hongze.agency, hongze.year, hongze.template_version) == (
        gold["agency"],
        gold["year"],
        gold["template"],
    )
    assert hongze.parse_status == "parsed"
    assert hongze.layout == "pdf_cells"
    # one 2019-style （六）其他处理 row in a 2021-format report: a warning, not an error
    assert sorted(i.code for i in hongze.issues) == ["mixed_template", "mixed_template"]


def test_real_pdf_cells_carry_page_and_box(hongze):
    assert all(c.source_page and c.source_bbox for c in hongze.cells)
    pages = {(c.section, c.row_key): c.source_page for c in hongze.cells}
    assert pages[("active_disclosure", "normative_documents")] == 2
    assert pages[("applications", "unable_not_held")] == 3  # table 三 breaks after this row
    assert pages[("applications", "unable_needs_creation")] == 4
    assert pages[("appeals", "review")] == 4
    total = hongze.cell("applications", "new_received", "total")
    x0, y0, x1, y1 = map(float, total.source_bbox.split(","))
    assert 0 < x0 < x1 <= 595 and 0 < y0 < y1 <= 842
    assert total.source_bbox == ",".join(f"{v:.1f}" for v in (x0, y0, x1, y1))
    # the 总计 column is the rightmost of the row: its box is right of the natural-person cell's
    natural = hongze.cell("applications", "new_received", "natural_person")
    assert float(natural.source_bbox.split(",")[2]) <= x0


def test_real_pdf_lines_are_rows_of_cells_without_page_numbers():
    text = read_pdf(HONGZE.read_bytes())
    lines = text.lines

    assert text.pages == 5 and text.grid == "cells" and text.problem_code is None
    assert not any(line.strip() in {"- 1 -", "- 3 -", "- 5 -"} for line in lines)
    # the vertical row header and the wrapped label are one cell each; three label columns
    assert "三、本年度办理结果\t（一）予以公开\t\t50\t0\t0\t0\t0\t0\t50" in lines
    assert (
        "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t9\t0\t0\t0\t0\t0\t9" in lines
    )
    # table 三 goes on on page 4: its rows follow those of page 3
    first = lines.index("\t（四）无法提供\t1.本机关不掌握相关政府信息\t31\t0\t0\t0\t0\t0\t31")
    assert lines[first + 1] == "\t\t2.没有现成信息需要另行制作\t1\t0\t0\t0\t0\t0\t1"
    assert all(len(b) == len(line.split("\t")) for line, b in zip(lines, text.boxes, strict=True))


def test_pdf_is_recognised_by_content_not_name(hongze):
    data = HONGZE.read_bytes()
    renamed = parse(data, "report.txt", current_year=2026)
    preamble = parse(b"\r\n" * 20 + data, "report.bin", current_year=2026)

    assert renamed.values() == hongze.values() == preamble.values()
    assert looks_like_pdf(b"junk" * 100 + b"%PDF-1.4") and not looks_like_pdf(
        b"x" * 1030 + b"%PDF-"
    )


def _turned(data: bytes, rotation: int) -> bytes:
    """The same pages stored turned: content rotated the other way, /Rotate set, so that they
    display exactly as before (how landscape pages and some scanners' output are stored)."""
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        page = document[index]
        w, h = page.get_size()
        matrix = {90: (0, 1, -1, 0, h, 0), 180: (-1, 0, 0, -1, w, h), 270: (0, -1, 1, 0, 0, w)}
        for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            pdfium_c.FPDFPageObj_Transform(
                pdfium_c.FPDFPage_GetObject(page.raw, k), *matrix[rotation]
            )
        box = (0, 0, h, w) if rotation in (90, 270) else (0, 0, w, h)
        page.set_mediabox(*box)
        page.set_cropbox(*box)
        page.set_rotation(rotation)
        assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_turned_pages_read_as_displayed(hongze, rotation):
    turned = parse(_turned(HONGZE.read_bytes(), rotation), "turned.pdf", current_year=2026)

    assert turned.values() == hongze.values()
    assert [(c.source_page, c.source_bbox) for c in turned.cells] == [
        (c.source_page, c.source_bbox) for c in hongze.cells
    ]


def test_pages_placed_as_form_xobjects_read_the_same(hongze):
    """Imposition and stamping tools wrap each page in a form XObject, here scaled to half and
    moved: the same values, in boxes moved with the page content."""
    source = pdfium.PdfDocument(HONGZE.read_bytes())
    wrapped = pdfium.PdfDocument.new()
    for index in range(len(source)):
        form = source.page_as_xobject(index, wrapped).as_pageobject()
        form.transform(pdfium.PdfMatrix().scale(0.5, 0.5).translate(100, 200))
        page = wrapped.new_page(595, 842)
        page.insert_obj(form)
        page.gen_content()
    buffer = io.BytesIO()
    wrapped.save(buffer)

    report = parse(buffer.getvalue(), "wrapped.pdf", current_year=2026)

    assert report.values() == hongze.values()
    x0, y0, x1, y1 = map(float, hongze.cells[0].source_bbox.split(","))
    moved = (x0 / 2 + 100, y0 / 2 + 221, x1 / 2 + 100, y1 / 2 + 221)  # 842 - (842 / 2 + 200)
    got = tuple(map(float, report.cells[0].source_bbox.split(",")))
    assert got == pytest.approx(moved, abs=0.11)


# ----------------------------------------------------------------------------- generated PDFs


def _report(year: int, seed: int = 0) -> GeneratedReport:
    rng = random.Random(year * 100 + seed)
    return consistent_report(rng, f"gen_{year}.pdf", "海淀区第三市场监督管理局", year)


def _parse_exactly(report: GeneratedReport, style: PdfStyle):
    parsed = parse(render_pdf(report, style), report.name, current_year=2026)
    assert parsed.values() == report.truth()
    assert (parsed.agency, parsed.year, parsed.template_version) == (
        report.agency,
        report.year,
        report.template_version,
    )
    assert parsed.parse_status == "parsed"
    assert [i for i in parsed.issues if i.severity != "info"] == []
    return parsed


@pytest.mark.parametrize("year", [2020, 2023])
def test_bordered_cells_on_one_page(year):
    """WPS: every cell its own rectangle; a tall page holds table 三 whole."""
    parsed = _parse_exactly(_report(year), PdfStyle(style="cells", page_height=1700))

    assert parsed.layout == "pdf_cells"
    assert {c.source_page for c in parsed.cells if c.section == "applications"} == {1}


@pytest.mark.parametrize("year", [2019, 2022])
def test_ruling_lines_only(year):
    """Word: long horizontal rules, vertical rule pieces per cell, no rectangles."""
    parsed = _parse_exactly(_report(year), PdfStyle(style="ruled"))

    assert parsed.layout == "pdf_cells"


@pytest.mark.parametrize("year", [2019, 2024])
@pytest.mark.parametrize("valign", ["top", "middle", "bottom"])
def test_borderless_with_labels_wrapped_over_two_or_three_lines(year, valign):
    """No lines at all: columns from word positions; narrow labels wrap over two or three lines
    with the numbers beside their first, middle or last line."""
    style = PdfStyle(style="borderless", label_width=80.0, value_valign=valign)
    parsed = _parse_exactly(_report(year), style)

    assert parsed.layout == "pdf_words"


@pytest.mark.parametrize("style", ["cells", "ruled", "borderless"])
@pytest.mark.parametrize("repeat_header", [False, True])
def test_table_three_across_a_page_break_cutting_a_group_label(style, repeat_header):
    """The break falls inside （四）无法提供 (its merged cell is cut), with or without the header
    rows printed again on the new page."""
    report = _report(2023)
    parsed = _parse_exactly(
        report,
        PdfStyle(style=style, break_before="unable_needs_creation", repeat_header=repeat_header),
    )

    page = {c.row_key: c.source_page for c in parsed.cells if c.section == "applications"}
    assert page["unable_needs_creation"] == page["unable_not_held"] + 1
    lines = read_pdf(
        render_pdf(report, PdfStyle(style=style, break_before="unable_needs_creation"))
    )
    assert not any(line in ("— 2 —", "— 3 —") for line in lines.lines)


@pytest.mark.parametrize("style", ["cells", "ruled"])
def test_vertical_row_header_one_character_per_line(style):
    """三、本年度办理结果 in a one-character column: one cell, its text read top to bottom."""
    report = _report(2021)
    data = render_pdf(report, PdfStyle(style=style, page_height=1700, group_width=14.0))
    fields = {field for line in read_pdf(data).lines for field in line.split("\t")}

    assert "三、本年度办理结果" in fields
    assert "（三）不予公开" in fields
    _parse_exactly(report, PdfStyle(style=style, page_height=1700, group_width=14.0))


@pytest.mark.parametrize("footer", ["dash", "page"])
def test_page_numbers_are_dropped(footer):
    report = _report(2022)
    data = render_pdf(report, PdfStyle(style="ruled", footer=footer))
    lines = read_pdf(data).lines

    assert not any(
        line.startswith(("— ", "第 ")) and line.endswith((" —", " 页")) for line in lines
    )
    assert not any(line in ("—1—", "第1页", "第2页") for line in lines)


def _grid_pdf(
    rows: list[list[str]],
    spans: dict[tuple[int, int], int] | None = None,
    borders: str = "rect",
    extra_rules: tuple[float, ...] = (),
) -> bytes:
    """A small table at (60, 118) top-left, cells 80 x 24 pt; ``spans`` maps (row, col) to a
    column span. ``borders``: ``rect`` strokes each cell, ``bars`` fills a 0.6 pt bar per edge
    (how some Word exports draw rules). ``extra_rules``: more vertical rules at these x."""
    from bench.pdf_generator import _register_font

    _register_font()
    spans = spans or {}
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    pdf.setFont(FONT, 10)
    width, height = 80, 24
    for r, row in enumerate(rows):
        c = 0
        for text in row:
            span = spans.get((r, c), 1)
            x, y = 60 + c * width, 700 - r * height
            if borders == "rect":
                pdf.rect(x, y, width * span, height)
            elif borders == "none":
                pass
            elif borders == "columns":  # column rules and the outer box only
                pdf.line(x, 700 + height, x, 700 - (len(rows) - 1) * height)
            else:
                for bx, by, bw, bh in (
                    (x, y - 0.3, width * span, 0.6),
                    (x, y + height - 0.3, width * span, 0.6),
                    (x - 0.3, y, 0.6, height),
                    (x + width * span - 0.3, y, 0.6, height),
                ):
                    pdf.rect(bx, by, bw, bh, stroke=0, fill=1)
            if text:
                pdf.drawString(x + 4, y + 8, text + (" " if len(text) == 1 else ""))
            c += span
    for x in extra_rules:
        pdf.line(x, 700 + height, x, 700 - (len(rows) - 1) * height)
    if borders == "columns":
        right = 60 + width * max(len(row) for row in rows)
        pdf.rect(60, 700 - (len(rows) - 1) * height, right - 60, len(rows) * height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_blank_cells_are_empty_fields_and_merged_cells_stand_at_their_first_column():
    data = _grid_pdf(
        [["规章", "1", "2", "3"], ["行政许可", "", "5", ""], ["行政处罚与强制", "7"]],
        spans={(2, 1): 3},
    )
    text = read_pdf(data)

    assert text.lines == ["规章\t1\t2\t3", "行政许可\t\t5\t", "行政处罚与强制\t7\t\t"]
    first, blank = text.boxes[1][0], text.boxes[1][1]
    assert (first.page, first.bbox_text) == (1, "60.0,142.0,140.0,166.0")
    assert blank.bbox_text == "140.0,142.0,220.0,166.0"
    merged = text.boxes[2]
    assert merged[1] == merged[2] == merged[3] and merged[1].bbox_text == "140.0,166.0,380.0,190.0"


@pytest.mark.parametrize("borders", ["rect", "bars"])
def test_double_rules_leave_no_empty_column(borders):
    """A second rule 2.5 pt beside the label column's border makes a sliver, not a column."""
    data = _grid_pdf(
        [["规章", "1", "2"], ["行政许可", "", "5"]], borders=borders, extra_rules=(142.5,)
    )

    assert read_pdf(data).lines == ["规章\t1\t2", "行政许可\t\t5"]


def test_borderless_blank_cells_are_empty_fields_in_their_column():
    data = _grid_pdf(
        [["规章", "1", "2", "3"], ["行政许可", "", "5", ""], ["行政处罚", "7", "8", "9"]],
        borders="none",
    )
    text = read_pdf(data)

    assert text.lines == ["规章\t1\t2\t3", "行政许可\t\t5\t", "行政处罚\t7\t8\t9"]
    assert text.grid == "words"
    assert text.boxes[1][1] is None and text.boxes[1][2].page == 1
    assert text.line_pages == [1, 1, 1]


def test_a_grid_without_row_rules_is_laid_out_by_word_positions():
    """Column rules only: each drawn cell holds the numbers of every row, one per line."""
    data = _grid_pdf(
        [["规章", "1", "2"], ["行政许可", "3", "4"], ["行政处罚", "5", "6"]], borders="columns"
    )
    text = read_pdf(data)

    assert text.lines == ["规章\t1\t2", "行政许可\t3\t4", "行政处罚\t5\t6"]
    assert text.grid == "words"


def test_numbers_apart_in_one_drawn_cell_are_not_joined_into_one_number():
    """A column rule missing: 9 and 0 in one cell must not read as 90."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    pdf.rect(60, 700, 80, 24)
    pdf.rect(140, 700, 160, 24)
    pdf.drawString(64, 708, "a")
    pdf.drawString(150, 708, "9")
    pdf.drawString(260, 708, "0")
    pdf.showPage()
    pdf.save()
    text = read_pdf(buffer.getvalue())

    assert text.lines == ["a\t9\t0"]
    assert len(text.boxes[0]) == 3 and text.boxes[0][1] == text.boxes[0][2]


def test_a_single_column_of_boxes_is_text_not_a_table():
    data = _grid_pdf([["一、总体情况"], ["本年度收到申请5件"]])

    assert read_pdf(data).lines == ["一、总体情况", "本年度收到申请5件"]


# ----------------------------------------------------------------------------- failures


def _scan_of(data: bytes) -> bytes:
    """An image-only PDF: every page of ``data`` rendered to a picture and drawn on a page."""
    document = pdfium.PdfDocument(data)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    for index in range(len(document)):
        image = document[index].render(scale=1).to_pil()
        pdf.drawImage(ImageReader(image), 0, 0, 595, 842)
        pdf.showPage()
    document.close()
    pdf.save()
    return buffer.getvalue()


def test_scanned_pdf_fails_as_scanned():
    report = parse(_scan_of(HONGZE.read_bytes()), "scan.pdf", current_year=2026)

    assert report.parse_status == "failed"
    assert [(i.severity, i.code) for i in report.issues] == [("error", "scanned_pdf")]
    assert "5 pages" in report.issues[0].message
    assert report.cells == []


def test_encrypted_pdf_fails_as_encrypted():
    encrypt = pdfencrypt.StandardEncryption("secret", ownerPassword="owner")

    report = parse(render_pdf(_report(2023), encrypt=encrypt), "locked.pdf", current_year=2026)

    assert report.parse_status == "failed"
    assert [(i.severity, i.code) for i in report.issues] == [("error", "encrypted_pdf")]


def test_pdf_with_an_owner_password_only_is_read():
    """Permissions without a user password: any reader opens it, and so does the parser."""
    report = _report(2023)
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)

    parsed = parse(render_pdf(report, encrypt=encrypt), "x.pdf", current_year=2026)
    assert parsed.values() == report.truth()


@pytest.mark.parametrize("share", [0.02, 0.5, 0.98])
def test_truncated_pdf_fails_as_unreadable(share):
    data = HONGZE.read_bytes()

    report = parse(data[: int(len(data) * share)], "cut.pdf", current_year=2026)

    assert report.parse_status == "failed"
    assert [(i.severity, i.code) for i in report.issues] == [("error", "unreadable_pdf")]


def test_pdf_header_followed_by_garbage_fails_as_unreadable():
    report = parse(b"%PDF-1.7\n" + random.Random(1).randbytes(5000), "junk.pdf", current_year=2026)

    assert [(i.severity, i.code) for i in report.issues] == [("error", "unreadable_pdf")]
