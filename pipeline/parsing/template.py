"""The national report template (2019 and 2021 formats): canonical keys, labels and order.

The keys are a public contract (see README); ``sql/`` dimension tables are filled from here.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("active_disclosure", "applications", "appeals")
# Sections some reports add (2025 on): stored when printed, never required.
OPTIONAL_SECTIONS = ("fees",)
TEMPLATE_VERSIONS = ("2019", "2021")


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # official wording
    parent: str | None  # group label the row sits under, if any
    columns: tuple[str, ...]  # column keys this row carries, in printed order
    aliases: tuple[str, ...] = ()  # other wordings seen in real reports


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    parent: str | None = None


APPLICANT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("commercial_enterprise", "商业企业", "法人或其他组织"),
    ColumnSpec("research_institution", "科研机构", "法人或其他组织"),
    ColumnSpec("social_organization", "社会公益组织", "法人或其他组织"),
    ColumnSpec("legal_service_agency", "法律服务机构", "法人或其他组织"),
    ColumnSpec("other_org", "其他", "法人或其他组织"),
    ColumnSpec("total", "总计"),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)

APPEAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计"),
)
APPEAL_KEYS = tuple(c.key for c in APPEAL_COLUMNS)

_RESULTS = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"


def _app(key: str, label: str, parent: str | None = None, *aliases: str) -> RowSpec:
    return RowSpec(key, label, parent, APPLICANT_KEYS, aliases)


_APPLICATION_HEAD = (
    _app("new_received", "一、本年新收政府信息公开申请数量"),
    _app("carried_over", "二、上年结转政府信息公开申请数量"),
    _app("granted", "（一）予以公开", _RESULTS),
    _app("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULTS),
    _app("denied_state_secret", "1.属于国家秘密", _DENIED),
    _app("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", _DENIED),
    _app("denied_security_stability", "3.危及“三安全一稳定”", _DENIED),
    _app("denied_third_party_rights", "4.保护第三方合法权益", _DENIED),
    _app("denied_internal_affairs", "5.属于三类内部事务信息", _DENIED),
    _app("denied_process_info", "6.属于四类过程性信息", _DENIED),
    _app("denied_enforcement_file", "7.属于行政执法案卷", _DENIED),
    _app("denied_query_matter", "8.属于行政查询事项", _DENIED),
    _app("unable_not_held", "1.本机关不掌握相关政府信息", _UNABLE),
    _app("unable_needs_creation", "2.没有现成信息需要另行制作", _UNABLE),
    _app("unable_unclear", "3.补正后申请内容仍不明确", _UNABLE),
    _app("rejected_petition", "1.信访举报投诉类申请", _REJECTED),
    _app("rejected_duplicate", "2.重复申请", _REJECTED),
    _app("rejected_publication", "3.要求提供公开出版物", _REJECTED),
    _app("rejected_excessive", "4.无正当理由大量反复申请", _REJECTED),
    _app("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", _REJECTED),
)
_APPLICATION_OTHER_2021 = (
    _app(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
    ),
    _app(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
    ),
    _app("other_misc", "3.其他", _OTHER),
)
OTHER_ROWS_2021 = tuple(r.key for r in _APPLICATION_OTHER_2021)  # （六）'s sub-rows in 2021
_APPLICATION_OTHER_2019 = (_app("other_handling", "（六）其他处理", _RESULTS),)
_APPLICATION_TAIL = (
    _app("total_processed", "（七）总计", _RESULTS),
    _app("carried_forward", "四、结转下年度继续办理"),
)

APPLICATION_ROWS: dict[str, tuple[RowSpec, ...]] = {
    "2021": _APPLICATION_HEAD + _APPLICATION_OTHER_2021 + _APPLICATION_TAIL,
    "2019": _APPLICATION_HEAD + _APPLICATION_OTHER_2019 + _APPLICATION_TAIL,
}
# Group cells of table 三 that carry no numbers. （六）其他处理 is not listed: it is a group in the
# 2021 format but the data row other_handling in 2019, so the parser lets the numbers decide.
APPLICATION_GROUP_LABELS = ("三、本年度办理结果", _DENIED, _UNABLE, _REJECTED)

APPEAL_ROWS: tuple[RowSpec, ...] = (
    RowSpec("review", "行政复议", None, APPEAL_KEYS),
    RowSpec("litigation_direct", "未经复议直接起诉", "行政诉讼", APPEAL_KEYS),
    RowSpec("litigation_after_review", "复议后起诉", "行政诉讼", APPEAL_KEYS),
)

ACTIVE_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "2021": (
        ColumnSpec("issued", "本年制发件数"),
        ColumnSpec("repealed", "本年废止件数"),
        ColumnSpec("in_force", "现行有效件数"),
        ColumnSpec("decisions", "本年处理决定数量"),
        ColumnSpec("amount_10k_yuan", "本年收费金额（单位：万元）"),
    ),
    "2019": (
        ColumnSpec("new_made", "本年新制作数量"),
        ColumnSpec("new_published", "本年新公开数量"),
        ColumnSpec("total_published", "对外公开总数量"),
        ColumnSpec("prev_year_items", "上一年项目数量"),
        ColumnSpec("change", "本年增/减"),
        ColumnSpec("decisions", "处理决定数量"),
        ColumnSpec("procurement_items", "采购项目数量"),
        ColumnSpec("procurement_amount", "采购总金额"),
    ),
}

_ART1 = "第二十条第（一）项"
_ART5 = "第二十条第（五）项"
_ART6 = "第二十条第（六）项"
_ART8 = "第二十条第（八）项"
_ART9 = "第二十条第（九）项"
_LICENSE_2019 = ("prev_year_items", "change", "decisions")

ACTIVE_ROWS: dict[str, tuple[RowSpec, ...]] = {
    "2021": (
        RowSpec("rules", "规章", _ART1, ("issued", "repealed", "in_force")),
        RowSpec("normative_documents", "行政规范性文件", _ART1, ("issued", "repealed", "in_force")),
        RowSpec("administrative_license", "行政许可", _ART5, ("decisions",)),
        RowSpec("administrative_penalty", "行政处罚", _ART6, ("decisions",)),
        RowSpec("administrative_coercion", "行政强制", _ART6, ("decisions",)),
        RowSpec("administrative_fees", "行政事业性收费", _ART8, ("amount_10k_yuan",)),
    ),
    "2019": (
        RowSpec("rules", "规章", _ART1, ("new_made", "new_published", "total_published")),
        RowSpec(
            "normative_documents",
            "规范性文件",
            _ART1,
            ("new_made", "new_published", "total_published"),
            ("行政规范性文件",),
        ),
        RowSpec("administrative_license", "行政许可", _ART5, _LICENSE_2019),
        RowSpec("other_external_services", "其他对外管理服务事项", _ART5, _LICENSE_2019),
        RowSpec("administrative_penalty", "行政处罚", _ART6, _LICENSE_2019),
        RowSpec("administrative_coercion", "行政强制", _ART6, _LICENSE_2019),
        RowSpec("administrative_fees", "行政事业性收费", _ART8, ("prev_year_items", "change")),
        RowSpec(
            "government_procurement",
            "政府集中采购",
            _ART9,
            ("procurement_items", "procurement_amount"),
        ),
    ),
}

# 2025 reports on: 五、信息处理费收取情况, a small table outside the 2019/2021 templates (optional).
FEE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("notified_count", "通知收取件数"),
    ColumnSpec("notified_amount_yuan", "通知收取金额（元）"),
    ColumnSpec("collected_amount_yuan", "实际收取金额（元）"),
)
FEE_ROWS: tuple[RowSpec, ...] = (
    RowSpec(
        "information_processing_fee",
        "信息处理费收取情况",
        None,
        tuple(c.key for c in FEE_COLUMNS),
    ),
)

# Columns whose values may be signed or fractional; every other cell is a non-negative integer.
SIGNED_COLUMNS = frozenset({"change"})
DECIMAL_COLUMNS = frozenset(
    {"amount_10k_yuan", "procurement_amount", "notified_amount_yuan", "collected_amount_yuan"}
)


def value_kind(column_key: str) -> str:
    """``signed`` (本年增/减), ``amount`` (money, may be fractional) or ``count``."""
    if column_key in SIGNED_COLUMNS:
        return "signed"
    if column_key in DECIMAL_COLUMNS:
        return "amount"
    return "count"


def rows_for(section: str, template_version: str) -> tuple[RowSpec, ...]:
    """The data rows of one section in printed order."""
    if section == "applications":
        return APPLICATION_ROWS[template_version]
    if section == "appeals":
        return APPEAL_ROWS
    if section == "active_disclosure":
        return ACTIVE_ROWS[template_version]
    if section == "fees":
        return FEE_ROWS
    raise ValueError(f"unknown section {section!r}")


def expected_cells(template_version: str) -> set[tuple[str, str, str]]:
    """Every (section, row_key, column_key) a complete report of this format has."""
    return {
        (section, row.key, col)
        for section in SECTIONS
        for row in rows_for(section, template_version)
        for col in row.columns
    }


# Rows of table 三 that are not outcomes: the flow of applications through the year.
FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")

OUTCOME_ROWS: dict[str, tuple[str, ...]] = {
    version: tuple(r.key for r in APPLICATION_ROWS[version] if r.key not in FLOW_ROWS)
    for version in TEMPLATE_VERSIONS
}

ALONG_COLUMNS = "column"  # checked in every column; its terms are rows
ALONG_ROWS = "row"  # checked in every row; its terms are columns


@dataclass(frozen=True)
class Identity:
    """An arithmetic identity (勾稽关系) of one section: sum(expected) = sum(actual).

    ``along`` says what it is checked for: every column (terms are row keys) or every row
    (terms are column keys). ``rule`` is the family; a check's rule_id is ``rule:<column or row>``.
    """

    rule: str
    section: str
    along: str
    expected: tuple[str, ...]
    actual: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.expected, *self.actual)


def identities(template_version: str) -> tuple[Identity, ...]:
    """The identities a report of this format must satisfy (report-template.md)."""
    return (
        Identity(
            "balance",
            "applications",
            ALONG_COLUMNS,
            ("new_received", "carried_over"),
            ("total_processed", "carried_forward"),
        ),
        Identity(
            "outcomes",
            "applications",
            ALONG_COLUMNS,
            ("total_processed",),
            OUTCOME_ROWS[template_version],
        ),
        Identity("row_total", "applications", ALONG_ROWS, ("total",), APPLICANT_KEYS[:-1]),
        Identity("appeal_total", "appeals", ALONG_ROWS, ("total",), APPEAL_KEYS[:-1]),
    )


def application_rows_version(printed_rows: set[str] | frozenset[str], version: str | None) -> str:
    """Which （六）其他处理 structure a report's table 三 has: the rows it printed decide
    (a 2021 report may print the 2019 single row ``other_handling``), else its format."""
    if "other_handling" in printed_rows:
        return "2019"
    if printed_rows & set(OTHER_ROWS_2021):
        return "2021"
    return version or "2021"
