"""Generated reports with ground truth: known values, every layout, quirks, deliberate breaks.

Values are random but consistent (every identity of report-template.md holds); an injected
error changes printed cells and an independent oracle (``broken_identities`` …) evaluates the
identities on the printed values. ``render`` prints a report in one of ``LAYOUTS`` with a set of
``QUIRKS`` (thousands separators, full-width digits, junk and page-footer lines, OCR typos,
placeholders, CRLF, …) the way crawled texts arrive, so parser accuracy and flag precision and
recall can be measured exactly.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bench import template_spec as tpl  # the oracle's own statement, not the parser's

# Breaks injected into one report; inconsistent year pairs come from generate_corpus.
INJECTIONS = ("balance", "outcomes", "row_total", "appeal_total", "narrative")
APPLICANTS = tpl.APPLICANT_KEYS[:-1]  # the six applicant columns, without 总计
PLACES = ("东城", "西城", "朝阳", "海淀", "丰台", "石景山", "门头沟", "房山", "通州", "顺义")
BODIES = ("街道办事处", "人民政府办公室", "市场监督管理局", "生态环境局", "司法局")

Cells = dict[tuple[str, str, str], Decimal]


@dataclass
class GeneratedReport:
    name: str
    agency: str
    year: int
    template_version: str
    cells: Cells
    narrative: dict[str, Decimal]
    injected: list[str] = field(default_factory=list)
    layout: str = "tab_grid"
    quirks: frozenset[str] = frozenset()
    encoding: str = "utf-8"

    def text(self) -> str:
        return render(self)

    def data(self) -> bytes:
        """The file's bytes: the rendered text in the report's encoding (CRLF if a quirk)."""
        text = self.text()
        if "crlf" in self.quirks:
            text = text.replace("\n", "\r\n")
        return text.encode(self.encoding)

    def truth(self) -> dict[tuple[str, str, str], Decimal | None]:
        """What a correct parser loads: placeholder cells are NULL; a row printed run together
        keeps the cells every reading of its digits agrees on (see ``run_together_readings``)."""
        truth = {
            key: None if key in placeholder_cells(self) else value
            for key, value in self.cells.items()
        }
        row = run_together_row(self)
        if row is not None:
            readings = run_together_readings(self)
            for i, column in enumerate(tpl.APPLICANT_KEYS):
                seen = {r[i] for r in readings}
                key = ("applications", row, column)
                truth[key] = seen.pop() if len(seen) == 1 and len(readings) <= 64 else None
        return truth

    def ambiguous(self) -> bool:
        """A row printed run together that the number rules allow to read in several ways."""
        return run_together_row(self) is not None and len(run_together_readings(self)) != 1


def outcome_rows(version: str) -> list[str]:
    return list(tpl.outcome_rows(version))


def consistent_report(
    rng: random.Random, name: str, agency: str, year: int, carried_over: list[int] | None = None
) -> GeneratedReport:
    """Random values for which every identity holds."""
    version = "2021" if year >= 2021 else "2019"
    columns = APPLICANTS
    outcomes = outcome_rows(version)
    cells: Cells = {}
    for i, column in enumerate(columns):
        busy = column == "natural_person" or rng.random() < 0.3
        leaf = {row: (rng.choice((0, 0, 0, 1, 2, 5, 17, 130)) if busy else 0) for row in outcomes}
        processed = sum(leaf.values())
        forward = rng.choice((0, 0, 1, 3)) if busy else 0
        over = carried_over[i] if carried_over else (rng.choice((0, 0, 2)) if busy else 0)
        forward = max(forward, over - processed)  # new_received = processed + forward - over ≥ 0
        flows = {
            "new_received": processed + forward - over,
            "carried_over": over,
            "total_processed": processed,
            "carried_forward": forward,
        }
        for row, value in {**flows, **leaf}.items():
            cells[("applications", row, column)] = Decimal(value)
    for row in tpl.APPLICATION_ROWS[version]:
        cells[("applications", row.key, "total")] = sum(
            (cells[("applications", row.key, c)] for c in columns), Decimal(0)
        )
    for row in tpl.APPEAL_ROWS:
        parts = [Decimal(rng.choice((0, 0, 0, 1, 2))) for _ in range(4)]
        for column, value in zip(tpl.APPEAL_KEYS, [*parts, sum(parts)], strict=True):
            cells[("appeals", row.key, column)] = value
    for row in tpl.ACTIVE_ROWS[version]:
        for column in row.columns:
            value = Decimal(rng.choice((0, 1, 3, 12, 250)))
            if column == "change":
                value = Decimal(rng.choice((-2, 0, 3)))
            elif column in tpl.DECIMAL_COLUMNS:
                value = Decimal(rng.choice(("0", "1.5", "12.25")))
            cells[("active_disclosure", row.key, column)] = value
    report = GeneratedReport(name, agency, year, version, cells, {})
    report.narrative = stated_numbers(cells)
    return report


def stated_numbers(cells: Cells) -> dict[str, Decimal]:
    """What section 一 says: the table totals."""
    return {
        "applications_received": cells[("applications", "new_received", "total")],
        "applications_carried_over": cells[("applications", "carried_over", "total")],
        "review_cases": cells[("appeals", "review", "total")],
        "litigation_cases": cells[("appeals", "litigation_direct", "total")]
        + cells[("appeals", "litigation_after_review", "total")],
    }


def inject(rng: random.Random, report: GeneratedReport, kind: str) -> None:
    """Break the report on purpose; the oracle, not this function, says what broke."""
    app = "applications"
    column = rng.choice(APPLICANTS)
    bump = Decimal(rng.choice((1, 2, 7)))
    if kind == "balance":  # carried forward changed in a column and in the total: rows still add up
        report.cells[(app, "carried_forward", column)] += bump
        report.cells[(app, "carried_forward", "total")] += bump
    elif kind == "outcomes":  # one outcome row changed in a column and in its total
        row = rng.choice(outcome_rows(report.template_version))
        report.cells[(app, row, column)] += bump
        report.cells[(app, row, "total")] += bump
    elif kind == "row_total":  # one printed 总计
        row = rng.choice([r.key for r in tpl.APPLICATION_ROWS[report.template_version]])
        report.cells[(app, row, "total")] += bump
    elif kind == "appeal_total":
        row = rng.choice([r.key for r in tpl.APPEAL_ROWS])
        report.cells[("appeals", row, "total")] += bump
    elif kind == "narrative":
        key = rng.choice(sorted(report.narrative))
        report.narrative[key] += bump
    else:
        raise ValueError(kind)
    report.injected.append(kind)


def broken_identities(report: GeneratedReport) -> set[tuple[str, str]]:
    """(rule_id, column_key) of every within-report identity the printed values break."""
    cells, version = report.cells, report.template_version
    broken = set()
    for column in tpl.APPLICANT_KEYS:
        value = {
            row.key: cells[("applications", row.key, column)]
            for row in tpl.APPLICATION_ROWS[version]
        }
        if value["new_received"] + value["carried_over"] != (
            value["total_processed"] + value["carried_forward"]
        ):
            broken.add((f"balance:{column}", column))
        if value["total_processed"] != sum(value[row] for row in outcome_rows(version)):
            broken.add((f"outcomes:{column}", column))
    for row in tpl.APPLICATION_ROWS[version]:
        parts = [cells[("applications", row.key, c)] for c in APPLICANTS]
        if cells[("applications", row.key, "total")] != sum(parts):
            broken.add((f"row_total:{row.key}", "total"))
    for row in tpl.APPEAL_ROWS:
        parts = [cells[("appeals", row.key, c)] for c in tpl.APPEAL_KEYS[:-1]]
        if cells[("appeals", row.key, "total")] != sum(parts):
            broken.add((f"appeal_total:{row.key}", "total"))
    return broken


def broken_narrative(report: GeneratedReport) -> set[str]:
    """Narrative keys whose stated number differs from the tables."""
    tables = stated_numbers(report.cells)
    return {f"narrative:{key}" for key, value in report.narrative.items() if tables[key] != value}


def broken_cross_year(previous: GeneratedReport, current: GeneratedReport) -> set[tuple[str, str]]:
    """(rule_id, row_key) pairs of ``current`` breaking carryover or in_force_trend."""
    broken = {
        ("carryover", column)
        for column in tpl.APPLICANT_KEYS
        if current.cells[("applications", "carried_over", column)]
        != previous.cells[("applications", "carried_forward", column)]
    }
    if previous.template_version == current.template_version == "2021":
        for row in ("rules", "normative_documents"):
            before, now = _in_force_terms(previous, row), _in_force_terms(current, row)
            if before[2] + now[0] - now[1] != now[2]:
                broken.add(("in_force_trend", row))
    return broken


def _in_force_terms(report: GeneratedReport, row: str) -> tuple[Decimal, Decimal, Decimal]:
    issued, repealed, in_force = (
        report.cells[("active_disclosure", row, c)] for c in ("issued", "repealed", "in_force")
    )
    return issued, repealed, in_force


def generate_corpus(n_agencies: int, seed: int, injected_share: float) -> list[GeneratedReport]:
    """Two consecutive years per agency; some reports broken, some year pairs inconsistent."""
    rng = random.Random(seed)
    corpus = []
    for index in range(n_agencies):
        agency = f"{PLACES[index % len(PLACES)]}区{_ordinal(index)}{BODIES[index % len(BODIES)]}"
        year = rng.choice((2019, 2021, 2022, 2023))
        first = consistent_report(rng, f"g{index:04d}_{year}.txt", agency, year)
        carried = [int(first.cells[("applications", "carried_forward", c)]) for c in APPLICANTS]
        if rng.random() < injected_share:
            carried[0] += 1  # inconsistent with the year before
        second = consistent_report(rng, f"g{index:04d}_{year + 1}.txt", agency, year + 1, carried)
        if second.template_version == first.template_version == "2021":
            _continue_stock(first, second, broken=rng.random() < injected_share)
        for report in (first, second):
            if rng.random() < injected_share:
                inject(rng, report, rng.choice(INJECTIONS))
        corpus += [first, second]
    return corpus


def _continue_stock(first: GeneratedReport, second: GeneratedReport, broken: bool) -> None:
    """Rules and normative documents in force: last year's stock + issued − repealed."""
    for row in ("rules", "normative_documents"):
        issued, repealed, _ = _in_force_terms(second, row)
        stock = _in_force_terms(first, row)[2] + issued
        repealed = min(repealed, stock)
        second.cells[("active_disclosure", row, "repealed")] = repealed
        second.cells[("active_disclosure", row, "in_force")] = stock - repealed + int(broken)


