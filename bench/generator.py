"""Synthetic annual reports that look like the real ones, with ground truth and planted errors.

``generate_report`` draws consistent values for tables 二, 三 and 四 (every identity of
report-template.md holds), writes a section-一 narrative that states four of them, and renders
the document in one of ``LAYOUTS`` (tab grid, pipe rows, markdown, one cell per line, HTML),
mirroring the seeds in ``data/raw``. An injection changes printed numbers on purpose; the
ground truth (``cells``, ``narrative``) keeps what is printed, so a correct parser reads it.

The oracles (``expected_failures``, ``narrative_failures``, ``carryover_failures``) evaluate the
identities on the ground truth independently of how the errors were made; each ``Injection``
also says which failures it was designed to cause (``breaks``), so the two can be compared.
``generate_corpus`` spreads reports over layouts, formats, years and agencies, with chains of
consecutive years whose carry-over is consistent except where a ``carryover`` error is planted.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.parsing import template as tpl

Key = tuple[str, str, str]  # (section, row_key, column_key)
Failure = tuple[str, str]  # (rule_id, column_key)

ARITHMETIC_KINDS = ("balance", "outcomes", "row_total", "appeal_total")
REPORT_KINDS = (*ARITHMETIC_KINDS, "narrative")  # planted inside one report
KINDS = (*REPORT_KINDS, "carryover")  # carryover needs the agency's previous report
NARRATIVE_KEYS = (
    "applications_received",
    "applications_carried_over",
    "review_cases",
    "litigation_cases",
)
YEARS = tuple(range(2019, 2026))
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")

_APP = "applications"
_APPEALS = "appeals"
_ACTIVE = "active_disclosure"
_FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
_APPLICANTS = tpl.APPLICANT_KEYS[:-1]  # the six applicant columns, without total
_APPEAL_PARTS = tpl.APPEAL_KEYS[:-1]  # upheld, corrected, other, pending


def template_for_year(year: int) -> str:
    """The format a report of this year follows: 2019 for 2019–2020, 2021 from 2021."""
    return "2019" if year <= 2020 else "2021"


# ============================================================================ report records


@dataclass(frozen=True)
class CellChange:
    """One printed number changed on purpose. ``section`` is ``narrative`` for the text."""

    section: str
    row_key: str
    column_key: str
    original: Decimal  # what consistency required
    printed: Decimal  # what the report prints (and the ground truth holds)


@dataclass(frozen=True)
class Injection:
    """A deliberate error: its kind, the numbers changed, and the failures it was made to cause.

    ``breaks`` holds (rule_id, column_key): ``balance:<col>``, ``outcomes:<col>``,
    ``row_total:<row>`` / ``appeal_total:<row>`` with ``total``, ``narrative:<key>`` with
    ``total``, and ``carryover`` with the applicant column whose carry-over disagrees.
    """

    kind: str
    changes: tuple[CellChange, ...]
    breaks: frozenset[Failure]


@dataclass
class GeneratedReport:
    """One generated file and everything true about it."""

    name: str
    data: bytes
    agency: str
    year: int
    template_version: str
    layout: str
    cells: dict[Key, Decimal | None]
    narrative: dict[str, Decimal]
    injected: list[Injection] = field(default_factory=list)
    encoding: str = "utf-8"
    newline: str = "\n"
    title: str = ""
    previous: str | None = None  # name of this agency's report for year - 1, if generated

    @property
    def text(self) -> str:
        return self.data.decode(self.encoding)

    def failures_planted(self, *, kinds: Iterable[str] = KINDS) -> set[Failure]:
        """The union of ``breaks`` of this report's injections of the given kinds."""
        wanted = set(kinds)
        return {b for inj in self.injected if inj.kind in wanted for b in inj.breaks}


# ============================================================================ oracles


def expected_failures(report: GeneratedReport) -> set[Failure]:
    """(rule_id, column_key) of every within-report identity the ground-truth cells break.

    An identity with a NULL term is not assessable and never fails.
    """
    cells, version = report.cells, report.template_version
    app_rows = [r.key for r in tpl.APPLICATION_ROWS[version]]
    outcome_rows = [r for r in app_rows if r not in _FLOW_ROWS]
    failed: set[Failure] = set()

    def broken(total: Decimal | None, terms: Sequence[Decimal | None]) -> bool:
        if total is None or any(t is None for t in terms):
            return False
        return total != sum(terms, Decimal(0))  # type: ignore[arg-type]

    for col in tpl.APPLICANT_KEYS:
        new, over, done, forward = (cells[(_APP, row, col)] for row in _FLOW_ROWS)
        if None not in (new, over, done, forward) and new + over != done + forward:  # type: ignore[operator]
            failed.add((f"balance:{col}", col))
        if broken(done, [cells[(_APP, row, col)] for row in outcome_rows]):
            failed.add((f"outcomes:{col}", col))
    for row in app_rows:
        if broken(cells[(_APP, row, "total")], [cells[(_APP, row, c)] for c in _APPLICANTS]):
            failed.add((f"row_total:{row}", "total"))
    for appeal in tpl.APPEAL_ROWS:
        terms = [cells[(_APPEALS, appeal.key, c)] for c in _APPEAL_PARTS]
        if broken(cells[(_APPEALS, appeal.key, "total")], terms):
            failed.add((f"appeal_total:{appeal.key}", "total"))
    return failed


def table_numbers(cells: Mapping[Key, Decimal | None]) -> dict[str, Decimal | None]:
    """The four numbers a narrative states, as the tables give them."""
    litigation = [
        cells[(_APPEALS, r, "total")] for r in ("litigation_direct", "litigation_after_review")
    ]
    return {
        "applications_received": cells[(_APP, "new_received", "total")],
        "applications_carried_over": cells[(_APP, "carried_over", "total")],
        "review_cases": cells[(_APPEALS, "review", "total")],
        "litigation_cases": None if None in litigation else sum(litigation, Decimal(0)),  # type: ignore[arg-type]
    }


def narrative_failures(report: GeneratedReport) -> set[str]:
    """Narrative keys whose stated number differs from the tables.

    ``litigation_cases`` compares with litigation_direct + litigation_after_review totals.
    """
    tables = table_numbers(report.cells)
    return {
        key
        for key, stated in report.narrative.items()
        if tables[key] is not None and tables[key] != stated
    }


def carryover_failures(corpus: Iterable[GeneratedReport]) -> set[tuple[str, str]]:
    """(report name, column_key) where carried_over(Y) ≠ carried_forward(Y − 1) of the agency."""
    by_key = {(r.agency, r.year): r for r in corpus}
    failed: set[tuple[str, str]] = set()
    for (agency, year), report in by_key.items():
        before = by_key.get((agency, year - 1))
        if before is None:
            continue
        for col in tpl.APPLICANT_KEYS:
            now = report.cells[(_APP, "carried_over", col)]
            then = before.cells[(_APP, "carried_forward", col)]
            if now is not None and then is not None and now != then:
                failed.add((report.name, col))
    return failed


