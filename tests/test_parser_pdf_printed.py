"""PDFs printed from the real report pages ``tests/fixtures/real/raw/1{2,3,4}_*.html`` by headless
Chromium and by LibreOffice, each scored against the hand-checked gold of its source page: every
scorable cell right, agency, year and template right, nothing wrong.

The fixtures in ``tests/fixtures/pdf_printed`` were made once (CI needs neither program) on Debian
12 with Chromium 150.0.7871.100 and LibreOffice 7.4.7, for each NAME of 12_pingtan_2023,
13_pingtan_shehuishiyeju_2024 and 14_pingtan_ziranziyuanju_2024:

``NAME.chromium.pdf`` — Chromium with the Debian CJK font (``apt-get install fonts-noto-cjk``)::

    chromium --headless --no-sandbox --disable-gpu --no-first-run \\
        --disable-background-networking --disable-component-update --disable-sync \\
        --user-data-dir=/tmp/ud --print-to-pdf=NAME.chromium.pdf --no-pdf-header-footer \\
        file://$PWD/tests/fixtures/real/raw/NAME.html

``NAME.chromium-nocjk.pdf`` — the same command on a machine without a CJK font (only
fonts-dejavu-core and fonts-liberation 1.07; here given to Chromium by ``FONTCONFIG_FILE`` naming
the folders /usr/share/fonts/truetype/dejavu and /usr/share/fonts/truetype/liberation only).
Chromium draws every Chinese character as the font's .notdef box and gives its text as
``/ActualText`` — except the one character it took as .notdef's own (平, the first one printed),
which has no Unicode at all. pdfium's page text leaves such characters out, so before the fix every
later character of the page took its neighbour's box (``根`` / ``据…``, tables scrambled).

``NAME.libreoffice.pdf`` — LibreOffice Writer/Web straight from the page (it leaves the page's
first paragraph, the title, out of the PDF: page 1 is blank)::

    soffice --headless --convert-to pdf --outdir OUT tests/fixtures/real/raw/NAME.html

``NAME.libreoffice-docx.pdf`` — through Word's format, as agencies export from Word::

    soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir OUT NAME.html
    soffice --headless --convert-to pdf --outdir OUT OUT/NAME.docx   # renamed .libreoffice-docx.pdf
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from bench.pdf_generator import FONT, _register_font
from bench.real_accuracy import score_file
from pipeline.parsing import parse
from pipeline.parsing.pdf import UNKNOWN, _fill_unknown, read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
PRINTED = FIXTURES / "pdf_printed"
GOLD = FIXTURES / "real" / "gold"

# scorable gold cells (gold facts less those listed uncertain)
SCORABLE = {
    "12_pingtan_2023": 200,
    "13_pingtan_shehuishiyeju_2024": 197,
    "14_pingtan_ziranziyuanju_2024": 200,
}
PRODUCERS = ("chromium", "chromium-nocjk", "libreoffice", "libreoffice-docx")


def _gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.html.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", sorted(SCORABLE))
def test_printed_pdf_reads_every_scorable_cell_of_its_page_gold(name, producer):
    path = PRINTED / f"{name}.{producer}.pdf"
    report = parse(path.read_bytes(), path.name, current_year=2026)
    facts = {(c.section, c.row_key, c.column_key): c.value for c in report.cells}
    gold = _gold(name)

    score = score_file(
        gold,
        (
            report.report_id,
            report.agency,
            report.year,
            report.template_version,
            report.parse_status,
        ),
        facts,
        [],
    )

    assert (score.wrong, score.missing) == ([], [])
    assert score.right == score.scorable == SCORABLE[name]
    assert (report.agency, report.year, report.template_version) == (
        gold["agency"],
        gold["year"],
        gold["template"],
    )
    assert report.parse_status == "parsed"
    assert report.layout == "pdf_cells"
    # every value read has its page and box (a row the report does not print has neither)
    assert all(c.source_page and c.source_bbox for c in report.cells if c.raw_text)


def test_characters_without_unicode_shift_no_box():
    """Chromium without a CJK font: 平 has no Unicode; every other character keeps its own box."""
    text = read_pdf((PRINTED / "13_pingtan_shehuishiyeju_2024.chromium-nocjk.pdf").read_bytes())
    lines = text.lines
    page1 = [line for line, page in zip(lines, text.line_pages, strict=True) if page == 1]

    assert page1[0] == "平潭综合实验区社会事业局2024年政府信息公开工作年度报告"
    assert page1[1] == "来源：福建学生资助时间：2025-01-20 10:26"
    assert page1[2].startswith("根据《中华人民共和国政府信息公开条例》")
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in page1
    assert "规范性文件\t5\t0\t0" in page1
    # outside the title line the lost character is not guessed: it stays unknown
    assert page1[5] == (
        f"联系地址：{UNKNOWN}潭综合实验区金井湾商务营运中心3号楼7层；邮编：350400；电话：0591-86175957。"
    )
    assert all(len(b) == len(line.split("\t")) for line, b in zip(lines, text.boxes, strict=True))


def test_title_left_out_of_the_page_comes_from_the_document_title():
    """LibreOffice's page 1 is blank: the document title stands as the first line, without box."""
    text = read_pdf((PRINTED / "14_pingtan_ziranziyuanju_2024.libreoffice.pdf").read_bytes())

    assert text.lines[0] == "平潭综合实验区自然资源与生态环境局2024年政府信息公开工作年度报告"
    assert (text.line_pages[0], text.boxes[0]) == (1, [None])
    assert text.lines[1] == "来源：平潭综合实验区自然资源与生态环境局时间：2025-01-27 22:43"
    assert text.line_pages[1] == 2