def _ordinal(index: int) -> str:
    digits = "〇一二三四五六七八九"
    return "第" + "".join(digits[int(d)] for d in str(index + 1))


# ----------------------------------------------------------------------------- rendering

LAYOUTS = (
    "tab_grid",
    "cell_per_line",
    "pipe_rows",
    "pipe_rows_wrapped",
    "markdown",
    "markdown_no_rule",
    "space_columns",
    "space_columns_wrapped",
    "html",
    "vertical_header",
    "mini_tables",
)
QUIRKS = (
    "thousands",  # 1,192
    "fullwidth",  # １９２
    "junk_lines",  # 扫一扫在手机上打开页面 between rows
    "page_breaks",  # — 4 — / 第 3 页 between rows
    "label_spaces",  # 本年新收 政府信息…
    "ocr_typos",  # 其他法律行政止公开
    "social_org",  # 社会组织 in the header
    "placeholders",  # a cell printed as - or / (NULL)
    "split_headers",  # 商业 / 企业 on two lines
    "page_header",  # a page footer and the column headers again in the middle of table 三
    "run_together",  # one row's numbers printed with no separator: 713000074 (ambiguous)
    "early_caption",  # table 四's caption printed above table 三's last two rows (pdf2md)
    "crlf",
)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
OCR_TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "3.危及“三安全一稳定”": "3.危及三安全一稳定",
}
JUNK = ("扫一扫在手机上打开页面", "【打印】【关闭】", "— 4 —", "第 3 页 共 6 页")