# ============================================================================ agencies

_PLACES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("洛阳市", ("老城区", "西工区", "涧西区", "瀍河回族区", "伊川县", "孟津区")),
    ("商丘市", ("民权县", "睢县", "梁园区", "睢阳区", "柘城县", "永城市")),
    ("北京市", ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "通州区")),
    ("杭州市", ("上城区", "拱墅区", "西湖区", "余杭区", "临安区", "桐庐县")),
    ("苏州市", ("姑苏区", "吴江区", "吴中区", "相城区", "昆山市", "常熟市")),
    ("成都市", ("锦江区", "青羊区", "金牛区", "武侯区", "郫都区", "双流区")),
    ("济南市", ("历下区", "市中区", "槐荫区", "章丘区", "平阴县", "商河县")),
    ("武汉市", ("江岸区", "江汉区", "武昌区", "洪山区", "黄陂区", "新洲区")),
    ("长沙市", ("芙蓉区", "天心区", "岳麓区", "开福区", "浏阳市", "宁乡市")),
    ("合肥市", ("瑶海区", "庐阳区", "蜀山区", "包河区", "肥西县", "长丰县")),
    ("石家庄市", ("长安区", "桥西区", "新华区", "裕华区", "正定县", "赞皇县")),
    ("南宁市", ("兴宁区", "青秀区", "江南区", "西乡塘区", "武鸣区", "横州市")),
    ("昆明市", ("五华区", "盘龙区", "官渡区", "西山区", "呈贡区", "宜良县")),
    ("兰州市", ("城关区", "七里河区", "安宁区", "西固区", "榆中县", "永登县")),
)
_STREETS = (
    "西南隅", "绿洲", "环南", "北新桥", "东风", "解放路", "人民路", "新华", "城关", "青龙",
    "和平", "建设路", "朝阳门", "南湖", "金山", "长安", "文化路", "滨河", "望江", "红星",
    "东关", "西关", "南关", "北关", "花园路", "车站", "三里河", "柳林", "白沙", "桃源",
)  # fmt: skip
_TOWNS = (
    "白马寺", "王庄", "李营", "柳河", "双塔", "龙泉", "古城", "新店", "高桥", "石桥",
    "杨集", "河坝", "马头", "三官", "黄庄", "大王", "油坊", "清河", "东沙", "南店",
)  # fmt: skip
_DEPARTMENTS = (
    "市场监督管理局", "自然资源和规划局", "生态环境局", "卫生健康委员会", "教育局",
    "住房和城乡建设局", "交通运输局", "人力资源和社会保障局", "民政局", "司法局", "财政局",
    "应急管理局", "农业农村局", "发展和改革委员会", "城市管理局", "退役军人事务局",
    "医疗保障局", "统计局", "水利局", "文化广电和旅游局",
)  # fmt: skip


def random_agency(rng: random.Random) -> str:
    """A real-looking issuing body: street office, town, bureau, commission or government."""
    city, districts = rng.choice(_PLACES)
    district = rng.choice(districts)
    kind = rng.choices(("street", "town", "department", "government"), (35, 15, 35, 15))[0]
    prefix = rng.choices(("", district, city + district), (3, 4, 3))[0]
    if kind == "street":
        return f"{prefix or district}{rng.choice(_STREETS)}街道办事处"
    if kind == "town":
        return f"{prefix or district}{rng.choice(_TOWNS)}镇人民政府"
    if kind == "department":
        return f"{rng.choice((district, city + district, city))}{rng.choice(_DEPARTMENTS)}"
    body = rng.choice(("人民政府办公室", "人民政府", "人民政府办公室"))
    return f"{rng.choice((district, city + district, city))}{body}"


def _agency_kind(agency: str) -> str:
    if agency.endswith(("街道办事处", "镇人民政府")):
        return "local"
    if agency.endswith(("局", "委员会")):
        return "department"
    return "government"


def _self_name(agency: str) -> str:
    """How the report calls its author: 我街道, 我局, 本机关…"""
    for suffix, name in (
        ("街道办事处", "我街道"),
        ("镇人民政府", "我镇"),
        ("委员会", "我委"),
        ("局", "我局"),
        ("办公室", "我办"),
        ("人民政府", "本机关"),
    ):
        if agency.endswith(suffix):
            return name
    return "本机关"


# ============================================================================ values

_PROFILES = ("none", "few", "some", "many")
_PROFILE_WEIGHTS = {
    "local": (50, 40, 10, 0),
    "department": (25, 40, 28, 7),
    "government": (12, 40, 36, 12),
}
_NEW_RANGES = {  # applicant column → (probability it has any, range) per profile
    "natural_person": {"few": (1.0, (1, 15)), "some": (1.0, (15, 150)), "many": (1.0, (150, 2500))},
    "commercial_enterprise": {
        "few": (0.2, (1, 3)),
        "some": (0.6, (1, 30)),
        "many": (0.9, (10, 300)),
    },
    "research_institution": {"few": (0.03, (1, 2)), "some": (0.1, (1, 5)), "many": (0.3, (1, 8))},
    "social_organization": {"few": (0.03, (1, 2)), "some": (0.1, (1, 6)), "many": (0.3, (1, 15))},
    "legal_service_agency": {"few": (0.05, (1, 2)), "some": (0.2, (1, 10)), "many": (0.5, (2, 60))},
    "other_org": {"few": (0.08, (1, 3)), "some": (0.2, (1, 10)), "many": (0.4, (1, 30))},
}
# How often each outcome happens (applications are mostly granted or "not held").
_OUTCOME_WEIGHTS = {
    "granted": 40, "partially_granted": 7, "denied_state_secret": 0.3,
    "denied_prohibited_by_law": 1, "denied_security_stability": 0.3,
    "denied_third_party_rights": 2.5, "denied_internal_affairs": 1.5, "denied_process_info": 2.5,
    "denied_enforcement_file": 0.8, "denied_query_matter": 1.5, "unable_not_held": 20,
    "unable_needs_creation": 4, "unable_unclear": 2, "rejected_petition": 4,
    "rejected_duplicate": 2.5, "rejected_publication": 0.5, "rejected_excessive": 1,
    "rejected_confirmation": 1, "other_no_correction": 3, "other_unpaid_fee": 0.2,
    "other_misc": 3, "other_handling": 6,
}  # fmt: skip
_APPEAL_RANGES = {  # profile → max cases of review, litigation_direct, litigation_after_review
    "none": (1, 0, 0),
    "few": (3, 2, 1),
    "some": (8, 5, 2),
    "many": (40, 25, 8),
}


