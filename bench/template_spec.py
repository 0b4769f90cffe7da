"""The national template as the test oracle states it, written from ``report-template.md``.

Deliberately independent of ``pipeline/parsing/template.py``: the generator renders reports and
computes their truth and broken identities from this statement, so a mistake in the parser's
template cannot pass the generated-corpus tests. ``tests/test_template_spec.py`` checks that the
two statements agree.
"""

from __future__ import annotations

from typing import NamedTuple

TEMPLATE_VERSIONS = ("2019", "2021")


class Row(NamedTuple):
    key: str
    label: str
    parent: str | None
    columns: tuple[str, ...]


class Column(NamedTuple):
    key: str
    label: str


# 表三 columns: 自然人, 法人或其他组织 › (商业企业 … 其他), 总计
APPLICANT_KEYS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_organization",
    "legal_service_agency",
    "other_org",
    "total",
)
# 表四 columns under each of 行政复议, 未经复议直接起诉, 复议后起诉
APPEAL_KEYS = ("upheld", "corrected", "other", "pending", "total")

_RESULT = "三、本年度办理结果"


def _table_3(version: str) -> tuple[Row, ...]:
    spec: list[tuple[str, str, str | None]] = [
        ("new_received", "一、本年新收政府信息公开申请数量", None),
        ("carried_over", "二、上年结转政府信息公开申请数量", None),
        ("granted", "（一）予以公开", _RESULT),
        ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULT),
        ("denied_state_secret", "1.属于国家秘密", "（三）不予公开"),
        ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", "（三）不予公开"),
        ("denied_security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
        ("denied_third_party_rights", "4.保护第三方合法权益", "（三）不予公开"),
        ("denied_internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
        ("denied_process_info", "6.属于四类过程性信息", "（三）不予公开"),
        ("denied_enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
        ("denied_query_matter", "8.属于行政查询事项", "（三）不予公开"),
        ("unable_not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
        ("unable_needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
        ("unable_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
        ("rejected_petition", "1.信访举报投诉类申请", "（五）不予处理"),
        ("rejected_duplicate", "2.重复申请", "（五）不予处理"),
        ("rejected_publication", "3.要求提供公开出版物", "（五）不予处理"),
        ("rejected_excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
        ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ]
    if version == "2021":
        spec += [
            (
                "other_no_correction",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "（六）其他处理",
            ),
            (
                "other_unpaid_fee",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "（六）其他处理",
            ),
            ("other_misc", "3.其他", "（六）其他处理"),
        ]
    else:
        spec.append(("other_handling", "（六）其他处理", _RESULT))
    spec += [
        ("total_processed", "（七）总计", _RESULT),
        ("carried_forward", "四、结转下年度继续办理", None),
    ]
    return tuple(Row(key, label, parent, APPLICANT_KEYS) for key, label, parent in spec)


APPLICATION_ROWS = {version: _table_3(version) for version in TEMPLATE_VERSIONS}

APPEAL_ROWS = (
    Row("review", "行政复议", None, APPEAL_KEYS),
    Row("litigation_direct", "未经复议直接起诉", "行政诉讼", APPEAL_KEYS),
    Row("litigation_after_review", "复议后起诉", "行政诉讼", APPEAL_KEYS),
)

_ITEM_1 = "第二十条第（一）项"
_ITEM_5 = "第二十条第（五）项"
_ITEM_6 = "第二十条第（六）项"
_ITEM_8 = "第二十条第（八）项"
_ITEM_9 = "第二十条第（九）项"
_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2019 = ("new_made", "new_published", "total_published")
_ITEMS_2019 = ("prev_year_items", "change", "decisions")

ACTIVE_ROWS = {
    "2021": (
        Row("rules", "规章", _ITEM_1, _DOCS_2021),
        Row("normative_documents", "行政规范性文件", _ITEM_1, _DOCS_2021),
        Row("administrative_license", "行政许可", _ITEM_5, ("decisions",)),
        Row("administrative_penalty", "行政处罚", _ITEM_6, ("decisions",)),
        Row("administrative_coercion", "行政强制", _ITEM_6, ("decisions",)),
        Row("administrative_fees", "行政事业性收费", _ITEM_8, ("amount_10k_yuan",)),
    ),
    "2019": (
        Row("rules", "规章", _ITEM_1, _DOCS_2019),
        Row("normative_documents", "规范性文件", _ITEM_1, _DOCS_2019),
        Row("administrative_license", "行政许可", _ITEM_5, _ITEMS_2019),
        Row("other_external_services", "其他对外管理服务事项", _ITEM_5, _ITEMS_2019),
        Row("administrative_penalty", "行政处罚", _ITEM_6, _ITEMS_2019),
        Row("administrative_coercion", "行政强制", _ITEM_6, _ITEMS_2019),
        Row("administrative_fees", "行政事业性收费", _ITEM_8, ("prev_year_items", "change")),
        Row(
            "government_procurement",
            "政府集中采购",
            _ITEM_9,
            ("procurement_items", "procurement_amount"),
        ),
    ),
}

ACTIVE_COLUMNS = {
    "2021": (
        Column("issued", "本年制发件数"),
        Column("repealed", "本年废止件数"),
        Column("in_force", "现行有效件数"),
        Column("decisions", "本年处理决定数量"),
        Column("amount_10k_yuan", "本年收费金额（单位：万元）"),
    ),
    "2019": (
        Column("new_made", "本年新制作数量"),
        Column("new_published", "本年新公开数量"),
        Column("total_published", "对外公开总数量"),
        Column("prev_year_items", "上一年项目数量"),
        Column("change", "本年增/减"),
        Column("decisions", "处理决定数量"),
        Column("procurement_items", "采购项目数量"),
        Column("procurement_amount", "采购总金额"),
    ),
}

# Money may be fractional; 本年增/减 may be negative; every other cell is a whole count.
DECIMAL_COLUMNS = frozenset({"amount_10k_yuan", "procurement_amount"})
SIGNED_COLUMNS = frozenset({"change"})

FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def outcome_rows(version: str) -> tuple[str, ...]:
    """Each application has exactly one outcome: the rows of 三、本年度办理结果 but （七）总计."""
    return tuple(r.key for r in APPLICATION_ROWS[version] if r.key not in FLOW_ROWS)


def identities(version: str) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """rule → (section, expected terms, actual terms), as report-template.md states them.

    balance and outcomes hold in every applicant column (terms are rows); row_total and
    appeal_total in every row (terms are columns).
    """
    return {
        "balance": (
            "applications",
            ("new_received", "carried_over"),
            ("total_processed", "carried_forward"),
        ),
        "outcomes": ("applications", ("total_processed",), outcome_rows(version)),
        "row_total": ("applications", ("total",), APPLICANT_KEYS[:-1]),
        "appeal_total": ("appeals", ("total",), APPEAL_KEYS[:-1]),
    }