Row = list[str]
Block = tuple[str, object]  # ("text", str) | ("table", list[Row])


def placeholder_cells(report: GeneratedReport) -> set[tuple[str, str, str]]:
    """Cells printed as a placeholder: zero counts picked by the report's name, if the quirk."""
    if "placeholders" not in report.quirks:
        return set()
    rng = random.Random(report.name)
    zeros = sorted(
        key
        for key, value in report.cells.items()
        if value == 0 and key[0] == "active_disclosure" and key[2] != "change"
    )
    return set(rng.sample(zeros, min(2, len(zeros))))


def run_together_row(report: GeneratedReport) -> str | None:
    """The table-三 row printed with its numbers run together, if the quirk."""
    if "run_together" not in report.quirks:
        return None
    return random.Random(report.name + "run").choice(("granted", "unable_not_held", "new_received"))


# A count as a report may print it: 0, or no leading zero, optionally with thousands separators.
_PRINTED_COUNT = re.compile(r"0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+")


def run_together_readings(report: GeneratedReport) -> list[tuple[int, ...]]:
    """Every way to cut the run-together row's digits into its seven counts (the oracle's own
    statement of the number rules: counts carry no leading zero; nothing else decides)."""
    row = run_together_row(report)
    printed = "".join(_number(report, ("applications", row, c)) for c in tpl.APPLICANT_KEYS)
    digits = unicodedata.normalize("NFKC", printed)
    readings: list[tuple[int, ...]] = []

    def cut(start: int, cells: tuple[int, ...]) -> None:
        if len(readings) > 64:
            return
        if len(cells) == len(tpl.APPLICANT_KEYS):
            if start == len(digits):
                readings.append(cells)
            return
        for end in range(start + 1, len(digits) + 1):
            if _PRINTED_COUNT.fullmatch(digits[start:end]):
                cut(end, (*cells, int(digits[start:end].replace(",", ""))))

    cut(0, ())
    return readings