def _count(rng: random.Random, low: int, high: int) -> int:
    """A skewed count in [low, high]: small values far more often than large ones."""
    return low + int((high - low + 1) * rng.random() ** 2.5)


def _split(rng: random.Random, total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Distribute ``total`` items over the keys at random, by weight."""
    keys = list(weights)
    drawn = Counter(rng.choices(keys, [weights[k] for k in keys], k=total))
    return {k: drawn.get(k, 0) for k in keys}


def _application_values(
    rng: random.Random, version: str, profile: str, carried_over: Mapping[str, int] | None
) -> dict[Key, Decimal]:
    """Table 三 with balance, outcomes and row totals holding for every column."""
    outcome_rows = tpl.OUTCOME_ROWS[version]
    weights = {row: _OUTCOME_WEIGHTS[row] for row in outcome_rows}
    cells: dict[Key, Decimal] = {}
    for col in _APPLICANTS:
        new = 0
        if profile != "none":
            chance, (low, high) = _NEW_RANGES[col][profile]
            new = _count(rng, low, high) if rng.random() < chance else 0
        if carried_over is not None:
            over = carried_over[col]
        else:
            over = _count(rng, 1, max(1, new // 8)) if new and rng.random() < 0.25 else 0
        pool = new + over
        forward = _count(rng, 1, max(1, pool // 6)) if pool and rng.random() < 0.3 else 0
        forward = min(forward, pool)
        processed = pool - forward
        flows = dict(zip(_FLOW_ROWS, (new, over, processed, forward), strict=True))
        for row, value in {**flows, **_split(rng, processed, weights)}.items():
            cells[(_APP, row, col)] = Decimal(value)
    for row in tpl.APPLICATION_ROWS[version]:
        total = sum((cells[(_APP, row.key, c)] for c in _APPLICANTS), Decimal(0))
        cells[(_APP, row.key, "total")] = total
    return cells


def _appeal_values(rng: random.Random, profile: str) -> dict[Key, Decimal]:
    cells: dict[Key, Decimal] = {}
    part_weights = {"upheld": 55, "corrected": 10, "other": 20, "pending": 15}
    for appeal, high in zip(tpl.APPEAL_ROWS, _APPEAL_RANGES[profile], strict=True):
        cases = _count(rng, 0, high) if rng.random() < 0.5 else 0
        parts = _split(rng, cases, part_weights)
        for col in _APPEAL_PARTS:
            cells[(_APPEALS, appeal.key, col)] = Decimal(parts[col])
        cells[(_APPEALS, appeal.key, "total")] = Decimal(cases)
    return cells


def _money(rng: random.Random, high: int, places: int) -> Decimal:
    """An amount with up to ``places`` decimals, often zero."""
    if rng.random() < 0.6:
        return Decimal(0)
    scaled = _count(rng, 1, high * 10**places)
    return Decimal(scaled).scaleb(-places)


def _active_values(
    rng: random.Random, version: str, kind: str, previous: GeneratedReport | None
) -> dict[Key, Decimal]:
    """Table 二; in the 2021 format in_force continues last year's stock when there is one."""
    busy = {"local": 0.3, "department": 1.0, "government": 0.7}[kind]
    cells: dict[Key, Decimal] = {}

    def put(row: str, col: str, value: int | Decimal) -> None:
        cells[(_ACTIVE, row, col)] = Decimal(value)

    makes_rules = kind == "government" and rng.random() < 0.3
    if version == "2021":
        for row, active in (("rules", makes_rules), ("normative_documents", rng.random() < busy)):
            issued = _count(rng, 0, 8 if row == "rules" else 30) if active else 0
            repealed = _count(rng, 0, 10) if active and rng.random() < 0.5 else 0
            stock = _stock(previous, row)
            if stock is None:
                stock = _count(rng, 0, 150 if row == "rules" else 300) if active else 0
            repealed = min(repealed, stock + issued)
            put(row, "issued", issued)
            put(row, "repealed", repealed)
            put(row, "in_force", stock + issued - repealed)
        for row, high in (
            ("administrative_license", 30000 if kind == "department" else 300),
            ("administrative_penalty", 3000 if kind == "department" else 1500),
            ("administrative_coercion", 200 if kind == "department" else 20),
        ):
            put(row, "decisions", _count(rng, 0, high) if rng.random() < busy else 0)
        put("administrative_fees", "amount_10k_yuan", _money(rng, 500, rng.choice((2, 4))))
        return cells
    for row, active in (("rules", makes_rules), ("normative_documents", rng.random() < busy)):
        made = _count(rng, 0, 8 if row == "rules" else 30) if active else 0
        published = made if rng.random() < 0.85 else _count(rng, 0, made)
        put(row, "new_made", made)
        put(row, "new_published", published)
        put(row, "total_published", published + (_count(rng, 0, 300) if active else 0))
    for row in (
        "administrative_license",
        "other_external_services",
        "administrative_penalty",
        "administrative_coercion",
    ):
        items = _count(rng, 0, 400 if kind == "department" else 40) if rng.random() < busy else 0
        put(row, "prev_year_items", items)
        put(row, "change", _change(rng, items))
        high = 30000 if row == "administrative_license" and kind == "department" else 1500
        put(row, "decisions", _count(rng, 0, high) if items else 0)
    fees = _count(rng, 0, 20) if rng.random() < busy / 2 else 0
    put("administrative_fees", "prev_year_items", fees)
    put("administrative_fees", "change", _change(rng, fees))
    items = _count(rng, 0, 60) if rng.random() < busy else 0
    put("government_procurement", "procurement_items", items)
    amount = Decimal(0)
    if items and rng.random() < 0.6:
        amount = Decimal(_count(rng, 5000, 5_000_000))  # printed in 元
    elif items:
        amount = Decimal(_count(rng, 1, 200_000)).scaleb(-2)  # printed in 万元
    put("government_procurement", "procurement_amount", amount)
    return cells


def _change(rng: random.Random, items: int) -> int:
    """本年增/减: mostly 0, otherwise a small signed change that keeps the count non-negative."""
    if not items or rng.random() < 0.6:
        return 0
    return rng.choice((-1, 1)) * _count(rng, 1, max(1, min(items, 12)))


def _stock(previous: GeneratedReport | None, row: str) -> int | None:
    if previous is None or previous.template_version != "2021":
        return None
    value = previous.cells[(_ACTIVE, row, "in_force")]
    return None if value is None else int(value)


# ============================================================================ injections


def _bump(rng: random.Random, value: Decimal | None) -> Decimal:
    """A printing error: a small non-zero change that keeps the number non-negative."""
    base = value or Decimal(0)
    deltas = [d for d in (1, 2, 3, 10, -1, -2, -10) if base + d >= 0]
    return base + rng.choice(deltas)


def _change_cell(cells: dict[Key, Decimal | None], key: Key, printed: Decimal) -> CellChange:
    original = cells[key]
    assert original is not None
    cells[key] = printed
    return CellChange(*key, original=original, printed=printed)


def _inject_arithmetic(
    rng: random.Random, kind: str, version: str, cells: dict[Key, Decimal | None]
) -> Injection:
    """Plant one error of ``kind`` in tables 三/四 and say which identities it breaks."""
    outcome_rows = tpl.OUTCOME_ROWS[version]
    if kind == "balance":
        # carried_forward changes in one column and in its 总计: the row still adds up, the
        # balance of that column and of the total column do not.
        col = rng.choice(_APPLICANTS)
        key = (_APP, "carried_forward", col)
        printed = _bump(rng, cells[key])
        delta = printed - cells[key]  # type: ignore[operator]
        total_key = (_APP, "carried_forward", "total")
        changes = (
            _change_cell(cells, key, printed),
            _change_cell(cells, total_key, cells[total_key] + delta),  # type: ignore[operator]
        )
        return Injection(
            kind, changes, frozenset({(f"balance:{col}", col), ("balance:total", "total")})
        )
    if kind == "outcomes":
        # one outcome cell: its column no longer sums to （七）总计, its row no longer to 总计.
        row, col = rng.choice(outcome_rows), rng.choice(tpl.APPLICANT_KEYS)
        change = _change_cell(cells, (_APP, row, col), _bump(rng, cells[(_APP, row, col)]))
        breaks = {(f"outcomes:{col}", col), (f"row_total:{row}", "total")}
        return Injection(kind, (change,), frozenset(breaks))
    if kind == "row_total":
        # one printed 总计 (carry-over rows excluded: the carry-over check must stay clean);
        # the total column's own identity breaks with it.
        row = rng.choice((*outcome_rows, "new_received", "total_processed"))
        key = (_APP, row, "total")
        change = _change_cell(cells, key, _bump(rng, cells[key]))
        breaks = {(f"row_total:{row}", "total")}
        if row in outcome_rows or row == "total_processed":
            breaks.add(("outcomes:total", "total"))
        if row in ("new_received", "total_processed"):
            breaks.add(("balance:total", "total"))
        return Injection(kind, (change,), frozenset(breaks))
    if kind == "appeal_total":
        # one cell of table 四 (its 总计 or one of the four results): only that row's sum breaks.
        appeal = rng.choice(tpl.APPEAL_ROWS).key
        col = rng.choice(("total", "total", *_APPEAL_PARTS))
        key = (_APPEALS, appeal, col)
        change = _change_cell(cells, key, _bump(rng, cells[key]))
        return Injection(kind, (change,), frozenset({(f"appeal_total:{appeal}", "total")}))
    raise ValueError(f"not an arithmetic injection: {kind!r}")


def _inject_narrative(rng: random.Random, narrative: dict[str, Decimal]) -> Injection:
    key = rng.choice(NARRATIVE_KEYS)
    printed = _bump(rng, narrative[key])
    change = CellChange("narrative", key, "total", narrative[key], printed)
    narrative[key] = printed
    return Injection("narrative", (change,), frozenset({(f"narrative:{key}", "total")}))


def _carried_over(
    rng: random.Random, previous: GeneratedReport, break_it: bool
) -> tuple[dict[str, int], Injection | None]:
    """Last year's printed carried_forward per column; with ``break_it``, one column differs."""
    forward = previous.cells
    carried = {c: int(forward[(_APP, "carried_forward", c)] or 0) for c in _APPLICANTS}
    if not break_it:
        return carried, None
    col = rng.choice(_APPLICANTS)
    printed = int(_bump(rng, Decimal(carried[col])))
    old_total = sum(carried.values())
    delta = printed - carried[col]
    carried[col] = printed
    changes = (
        CellChange(_APP, "carried_over", col, Decimal(printed - delta), Decimal(printed)),
        CellChange(_APP, "carried_over", "total", Decimal(old_total), Decimal(old_total + delta)),
    )
    breaks = frozenset({("carryover", col), ("carryover", "total")})
    return carried, Injection("carryover", changes, breaks)


# ============================================================================ documents


@dataclass(frozen=True)
class Span:
    """A table cell as the source document has it (HTML/docx): text and how far it reaches."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    value: bool = False  # a number cell (not a label or header)


@dataclass(frozen=True)
class Row:
    cells: tuple[Span, ...]
    key: str | None = None  # template row key of a data row


@dataclass(frozen=True)
class Table:
    section: str
    rows: tuple[Row, ...]
    header_rows: int  # rows before the first data row


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 title, 2 section 一…六, 3 sub-heading


@dataclass(frozen=True)
class Paragraph:
    text: str


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str
    title_lines: tuple[str, ...]  # the title as printed (sometimes split over two lines)
    blocks: tuple[Block, ...]
    encoding: str


Layout = Callable[[Document, random.Random], str]


@dataclass(frozen=True)
class _Style:
    """Typography of one report: brackets, numbering dots, number formats."""

    wide_brackets: bool
    bracket_space: bool
    wide_dot: bool
    thousands: bool
    fullwidth_digits: bool
    social_label: str
    fee_zero: str
    fee_header: str
    spaced_headers: bool  # seeds 002/003: "结果 维持", "商业 企业" (a wrapped header cell)
    placeholder: str  # what an empty cell prints, e.g. "/" (2019 fixture)

    def sub(self, number: str) -> str:
        """（一） or (一) with the report's bracket style."""
        if self.wide_brackets:
            return f"（{number}）"
        return f"({number}) " if self.bracket_space else f"({number})"

    def label(self, text: str) -> str:
        """A template label in this report's typography."""
        if text.startswith("（") and "）" in text[:5]:
            number, rest = text[1:].split("）", 1)
            text = self.sub(number) + rest
        if not self.wide_brackets:
            text = text.replace("（", "(").replace("）", ")").replace("，", ",")
        if self.wide_dot and len(text) > 1 and text[0].isdigit() and text[1] == ".":
            text = text[0] + "．" + text[2:]
        return text

    def header(self, text: str) -> str:
        if self.spaced_headers and len(text) == 4:
            return f"{text[:2]} {text[2:]}"
        return text

    def cell(self, value: Decimal | None, column: str = "") -> str:
        """A value cell as printed: the number, or the placeholder for NULL."""
        return self.placeholder if value is None else self.number(value, column)

    def number(self, value: Decimal, column: str = "") -> str:
        if column == "change":
            return _signed(value, self)
        if value == 0 and column == "amount_10k_yuan":
            return self.fee_zero
        text = f"{value:,}" if self.thousands and abs(value) >= 1000 else f"{value}"
        if self.fullwidth_digits:
            text = text.translate(_FULLWIDTH)
        return text


_FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _signed(value: Decimal, style: _Style) -> str:
    if value == 0:
        return "0"
    if style.wide_dot:  # the same offices that print 1．also tend to write 增/减
        return f"增{value}" if value > 0 else f"减{-value}"
    return f"+{value}" if value > 0 else f"{value}"


def _random_style(rng: random.Random) -> _Style:
    wide = rng.random() < 0.6
    return _Style(
        wide_brackets=wide,
        bracket_space=not wide and rng.random() < 0.6,
        wide_dot=rng.random() < 0.2,
        thousands=rng.random() < 0.4,
        fullwidth_digits=rng.random() < 0.03,
        social_label=rng.choices(("社会公益组织", "社会组织"), (4, 1))[0],
        fee_zero=rng.choice(("0", "0", "0.0000", "0.00")),
        fee_header=rng.choice(
            (
                "本年收费金额（单位：万元）",
                "本年收费金额（单位：万元）",
                "本年收费金额(单位:万元,保留4位小数)",
            )
        ),
        spaced_headers=rng.random() < 0.15,
        placeholder=rng.choice(("/", "/", "—", "-")),
    )


def _title(rng: random.Random, agency: str, year: int) -> tuple[str, tuple[str, ...]]:
    """The title as a reader names it, and as printed (variants seen in real reports)."""
    forms = {"plain": 60, "year_first": 5, "year_after": 7, "spaced": 8, "split": 10, "nian_du": 10}
    form = rng.choices(list(forms), list(forms.values()))[0]
    if form == "year_first":
        title = f"{year}年{agency}政府信息公开工作年度报告"
    elif form == "year_after":
        title = f"{agency}政府信息公开工作{year}年度报告"
    elif form == "nian_du":
        title = f"{agency}{year}年度政府信息公开工作报告"
    else:
        title = f"{agency}{year}年政府信息公开工作年度报告"
    if form == "spaced":
        return title, (f"{agency} {year} 年政府信息公开工作 年度报告",)
    if form == "split":
        return title, (agency, f"{year}年政府信息公开工作年度报告")
    return title, (title,)


# ---------------------------------------------------------------------------- tables


def _active_table(cells: Mapping[Key, Decimal | None], version: str, style: _Style) -> Table:
    """Table 二 as the national template draws it: one block per 第二十条 item, four columns."""
    headers = {c.key: c.label for c in tpl.ACTIVE_COLUMNS[version]}
    if version == "2021":
        headers["amount_10k_yuan"] = style.fee_header
    rows: list[Row] = []
    article = None
    for spec in tpl.ACTIVE_ROWS[version]:
        if spec.parent != article:
            article = spec.parent
            rows.append(Row((Span(style.label(article), colspan=4),)))
            rows.append(Row((Span("信息内容"), *_spread([headers[c] for c in spec.columns]))))
        values = [style.cell(cells[(_ACTIVE, spec.key, c)], c) for c in spec.columns]
        if spec.key == "government_procurement":
            amount = cells[(_ACTIVE, spec.key, "procurement_amount")] or Decimal(0)
            values[1] = _procurement_text(amount, style)
        rows.append(Row((Span(spec.label), *_spread(values, value=True)), spec.key))
    return Table(_ACTIVE, tuple(rows), header_rows=2)


def _spread(texts: Sequence[str], *, value: bool = False, width: int = 3) -> list[Span]:
    """Cells filling ``width`` columns: the last one spans what is left."""
    spans = [Span(t, value=value) for t in texts]
    spans[-1] = Span(texts[-1], colspan=width - len(texts) + 1, value=value)
    return spans


def _procurement_text(amount: Decimal, style: _Style) -> str:
    """采购总金额 with its unit, as the 2019 reports print it (``251000元``, ``12.50万元``)."""
    if amount == 0:
        return "0"
    unit = "万元" if amount.as_tuple().exponent < 0 else "元"  # type: ignore[operator]
    return style.number(amount) + unit


def _application_table(cells: Mapping[Key, Decimal | None], version: str, style: _Style) -> Table:
    """Table 三 with its three header rows and label columns (merged as in the template)."""
    specs = tpl.APPLICATION_ROWS[version]
    result_rows = [
        s for s in specs if s.key not in ("new_received", "carried_over", "carried_forward")
    ]
    group_size = Counter(s.parent for s in specs if s.parent and s.parent != "三、本年度办理结果")
    rows = [
        Row((Span(style.label(_NOTE), colspan=3, rowspan=3), Span("申请人情况", colspan=7))),
        Row(
            (Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2))
        ),
        Row(
            tuple(
                Span(style.header(t))
                for t in ("商业企业", "科研机构", style.social_label, "法律服务机构", "其他")
            )
        ),
    ]
    started: set[str] = set()
    for spec in specs:
        labels: list[Span] = []
        if spec.parent is None:
            labels.append(Span(style.label(spec.label), colspan=3))
        else:
            if "三、本年度办理结果" not in started:
                started.add("三、本年度办理结果")
                labels.append(Span("三、本年度办理结果", rowspan=len(result_rows)))
            if spec.parent in group_size:
                if spec.parent not in started:
                    started.add(spec.parent)
                    labels.append(Span(style.label(spec.parent), rowspan=group_size[spec.parent]))
                labels.append(Span(style.label(spec.label)))
            else:
                labels.append(Span(style.label(spec.label), colspan=2))
        values = [
            Span(style.cell(cells[(_APP, spec.key, c)]), value=True) for c in tpl.APPLICANT_KEYS
        ]
        rows.append(Row((*labels, *values), spec.key))
    return Table(_APP, tuple(rows), header_rows=3)


