"""A small corpus generator for the flag tests: consistent reports plus deliberate breaks.

Each report is rendered as a tab grid (like the seeds) from known values; an injected error
changes one printed cell (or a pair) and an independent oracle (``broken_identities``)
evaluates report-template.md's identities on the printed values, so precision and recall of
``report_flags`` can be measured exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.parsing import template as tpl

INJECTIONS = ("balance", "outcomes", "row_total", "appeal_total", "narrative", "carryover")
FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
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

    def text(self) -> str:
        return render(self)


def outcome_rows(version: str) -> list[str]:
    return [r.key for r in tpl.APPLICATION_ROWS[version] if r.key not in FLOW_ROWS]


def consistent_report(
    rng: random.Random, name: str, agency: str, year: int, carried_over: list[int] | None = None
) -> GeneratedReport:
    """Random values for which every identity holds."""
    version = "2021" if year >= 2021 else "2019"
    columns = tpl.APPLICANT_KEYS[:-1]
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
    column = rng.choice(tpl.APPLICANT_KEYS[:-1])
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
        value = {row.key: cells[("applications", row.key, column)] for row in _app_rows(version)}
        if value["new_received"] + value["carried_over"] != (
            value["total_processed"] + value["carried_forward"]
        ):
            broken.add((f"balance:{column}", column))
        if value["total_processed"] != sum(value[row] for row in outcome_rows(version)):
            broken.add((f"outcomes:{column}", column))
    for row in _app_rows(version):
        parts = [cells[("applications", row.key, c)] for c in tpl.APPLICANT_KEYS[:-1]]
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


def _app_rows(version: str) -> tuple[tpl.RowSpec, ...]:
    return tpl.APPLICATION_ROWS[version]


def generate_corpus(n_agencies: int, seed: int, injected_share: float) -> list[GeneratedReport]:
    """Two consecutive years per agency; some reports broken, some year pairs inconsistent."""
    rng = random.Random(seed)
    corpus = []
    for index in range(n_agencies):
        agency = f"{PLACES[index % len(PLACES)]}区{_ordinal(index)}{BODIES[index % len(BODIES)]}"
        year = rng.choice((2019, 2021, 2022, 2023))
        first = consistent_report(rng, f"g{index:04d}_{year}.txt", agency, year)
        carried = [int(first.cells[("applications", "carried_forward", c)]) for c in _columns()]
        if rng.random() < injected_share:
            carried[0] += 1  # inconsistent with the year before
        second = consistent_report(rng, f"g{index:04d}_{year + 1}.txt", agency, year + 1, carried)
        if second.template_version == first.template_version == "2021":
            _continue_stock(first, second, broken=rng.random() < injected_share)
        for report in (first, second):
            if rng.random() < injected_share:
                inject(rng, report, rng.choice(INJECTIONS[:-1]))
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


def _columns() -> tuple[str, ...]:
    return tpl.APPLICANT_KEYS[:-1]


def _ordinal(index: int) -> str:
    digits = "〇一二三四五六七八九"
    return "第" + "".join(digits[int(d)] for d in str(index + 1))


# ----------------------------------------------------------------------------- rendering


def render(report: GeneratedReport) -> str:
    """The report as a tab-separated grid with the national template's headings and labels."""
    said = report.narrative
    lines = [
        f"{report.agency}{report.year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        f"{report.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
        f"本年度共收到政府信息公开申请{said['applications_received']}件，"
        f"上年结转政府信息公开申请{said['applications_carried_over']}件，均已按时办理。",
        f"本年度发生政府信息公开行政复议{said['review_cases']}件，"
        f"行政诉讼{said['litigation_cases']}件。",
        "二、主动公开政府信息情况",
    ]
    article = None
    for row in tpl.ACTIVE_ROWS[report.template_version]:
        if row.parent != article:
            article = row.parent
            headers = [c.label for c in tpl.ACTIVE_COLUMNS[report.template_version]]
            wanted = [
                h for c, h in zip(_active_keys(report), headers, strict=True) if c in row.columns
            ]
            lines += [str(article), "\t".join(["信息内容", *wanted])]
        values = [_printed(report.cells[("active_disclosure", row.key, c)], c) for c in row.columns]
        lines.append("\t".join([row.label, *values]))
    lines += [
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
    ]
    groups_done: set[str] = set()
    for row in tpl.APPLICATION_ROWS[report.template_version]:
        prefix = []
        if row.parent and row.parent not in groups_done:
            groups_done.add(row.parent)
            prefix = [row.parent]
        values = [str(report.cells[("applications", row.key, c)]) for c in tpl.APPLICANT_KEYS]
        lines.append("\t".join([*prefix, row.label, *values]))
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
        "\t".join(
            str(report.cells[("appeals", row.key, c)])
            for row in tpl.APPEAL_ROWS
            for c in tpl.APPEAL_KEYS
        ),
        "五、存在的主要问题及改进情况",
        "公开内容的及时性有待提高。",
        "六、其他需要报告的事项",
        "本机关未收取信息处理费。",
    ]
    return "\n".join(lines) + "\n"


def _active_keys(report: GeneratedReport) -> list[str]:
    return [c.key for c in tpl.ACTIVE_COLUMNS[report.template_version]]


def _printed(value: Decimal, column: str) -> str:
    if column == "change":
        return f"+{value}" if value > 0 else str(value)
    return str(value)