def render(report: GeneratedReport) -> str:
    """The report's text in its layout, with its quirks."""
    blocks = _blocks(report)
    return LAYOUT_RENDERERS[report.layout](report, blocks)


def _number(report: GeneratedReport, key: tuple[str, str, str]) -> str:
    if key in placeholder_cells(report):
        return random.Random(report.name + key[1]).choice(("-", "/", "—", "无"))
    value = report.cells[key]
    text = str(value)
    if key[2] == "change" and value > 0:
        text = f"+{value}"
    if "thousands" in report.quirks and abs(value) >= 1000 and value == int(value):
        text = f"{int(value):,}"
    if "fullwidth" in report.quirks:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text


def _label(report: GeneratedReport, label: str) -> str:
    if "ocr_typos" in report.quirks:
        label = OCR_TYPOS.get(label, label)
    if "label_spaces" in report.quirks and len(label) > 8:
        label = label[:4] + " " + label[4:]
    return label


def _blocks(report: GeneratedReport) -> list[Block]:
    said = report.narrative
    version = report.template_version
    blocks: list[Block] = [
        ("text", f"{report.agency}{report.year}年政府信息公开工作年度报告"),
        ("text", "一、总体情况"),
        (
            "text",
            f"{report.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
            f"本年度共收到政府信息公开申请{said['applications_received']}件，"
            f"上年结转政府信息公开申请{said['applications_carried_over']}件，均已按时办理。",
        ),
        (
            "text",
            f"本年度发生政府信息公开行政复议{said['review_cases']}件，"
            f"行政诉讼{said['litigation_cases']}件。",
        ),
        ("text", "二、主动公开政府信息情况"),
    ]
    headers = dict(
        zip(_active_keys(report), (c.label for c in tpl.ACTIVE_COLUMNS[version]), strict=True)
    )
    article, rows = None, []
    for row in tpl.ACTIVE_ROWS[version]:
        if row.parent != article:
            if rows:
                blocks.append(("table", rows))
            article = row.parent
            rows = [[str(article)], ["信息内容", *(headers[c] for c in row.columns)]]
        rows.append(
            [row.label, *(_number(report, ("active_disclosure", row.key, c)) for c in row.columns)]
        )
    blocks.append(("table", rows))
    blocks.append(("text", "三、收到和处理政府信息公开申请情况"))
    social = "社会组织" if "social_org" in report.quirks else "社会公益组织"
    app_rows: list[Row] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "商业企业", "科研机构", social, "法律服务机构", "其他"],
    ]
    groups_done: set[str] = set()
    for row in tpl.APPLICATION_ROWS[version]:
        prefix = []
        if row.parent and row.parent not in groups_done:
            groups_done.add(row.parent)
            prefix = [row.parent]
        values = [_number(report, ("applications", row.key, c)) for c in tpl.APPLICANT_KEYS]
        if row.key == run_together_row(report):
            values = ["".join(values)]
        app_rows.append([*prefix, _label(report, row.label), *values])
    blocks.append(("table", app_rows))
    blocks.append(("text", "四、政府信息公开行政复议、行政诉讼情况"))
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    appeal_values = [
        _number(report, ("appeals", row.key, c)) for row in tpl.APPEAL_ROWS for c in tpl.APPEAL_KEYS
    ]
    blocks.append(
        (
            "table",
            [
                ["行政复议", "", "", "", "", "行政诉讼"],
                [*outcomes, "未经复议直接起诉", "", "", "", "", "复议后起诉"],
                ["", "", "", "", "", *outcomes, *outcomes],
                appeal_values,
            ],
        )
    )
    blocks += [
        ("text", "五、存在的主要问题及改进情况"),
        ("text", "公开内容的及时性有待提高。"),
        ("text", "六、其他需要报告的事项"),
        ("text", "本机关未收取信息处理费。"),
    ]
    return _with_junk(report, blocks)