_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _appeal_table(cells: Mapping[Key, Decimal | None], style: _Style) -> Table:
    """Table 四: three header levels over one row of fifteen numbers."""
    values = [
        Span(style.cell(cells[(_APPEALS, r.key, c)]), value=True)
        for r in tpl.APPEAL_ROWS
        for c in tpl.APPEAL_KEYS
    ]
    rows = (
        Row((Span("行政复议", colspan=5), Span("行政诉讼", colspan=10))),
        Row(
            (
                *(Span(style.header(t), rowspan=2) for t in _RESULTS),
                Span("未经复议直接起诉", colspan=5),
                Span("复议后起诉", colspan=5),
            )
        ),
        Row(tuple(Span(style.header(t)) for t in _RESULTS * 2)),
        Row(tuple(values), "appeals"),
    )
    return Table(_APPEALS, rows, header_rows=3)


# ---------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class _Placed:
    span: Span
    row: int  # where the span starts
    col: int


def _place(table: Table) -> list[list[_Placed | None]]:
    """Each grid position → the span covering it (HTML table model)."""
    grid: dict[tuple[int, int], _Placed] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for span in row.cells:
            while (r, c) in grid:
                c += 1
            placed = _Placed(span, r, c)
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    grid[(r + dr, c + dc)] = placed
            c += span.colspan
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c)) for c in range(width)] for r in range(len(table.rows))]