def test_a_title_line_of_its_own_is_kept():
    text = read_pdf((PRINTED / "14_pingtan_ziranziyuanju_2024.libreoffice-docx.pdf").read_bytes())

    assert text.lines[0] == "平潭综合实验区自然资源与生态环境局2024年政府信息公开工作年度报告"
    assert text.boxes[0][0] is not None
    assert text.lines.count(text.lines[0]) == 1


def _untitled_pdf(title: str, body_year: int) -> bytes:
    """A page without a title line, from a document titled ``title``."""
    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    pdf.setTitle(title)
    pdf.setFont(FONT, 10)
    pdf.drawString(
        60, 760, f"本报告所列数据的统计期限自{body_year}年1月1日起至{body_year}年12月31日止。"
    )
    pdf.drawString(60, 740, "一、总体情况")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_document_title_of_another_year_is_not_taken():
    title = "某某区人民政府办公室2022年政府信息公开工作年度报告"

    same = read_pdf(_untitled_pdf(title, 2022)).lines
    other = read_pdf(_untitled_pdf(title, 2023)).lines  # a title left over from last year's file

    assert same[0] == title
    assert title not in other and other[0].startswith("本报告所列数据")


def test_a_document_title_that_is_no_report_title_is_not_taken():
    lines = read_pdf(_untitled_pdf("Microsoft Word - 年报.docx", 2023)).lines

    assert lines[0].startswith("本报告所列数据")


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        (f"{UNKNOWN}潭综合实验区社会事业局", "平潭综合实验区社会事业局"),
        (f"2024年政府信息公开工作年度报告{UNKNOWN}", f"2024年政府信息公开工作年度报告{UNKNOWN}"),
        (f"{UNKNOWN}潭", f"{UNKNOWN}潭"),  # too little known to place it
        (f"请与{UNKNOWN}潭综合实验区联系", f"请与{UNKNOWN}潭综合实验区联系"),  # not the title's
        (f"{UNKNOWN}{UNKNOWN}{UNKNOWN}综合实验区", f"{UNKNOWN}{UNKNOWN}{UNKNOWN}综合实验区"),
    ],
)
def test_unknown_characters_are_filled_only_from_a_unique_place_in_the_title(text, filled):
    assert _fill_unknown(text, "平潭综合实验区社会事业局2024年政府信息公开工作年度报告") == filled