def _with_junk(report: GeneratedReport, blocks: list[Block]) -> list[Block]:
    """Junk lines, page footers and repeated headers inside table 三, as crawls and PDFs have."""
    quirks = report.quirks
    rng = random.Random(report.name + "junk")
    out: list[Block] = []
    for kind, content in blocks:
        if kind != "table" or len(content) <= 20:  # only table 三
            out.append((kind, content))
            continue
        rows = list(content)
        if "split_headers" in quirks:  # 商业企业 → 商业 / 企业 on the next line
            headers = []
            for row in rows[:3]:
                headers += [[c[: len(c) // 2] for c in row], [c[len(c) // 2 :] for c in row]]
            rows = headers + rows[3:]
        if "early_caption" in quirks:
            caption = ("text", "表四：政府信息公开行政复议、行政诉讼情况")
            out += [("table", rows[:-2]), caption, ("table", rows[-2:])]
        elif any(q in quirks for q in ("junk_lines", "page_breaks", "page_header")):
            split = rng.randrange(len(rows) - 20, len(rows) - 3)
            middle: list[Block] = []
            if "junk_lines" in quirks:
                middle.append(("text", JUNK[0]))
            if "page_breaks" in quirks or "page_header" in quirks:
                middle.append(("text", rng.choice(JUNK[2:])))
            if "page_header" in quirks:
                middle.append(("table", content[1:3]))
            out += [("table", rows[:split]), *middle, ("table", rows[split:])]
        else:
            out.append((kind, rows))
    return out


def _lines(blocks: list[Block], row: Callable[[Row], list[str]]) -> str:
    lines = []
    for kind, content in blocks:
        if kind == "text":
            lines.append(str(content))
        else:
            for cells in content:
                lines += row(cells)
    return "\n".join(lines) + "\n"


def _tab_grid(report: GeneratedReport, blocks: list[Block]) -> str:
    return _lines(blocks, lambda cells: ["\t".join(cells)])


def _cell_per_line(report: GeneratedReport, blocks: list[Block]) -> str:
    return _lines(blocks, lambda cells: [c for c in cells if c])


def _pipe_rows(report: GeneratedReport, blocks: list[Block]) -> str:
    return _lines(blocks, lambda cells: [" | ".join(cells) + " |"])


def _pipe_rows_wrapped(report: GeneratedReport, blocks: list[Block]) -> str:
    """Long rows wrapped mid-row, the way text extraction breaks them (seed 002)."""

    def wrap(cells: Row) -> list[str]:
        if len(cells) < 7:
            return [" | ".join(cells) + " |"]
        cut = len(cells) - 2
        return [" | ".join(cells[:cut]) + " |", " | ".join(cells[cut:]) + " |"]

    return _lines(blocks, wrap)


def _markdown(report: GeneratedReport, blocks: list[Block], rule: bool = True) -> str:
    lines = []
    for kind, content in blocks:
        if kind == "text":
            text = str(content)
            lines.append(
                f"## {text}"
                if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")
                else text
            )
            continue
        width = max(len(cells) for cells in content)
        for index, cells in enumerate(content):
            padded = [*cells, *[""] * (width - len(cells))]
            lines.append("| " + " | ".join(padded) + " |")
            if index == 0 and rule:
                lines.append("|" + "---|" * width)
        lines.append("")
    return "\n".join(lines) + "\n"


def _markdown_no_rule(report: GeneratedReport, blocks: list[Block]) -> str:
    return _markdown(report, blocks, rule=False)


def _space_columns(report: GeneratedReport, blocks: list[Block]) -> str:
    """``pdftotext -layout``: cells padded into columns with runs of spaces, blanks as gaps."""

    def row(cells: Row) -> list[str]:
        line = ""
        for cell in cells:
            line += cell.replace(" ", "") + " " * max(2, 8 - _width(cell))
        return [line.rstrip()]

    return _lines(blocks, row)


_NUMBER_CELL = re.compile(r"[0-9０-９,.+\-—/无增减]+")


def _space_columns_wrapped(report: GeneratedReport, blocks: list[Block]) -> str:
    """``pdftotext -layout`` of a PDF whose long labels wrap inside their cells; the numbers
    sit on the first or the middle line of the wrapped row (vertically centred cells)."""
    rng = random.Random(report.name + "wrap")
    cell_width, centred = rng.choice((24, 28, 32)), rng.random() < 0.6
    lines = []
    for kind, content in blocks:
        if kind == "text":
            lines.append(str(content))
            continue
        wrapped = [
            [[c] if not c or _NUMBER_CELL.fullmatch(c) else _chunks(c, cell_width) for c in row]
            for row in content
        ]
        columns = max(len(row) for row in wrapped)
        widths = [
            max((_width(p) for row in wrapped if c < len(row) for p in row[c]), default=0) + 2
            for c in range(columns)
        ]
        for row in wrapped:
            height = max(len(cell) for cell in row)
            for i in range(height):
                parts = []
                for c, cell in enumerate(row):
                    start = (height - 1) // 2 - (len(cell) - 1) // 2 if centred else 0
                    piece = cell[i - start] if 0 <= i - start < len(cell) else ""
                    parts.append(piece + " " * (widths[c] - _width(piece)))
                lines.append("".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _chunks(text: str, width: int) -> list[str]:
    """Wrap text into pieces of at most ``width`` display columns."""
    pieces, current = [], ""
    for char in text:
        if current and _width(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces or [""]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _html(report: GeneratedReport, blocks: list[Block]) -> str:
    """A CMS page: navigation, paragraphs, <table>s with rowspan/colspan and split spans."""
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>政府信息公开年报</title>',
        "<script>var nav = '<table><tr><td>1</td></tr></table>';</script></head><body>",
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a></div>',
    ]
    for kind, content in blocks:
        if kind == "text":
            out.append(f"<p><span>{html.escape(str(content))}</span></p>")
            continue
        out.append('<table border="1" cellspacing="0"><tbody>')
        for cells in content:
            tds = []
            for cell in cells:
                if not cell:
                    tds.append("<td>&nbsp;</td>")
                elif len(cell) > 6 and not cell[0].isdigit():
                    cut = len(cell) // 2
                    first, second = html.escape(cell[:cut]), html.escape(cell[cut:])
                    tds.append(f"<td><p><span>{first}</span><span>{second}</span></p></td>")
                else:
                    tds.append(f"<td>{html.escape(cell)}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</tbody></table>")
    out.append("<div>扫一扫在手机上打开页面</div></body></html>")
    return "\n".join(out) + "\n"


def _vertical_header(report: GeneratedReport, blocks: list[Block]) -> str:
    """Tab grid whose merged group cell 三、本年度办理结果 is printed one character per row."""

    def rows(content: list[Row]) -> list[Row]:
        out, letters = [], []
        for cells in content:
            if cells and cells[0] == "三、本年度办理结果":
                letters = list("三、本年度办理结果")
                cells = cells[1:]
            if letters and cells and cells[0] != "四、结转下年度继续办理":
                cells = [letters.pop(0), *cells]
            out.append(cells)
        return out

    lines = []
    for kind, content in blocks:
        if kind == "text":
            lines.append(str(content))
        else:
            lines += ["\t".join(cells) for cells in rows(content)]
    return "\n".join(lines) + "\n"


def _mini_tables(report: GeneratedReport, blocks: list[Block]) -> str:
    """Markdown from a PDF converter: every row its own table under a repeated caption."""
    lines = []
    for kind, content in blocks:
        if kind == "text":
            lines.append(str(content))
            continue
        for cells in content:
            lines += [
                "## 表：" + ("收到和处理政府信息公开申请情况" if len(content) > 20 else "情况"),
                "| " + " | ".join(cells) + " |",
                "|" + "---|" * len(cells),
                "",
            ]
    return "\n".join(lines) + "\n"


LAYOUT_RENDERERS: dict[str, Callable[[GeneratedReport, list[Block]], str]] = {
    "vertical_header": _vertical_header,
    "mini_tables": _mini_tables,
    "tab_grid": _tab_grid,
    "cell_per_line": _cell_per_line,
    "pipe_rows": _pipe_rows,
    "pipe_rows_wrapped": _pipe_rows_wrapped,
    "markdown": _markdown,
    "markdown_no_rule": _markdown_no_rule,
    "space_columns": _space_columns,
    "space_columns_wrapped": _space_columns_wrapped,
    "html": _html,
}


def _active_keys(report: GeneratedReport) -> list[str]:
    return [c.key for c in tpl.ACTIVE_COLUMNS[report.template_version]]


def accuracy_corpus(n: int, seed: int = 0) -> list[GeneratedReport]:
    """``n`` reports spread over layouts, templates, encodings and random quirk sets."""
    rng = random.Random(seed)
    corpus = []
    for index in range(n):
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
        place, body = PLACES[index % len(PLACES)], BODIES[(index // len(PLACES)) % len(BODIES)]
        agency = f"{place}区{_ordinal(index)}{body}"
        layout = LAYOUTS[index % len(LAYOUTS)]
        report = consistent_report(rng, f"acc_{index:05d}_{layout}.{_suffix(layout)}", agency, year)
        report.layout = layout
        report.quirks = frozenset(q for q in QUIRKS if rng.random() < 0.25)
        report.encoding = rng.choice(ENCODINGS) if layout != "html" else "utf-8"
        corpus.append(report)
    return corpus


def _suffix(layout: str) -> str:
    return {"html": "html", "markdown": "md", "markdown_no_rule": "md", "mini_tables": "md"}.get(
        layout, "txt"
    )