def grid_rows(table: Table, mode: str) -> list[list[str]]:
    """Text cells per row, as a converter prints merged cells.

    ``full``: a rectangle, merged positions blank (docx → tab text, markdown);
    ``covered_blank``: one cell per span, spans from rows above as one blank cell each;
    ``own``: only the cells that start in the row (what HTML ``<td>`` lists hold).
    """
    placed = _place(table)
    out = []
    for r, positions in enumerate(placed):
        cells: list[str] = []
        for c, p in enumerate(positions):
            if p is None:
                if mode == "full":
                    cells.append("")
                continue
            first = p.row == r and p.col == c
            if mode == "full":
                cells.append(p.span.text if first else "")
            elif c == p.col and (p.row == r or mode == "covered_blank"):
                cells.append(p.span.text if p.row == r else "")
        out.append(cells)
    return out


# ---------------------------------------------------------------------------- layouts


def _heading_text(block: Heading, markdown: bool) -> str:
    if not markdown or block.level == 0:
        return block.text
    return "#" * block.level + " " + block.text


def _text_lines(
    document: Document,
    table_lines: Callable[[Table], list[str]],
    *,
    markdown: bool = False,
    blank_lines: bool = False,
) -> str:
    """Title, headings and paragraphs one per line; tables by ``table_lines``."""
    lines = ["", ""] if blank_lines else []
    for index, text in enumerate(document.title_lines):
        lines.append(f"# {text}" if markdown and index == 0 else text)
    for block in document.blocks:
        if blank_lines or markdown:
            lines.append("")
        if isinstance(block, Heading):
            lines.append(_heading_text(block, markdown))
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(table_lines(block))
    return "\n".join(lines) + "\n"


def render_tab_grid(document: Document, rng: random.Random) -> str:
    """Like seeds 000/003: tab-separated rows of the full grid, merged cells left blank."""
    trim = rng.random() < 0.3  # some converters drop trailing empty cells
    split_results = rng.random() < 0.25  # seed 000: （一）/（二） labels on their own line
    ragged = rng.random() < 0.2  # seed 003: some rows lose the blank cells of merged labels

    def table_lines(table: Table) -> list[str]:
        lines = []
        rows = zip(table.rows, grid_rows(table, "full"), grid_rows(table, "own"), strict=True)
        for row, full, own in rows:
            drop_merged = ragged and row.key and table.section == _APP and rng.random() < 0.2
            cells = own if drop_merged else full
            if trim:
                while cells and not cells[-1]:
                    cells = cells[:-1]
            if split_results and row.key in ("granted", "partially_granted"):
                n_values = sum(s.value for s in row.cells)
                labels = cells[: len(cells) - n_values]
                lines.append("\t".join(labels + [""] * n_values))
                lines.append("\t".join(["", *cells[len(cells) - n_values :]]))
            else:
                lines.append("\t".join(cells))
        return lines

    return _text_lines(document, table_lines, blank_lines=rng.random() < 0.5)


def render_pipe_rows(document: Document, rng: random.Random) -> str:
    """Like the 2019 fixture and seed 002: ``| a | b |`` rows, long rows sometimes wrapped."""
    leading = rng.random() < 0.6
    mode = "own" if rng.random() < 0.7 else "covered_blank"
    wrap = not leading and rng.random() < 0.5  # seed 002: text copied from a narrow web page

    def row_text(cells: Sequence[str]) -> str:
        body = " | ".join(cells)
        return f"| {body} |" if leading else f"{body} |"

    def table_lines(table: Table) -> list[str]:
        lines = []
        for row, cells in zip(table.rows, grid_rows(table, mode), strict=True):
            long_label = any(len(s.text) > 18 and not s.value for s in row.cells)
            if wrap and row.key and long_label and table.section == _APP:
                # the last number drops to the next line, with the trailing empty cells
                cut = len(cells) - 1
                lines += [row_text(cells[:cut]), row_text([cells[cut], "", ""])]
            else:
                lines.append(row_text(cells))
        return lines

    return _text_lines(document, table_lines)


def render_markdown(document: Document, rng: random.Random) -> str:
    """Pandoc-style markdown: ``#`` headings, pipe tables with a ``|---|`` rule, merged blank."""
    align = rng.choice(("---", ":---", "---"))

    def table_lines(table: Table) -> list[str]:
        rows = grid_rows(table, "full")
        width = len(rows[0])
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join([align] * width) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows[1:]]
        return [*lines, ""]

    return _text_lines(document, table_lines, markdown=True)


def render_cell_per_line(document: Document, rng: random.Random) -> str:
    """Like seed 001: every cell on its own line (tab-indented), a blank line after each row."""
    indent = "\t" if rng.random() < 0.7 else ""

    def table_lines(table: Table) -> list[str]:
        lines = []
        for cells in grid_rows(table, "covered_blank"):
            while cells and not cells[-1]:
                cells = cells[:-1]
            lines += [indent + cell for cell in cells]
            lines.append("")
        return lines

    return _text_lines(document, table_lines)


def render_html(document: Document, rng: random.Random) -> str:
    """A CMS article page: ``<h1>``/``<p>`` text and ``<table>`` with rowspan/colspan."""
    charset = "utf-8" if document.encoding.startswith("utf-8") else "gb2312"
    nbsp = rng.random() < 0.5  # empty cells written as &nbsp;
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        f'<head><meta charset="{charset}"><title>{esc(document.title)}</title></head>',
        "<body>",
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 年度报告</div>',
        '<div class="article">',
        f"<h1>{esc(''.join(document.title_lines))}</h1>",
    ]
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f'<p style="text-indent:2em">{esc(block.text)}</p>')
        else:
            out.append('<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>')
            for row in block.rows:
                cells = []
                for span in row.cells:
                    attrs = "".join(
                        f' {name}="{n}"'
                        for name, n in (("colspan", span.colspan), ("rowspan", span.rowspan))
                        if n > 1
                    )
                    text = esc(span.text) or ("&nbsp;" if nbsp else "")
                    cells.append(f"<td{attrs}>{text}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
    out += ["</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


LAYOUTS: dict[str, Layout] = {
    "tab_grid": render_tab_grid,
    "pipe_rows": render_pipe_rows,
    "markdown": render_markdown,
    "cell_per_line": render_cell_per_line,
    "html": render_html,
}


# ---------------------------------------------------------------------------- prose

_INTROS = (
    "{year}年，{agency}以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国"
    "政府信息公开条例》（以下简称《条例》）和上级关于政务公开工作的部署要求，坚持“以公开为常态、"
    "不公开为例外”，不断提升政务公开质量和实效。现将本年度政府信息公开工作情况报告如下。",
    "本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制，所列数据的统计期限自{year}年"
    "1月1日起至{year}年12月31日止。",
    "{year}年，{agency}在上级党委政府的正确领导下，紧紧围绕中心工作，进一步健全政务公开工作"
    "机制，深化重点领域信息公开，政府信息公开工作取得积极成效。",
)
_ACTIVE_TEXT = (
    "全年通过政府门户网站主动公开政府信息{a}条，其中政策文件{b}条、政策解读{c}篇，及时公开财政"
    "预决算、重大建设项目、公共资源配置等重点领域信息。",
    "坚持“以公开为常态、不公开为例外”的原则，综合运用政务公示栏、微信公众号、电子显示屏等平台，"
    "围绕日常工作、重点项目和惠民政策及时公开相关信息，全年发布信息{a}条。",
    "严格落实主动公开基本目录，在网站“政府信息公开”专栏发布各类信息{a}条，同步更新政务新媒体"
    "{b}条。",
)
_APPLICATION_TEXT = (
    "本年度共收到政府信息公开申请{new}件，上年结转{over}件，均已在法定期限内予以答复。",
    "结转上年度政府信息公开申请{over}件，本年度收到政府信息公开申请数量{new}件，均在规定时间内"
    "规范答复，未发生逾期答复情况。",
    "{year}年，{self}共受理政府信息公开申请{new}件，上年结转政府信息公开申请{over}件，"
    "已按相关规定全部办理。",
)
_APPLICATION_NONE = "本年度未收到政府信息公开申请，无上年结转申请。"
_APPEAL_TEXT = (
    "本年度发生政府信息公开行政复议{review}件，行政诉讼{litigation}件。",
    "全年因政府信息公开被申请行政复议{review}件，被提起行政诉讼{litigation}件。",
)
_APPEAL_NONE = "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"
_MANAGEMENT_TEXT = (
    "严格落实政府信息公开保密审查机制，坚持“先审查、后公开”和“一事一审”原则，动态调整"
    "政府信息公开目录，确保公开信息准确规范。",
    "全面梳理政务公开工作中存在的问题和短板，健全信息发布审核流程，推进政务公开标准化、规范化"
    "建设。",
)
_PLATFORM_TEXT = (
    "充分发挥政府网站第一平台作用，及时更新栏目内容；依托政务新媒体和政务服务大厅电子屏，"
    "拓宽信息公开渠道，方便群众查阅。",
    "在政务服务大厅设置信息查阅点，在社区党群服务中心设置政务公开栏，加大政务公示力度。",
)
_OVERSIGHT_TEXT = (
    "成立政务公开工作领导小组，主要负责同志亲自抓，分管负责同志具体抓，将政务公开工作纳入"
    "年度绩效考核，定期开展业务培训。",
    "主动接受群众监督，畅通意见反馈渠道，及时回应社会关切，未发生因政务公开工作不到位被追责"
    "的情况。",
)
_PROBLEMS = (
    "一是信息公开的及时性、精准性有待加强，部分栏目更新不够及时；二是政策解读形式较为单一，"
    "图解、视频解读数量偏少；三是工作人员业务水平有待进一步提高。",
    "政务公开工作虽然取得了一定成效，但也存在一些不足：公开内容不够全面，与群众需求结合不够紧密，"
    "基层政务公开标准化规范化建设还需深化。",
)
_MEASURES = (
    "一是加强标准化建设，健全信息发布审核流程，不断提升政务公开规范性和及时性；二是丰富解读形式，"
    "提高政策解读质量；三是加强业务培训，提升工作人员能力水平。",
    "下一步，{self}将进一步提升主动公开意识，严格落实《条例》要求，拓展公开渠道，提高政务公开"
    "工作质量。",
)
_OTHER_MATTERS = (
    "本年度未收取信息处理费。",
    "发出收费通知的件数和总金额以及实际收取的总金额均为0。",
    "无。",
    "{year}年度本机关未收取信息处理费。发出收费通知的件数和总金额，以及实际收取的总金额均为0。",
)


def _narrative_blocks(
    rng: random.Random,
    agency: str,
    year: int,
    stated: Mapping[str, Decimal],
    style: _Style,
    exact: bool,
) -> list[Block]:
    """Section 一: an introduction and five short sub-sections, two of which state numbers.

    ``exact`` forces digits (a planted narrative error is never phrased as "none").
    """
    self_name = _self_name(agency)
    values = {
        "year": year,
        "agency": agency,
        "self": self_name,
        "new": stated["applications_received"],
        "over": stated["applications_carried_over"],
        "review": stated["review_cases"],
        "litigation": stated["litigation_cases"],
        "a": _count(rng, 20, 900),
        "b": _count(rng, 1, 60),
        "c": _count(rng, 1, 20),
    }
    no_applications = values["new"] == values["over"] == 0
    no_appeals = values["review"] == values["litigation"] == 0
    applications = (
        _APPLICATION_NONE
        if no_applications and not exact and rng.random() < 0.5
        else rng.choice(_APPLICATION_TEXT)
    )
    appeals = (
        _APPEAL_NONE
        if no_appeals and not exact and rng.random() < 0.5
        else rng.choice(_APPEAL_TEXT)
    )
    appeal_with_applications = rng.random() < 0.6
    active_title = rng.choice(("主动公开情况", "主动公开情况", "主动公开政府信息情况"))
    subsections = [
        (active_title, rng.choice(_ACTIVE_TEXT)),
        (
            "依申请公开情况",
            applications + (appeals if appeal_with_applications else ""),
        ),
        ("政府信息管理情况", rng.choice(_MANAGEMENT_TEXT)),
        ("政府信息公开平台建设情况", rng.choice(_PLATFORM_TEXT)),
        (
            "监督保障情况",
            rng.choice(_OVERSIGHT_TEXT) + ("" if appeal_with_applications else appeals),
        ),
    ]
    inline = rng.random() < 0.5  # "（一）主动公开情况：…" on one line, as seed 000
    blocks: list[Block] = [Paragraph(rng.choice(_INTROS).format(**values))]
    for number, (title, text) in zip("一二三四五", subsections, strict=True):
        heading = style.sub(number) + title
        if inline:
            blocks.append(Paragraph(f"{heading}：{text.format(**values)}"))
        else:
            blocks += [Heading(heading, 3), Paragraph(text.format(**values))]
    return blocks


def _document(
    rng: random.Random,
    agency: str,
    year: int,
    version: str,
    cells: Mapping[Key, Decimal | None],
    narrative: Mapping[str, Decimal],
    encoding: str,
    exact_narrative: bool,
) -> Document:
    style = _random_style(rng)
    title, title_lines = _title(rng, agency, year)
    values = {"year": year, "self": _self_name(agency)}
    app_heading = "三、收到和处理政府信息公开申请情况"
    if rng.random() < 0.05:
        app_heading = "3、 收到和处理政府信息公开申请情况"  # seed 001
    blocks: list[Block] = [Heading("一、总体情况", 2)]
    blocks += _narrative_blocks(rng, agency, year, narrative, style, exact_narrative)
    blocks += [
        Heading("二、主动公开政府信息情况", 2),
        _active_table(cells, version, style),
        Heading(app_heading, 2),
        _application_table(cells, version, style),
        Heading("四、政府信息公开行政复议、行政诉讼情况", 2),
        _appeal_table(cells, style),
        Heading("五、存在的主要问题及改进情况", 2),
        Heading(style.sub("一") + "存在的主要问题", 3),
        Paragraph(rng.choice(_PROBLEMS)),
        Heading(style.sub("二") + "改进措施", 3),
        Paragraph(rng.choice(_MEASURES).format(**values)),
        Heading("六、其他需要报告的事项", 2),
        Paragraph(rng.choice(_OTHER_MATTERS).format(**values)),
    ]
    return Document(title, title_lines, tuple(blocks), encoding)


# ============================================================================ generation


def generate_report(
    rng: random.Random,
    index: int,
    *,
    layout: str,
    template_version: str,
    inject: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    previous: GeneratedReport | None = None,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> GeneratedReport:
    """One report named ``gen_<index>.txt`` (``.html`` for the html layout).

    ``previous`` is the agency's report for ``year - 1``: carried_over continues its
    carried_forward (and the 2021 in_force stock continues). ``inject`` plants one error of a
    kind in ``KINDS``; ``carryover`` needs ``previous``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {sorted(LAYOUTS)}")
    if template_version not in tpl.TEMPLATE_VERSIONS:
        raise ValueError(f"unknown template version {template_version!r}")
    if inject is not None and inject not in KINDS:
        raise ValueError(f"unknown injection {inject!r}; known: {KINDS}")
    if inject == "carryover" and previous is None:
        raise ValueError("a carryover injection needs the previous year's report")
    if previous is not None:
        agency = agency or previous.agency
        year = year or previous.year + 1
    agency = agency or random_agency(rng)
    if year is None:
        year = rng.choice([y for y in YEARS if template_for_year(y) == template_version])
    kind = _agency_kind(agency)
    profile = rng.choices(_PROFILES, _PROFILE_WEIGHTS[kind])[0]

    injected: list[Injection] = []
    carried = None
    if previous is not None:
        carried, planted = _carried_over(rng, previous, break_it=inject == "carryover")
        injected += [planted] if planted else []
    cells: dict[Key, Decimal | None] = {}
    cells.update(_active_values(rng, template_version, kind, previous))
    cells.update(_application_values(rng, template_version, profile, carried))
    cells.update(_appeal_values(rng, profile))
    if rng.random() < 0.03 and inject is None:
        # the 2019 fixture: （七）总计 left as "/" in the 总计 column; its identities not assessable
        cells[(_APP, "total_processed", "total")] = None
    if inject in ARITHMETIC_KINDS:
        injected.append(_inject_arithmetic(rng, inject, template_version, cells))
    # The text states what the tables print; only a narrative injection makes them differ.
    narrative = {k: v for k, v in table_numbers(cells).items() if v is not None}
    if inject == "narrative":
        injected.append(_inject_narrative(rng, narrative))

    document = _document(
        rng, agency, year, template_version, cells, narrative, encoding, inject == "narrative"
    )
    text = LAYOUTS[layout](document, rng)
    if newline != "\n":
        text = text.replace("\n", newline)
    suffix = ".html" if layout == "html" else ".txt"
    return GeneratedReport(
        name=f"gen_{index:05d}{suffix}",
        data=text.encode(encoding),
        agency=agency,
        year=year,
        template_version=template_version,
        layout=layout,
        cells=cells,
        narrative=narrative,
        injected=injected,
        encoding=encoding,
        newline=newline,
        title=document.title,
        previous=previous.name if previous is not None else None,
    )


def generate_corpus(
    n: int,
    seed: int = 0,
    *,
    injected_share: float = 0.2,
    layouts: Sequence[str] | None = None,
) -> list[GeneratedReport]:
    """``n`` reports, deterministic in ``seed``: agencies with runs of consecutive years.

    About ``injected_share`` of the reports carry one planted error (kinds drawn evenly;
    ``carryover`` only where the agency's previous year exists). Encodings are mostly UTF-8
    with some UTF-8 with BOM and GB18030; some files have CRLF line breaks.
    """
    rng = random.Random(seed)
    names = list(layouts or LAYOUTS)
    corpus: list[GeneratedReport] = []
    agencies: set[str] = set()
    while len(corpus) < n:
        agency = random_agency(rng)
        if agency in agencies:
            continue
        agencies.add(agency)
        run = min(rng.choices((1, 2, 3, 4), (35, 30, 20, 15))[0], n - len(corpus))
        first_year = rng.randint(YEARS[0], YEARS[-1] - run + 1)
        usual_layout = rng.choice(names)
        previous = None
        for year in range(first_year, first_year + run):
            layout = usual_layout if rng.random() < 0.7 else rng.choice(names)
            kinds = KINDS if previous is not None else REPORT_KINDS
            inject = rng.choice(kinds) if rng.random() < injected_share else None
            report = generate_report(
                rng,
                len(corpus),
                layout=layout,
                template_version=template_for_year(year),
                inject=inject,
                agency=agency,
                year=year,
                previous=previous,
                encoding=rng.choices(ENCODINGS, (85, 7, 8))[0],
                newline="\r\n" if rng.random() < 0.1 else "\n",
            )
            corpus.append(report)
            previous = report
    return corpus


def write_corpus(corpus: Iterable[GeneratedReport], directory: str | Path) -> list[Path]:
    """Write each report's bytes (already in its own encoding) to ``directory/<name>``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in corpus:
        path = folder / report.name
        path.write_bytes(report.data)
        paths.append(path)
    return paths
