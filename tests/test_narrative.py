"""Numbers the section-一 narrative states (narrative.py): the seeds, phrasings, and parse()."""

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.parsing import parse
from pipeline.parsing.model import NarrativeNumber
from pipeline.parsing.narrative import NARRATIVE_KEYS, extract_narrative, narrative_end

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
REPORTS = Path(__file__).parent / "fixtures" / "reports"

RECEIVED, CARRIED, REVIEW, LITIGATION = NARRATIVE_KEYS


def _stated(text: str, year: int | None = None) -> dict[str, Decimal]:
    """Key → value extracted from a narrative given as text (lines split on newlines)."""
    return {n.key: n.value for n in extract_narrative(text.split("\n"), year)}


def _parse_seed(case: str):
    return parse((SEEDS / f"{case}.txt").read_bytes(), f"{case}.txt", current_year=2026)


# Each seed's narrative, checked against what the seed actually says (and its tables).
SEED_NARRATIVES = {
    # "(二) 依申请公开情况：无。"; table 三 new_received 0
    "000_d9cb11323f1ad30e": [
        NarrativeNumber(RECEIVED, Decimal(0), "(二) 依申请公开情况：无", 11),
    ],
    # "依申请公开数量目前暂无，以电话咨询为主"; table 三 new_received 0
    "001_1289612543b54ddb": [
        NarrativeNumber(RECEIVED, Decimal(0), "依申请公开数量目前暂无", 4),
    ],
    # "结转上年度政府信息公开申请0件，本年度收到政府信息公开申请数量5件，…
    #  未产生因信息公开引发的行政复议、行政诉讼案件。"; tables: 5, 0, 0, 0 + 0
    "002_1fda27c24fffeb28": [
        NarrativeNumber(RECEIVED, Decimal(5), "收到政府信息公开申请数量5件", 6),
        NarrativeNumber(CARRIED, Decimal(0), "结转上年度政府信息公开申请0件", 6),
        NarrativeNumber(REVIEW, Decimal(0), "未产生因信息公开引发的行政复议、行政诉讼案件", 6),
        NarrativeNumber(LITIGATION, Decimal(0), "未产生因信息公开引发的行政复议、行政诉讼案件", 6),
    ],
    # "我办事处未收到社会组织或群众个人提出的政府信息公开申请。"; table 三 new_received 0
    "003_24921fc8b53a72a1": [
        NarrativeNumber(RECEIVED, Decimal(0), "未收到社会组织或群众个人提出的政府信息公开申请", 11),
    ],
    # "我办共收到政府信息公开申请数量16件"; the combined "行政复议、行政诉讼的案件为6件"
    # (table 四: review 1 + litigation 5) is attributed to neither key.
    "004_e02f11226f5e83d3": [
        NarrativeNumber(RECEIVED, Decimal(16), "收到政府信息公开申请数量16件", 13),
    ],
}


@pytest.mark.parametrize("case", sorted(SEED_NARRATIVES))
def test_seed_narrative(case):
    assert _parse_seed(case).narrative == SEED_NARRATIVES[case]


def test_every_seed_is_covered():
    assert sorted(SEED_NARRATIVES) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_seed_narrative_agrees_with_its_tables():
    targets = {
        RECEIVED: [("applications", "new_received")],
        CARRIED: [("applications", "carried_over")],
        REVIEW: [("appeals", "review")],
        LITIGATION: [("appeals", "litigation_direct"), ("appeals", "litigation_after_review")],
    }
    for case in SEED_NARRATIVES:
        report = _parse_seed(case)
        for number in report.narrative:
            table = sum(report.value(section, row, "total") for section, row in targets[number.key])
            assert number.value == table, (case, number)


def test_2019_fixture_narrative_states_nothing():
    data = (REPORTS / "2019_format_pipe_rows.txt").read_bytes()
    assert parse(data, "2019_format_pipe_rows.txt", current_year=2026).narrative == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年度共收到政府信息公开申请16件，其中自然人申请15件。", {RECEIVED: 16}),
        ("全年新收政府信息公开申请3件，上年结转1件。", {RECEIVED: 3, CARRIED: 1}),
        ("本年度收到政府信息公开申请５件，上年结转０件。", {RECEIVED: 5, CARRIED: 0}),
        ("本年度新收政府信息公开申请十二件。", {RECEIVED: 12}),
        ("共受理政府信息公开申请一百零五件。", {RECEIVED: 105}),
        ("共受理政府信息公开申请两千零三件。", {RECEIVED: 2003}),
        ("市政府共受理政府信息公开申请 1295 件，办结 1191 件。", {RECEIVED: 1295}),
        ("共收到依申请公开事项7件，均按期答复。", {RECEIVED: 7}),
        ("结转上年度政府信息公开申请2件。", {CARRIED: 2}),
        ("未收到政府信息公开申请。", {RECEIVED: 0}),
        ("本年度没有收到公民、法人或其他组织提出的政府信息公开申请。", {RECEIVED: 0}),
        ("收到政府信息公开申请2件，此外未收到其他政府信息公开申请。", {RECEIVED: 2}),
        ("依申请公开方面，全年未收到申请。", {RECEIVED: 0}),
        ("本年度无政府信息公开申请。", {RECEIVED: 0}),
        ("（二）依申请公开情况：暂无。", {RECEIVED: 0}),
        ("无上年结转申请。", {CARRIED: 0}),
        ("因政府信息公开被申请行政复议1件、被提起行政诉讼2件。", {REVIEW: 1, LITIGATION: 2}),
        ("因政府信息公开被申请行政复议1件，行政诉讼2件。", {REVIEW: 1, LITIGATION: 2}),
        ("本年度因政府信息公开被申请行政复议两起。", {REVIEW: 2}),
        ("涉及政府信息公开的行政诉讼案件2件，被纠错0件。", {LITIGATION: 2}),
        ("本年度行政复议0件，行政诉讼0件。", {REVIEW: 0, LITIGATION: 0}),
        ("本年度无行政复议。", {REVIEW: 0}),
        ("没有发生政府信息公开行政复议案件。", {REVIEW: 0}),
        ("未发生因政府信息公开引起的行政复议和行政诉讼。", {REVIEW: 0, LITIGATION: 0}),
        ("无因政府信息公开申请行政复议或提起行政诉讼的情况。", {REVIEW: 0, LITIGATION: 0}),
        ("行政复议、行政诉讼均为零。", {REVIEW: 0, LITIGATION: 0}),
        ("行政复议和行政诉讼共0件。", {REVIEW: 0, LITIGATION: 0}),
        (
            "全年未收到政府信息公开申请，未发生行政复议、行政诉讼案件。",
            {RECEIVED: 0, REVIEW: 0, LITIGATION: 0},
        ),
        # PDF text wraps mid-sentence: lines are joined
        ("本年度共收到政府信息公开申请\n5件，均已按期答复。", {RECEIVED: 5}),
        # the same value stated twice: kept once
        ("收到政府信息公开申请5件。\n共收到政府信息公开申请5件。", {RECEIVED: 5}),
    ],
)
def test_phrasing_stated(text, expected):
    assert _stated(text) == {key: Decimal(value) for key, value in expected.items()}


@pytest.mark.parametrize(
    "text",
    [
        "全年办结政府信息公开申请15件。",  # completed, not received
        "共受理并答复政府信息公开申请5件。",  # received and answered: may include carried-over
        "不予受理政府信息公开申请2件。",
        "全年共收到政府信息公开申请5件（含上年结转1件）。",  # a total including carried-over
        "共收到政府信息公开申请5件，其中上年结转1件。",
        "办结1191件（含上年结转189件），均在法定期限内答复。",  # carried-over among completed
        "办结上年结转申请2件。",
        "共收到政府信息公开申请10余件。",  # approximate
        "共收到政府信息公开申请三四件。",
        "自收到政府信息公开申请15个工作日内予以答复。",  # a duration
        "全区各行政机关共受理政府信息公开申请267件。",  # area-wide
        "全区各级行政机关，共受理政府信息公开申请267件。",
        "上年度收到政府信息公开申请8件。",  # another period
        "全年收到群众来信5件。",
        "共收到咨询和政府信息公开申请12件。",  # counted together with something else
        "收到涉及政府信息公开的行政复议申请2件。",  # as the reviewing body, not the respondent
        "全年连线政府受理群众诉求办理7件。",
        "未收到行政复议申请。",
        "全年未收到申请。",  # a bare 申请 with nothing saying it is about disclosure
        "本年度被依法申请行政复议、行政诉讼的案件为6件。",  # combined
        "行政复议和行政诉讼共6件。",
        "被申请行政复议、行政诉讼各1件。",
        "政府信息公开复议诉讼6件。",
        "全年办理行政复议案件120件。",  # not said to concern disclosure
        "本年度未办理行政复议案件。",  # as the reviewing body
        "本年度行政复议1件，行政诉讼2件。",
        "因政府信息公开未经复议直接提起行政诉讼2件。",  # a subset of litigation
        "因政府信息公开复议后提起行政诉讼1件。",
        "因政府信息公开被行政复议纠错1件。",  # an outcome
        "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",  # zero corrections, not cases
        "未经行政复议直接提起的行政诉讼案件。",
        "收到政府信息公开申请5件。\n本年度收到政府信息公开申请6件。",  # conflicting repeats
        "未收到政府信息公开申请。\n共收到政府信息公开申请3件。",
    ],
)
def test_phrasing_not_stated(text):
    assert _stated(text) == {}


def test_year_named_before_the_number_must_be_the_reports():
    text = "2022年收到政府信息公开申请8件，2023年收到政府信息公开申请10件。"
    assert _stated(text, 2023) == {RECEIVED: Decimal(10)}
    assert _stated("截至2023年12月31日，共收到政府信息公开申请10件。", 2023) == {
        RECEIVED: Decimal(10)
    }
    assert _stated("2023年，与2022年相比，共收到政府信息公开申请10件。", 2023) == {}


def test_raw_text_and_line_of_a_wrapped_pdf_sentence():
    lines = [
        "一、总体情况",
        "（二）依申请公开方面",
        "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含",
        "上年结转 189 件），均在法定期限内答复。全年未发生因依申请公开被行政复议纠错或",
        "行政诉讼败诉情形。",
        "— 2 —",
        "二、主动公开政府信息情况",
    ]
    assert extract_narrative(lines) == [
        NarrativeNumber(RECEIVED, Decimal(1295), "受理政府信息公开申请 1295 件", 3),
    ]
    wrapped = ["本年度共收到政府信息公开", "申请 5 件。"]
    assert extract_narrative(wrapped) == [
        NarrativeNumber(RECEIVED, Decimal(5), "收到政府信息公开申请 5 件", 1),
    ]


REPORT_WITH_TABLES = """\
某某街道办事处2023年政府信息公开工作年度报告
一、总体情况
（一）主动公开政府信息情况
全年主动公开政府信息120条。
（二）依申请公开
本年度收到政府信息公开申请2件，上年结转1件。
二、主动公开政府信息情况
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2
五、存在的主要问题及改进情况
明年预计收到政府信息公开申请9件，未发生行政复议。
"""


def test_only_the_narrative_is_read():
    lines = REPORT_WITH_TABLES.split("\n")
    assert narrative_end(lines) == 6  # a sub-heading "主动公开政府信息情况" does not end it
    assert _stated(REPORT_WITH_TABLES) == {RECEIVED: Decimal(2), CARRIED: Decimal(1)}


def test_parse_fills_narrative():
    report = parse(REPORT_WITH_TABLES.encode("utf-8"), "report.txt", current_year=2026)
    assert report.year == 2023
    assert report.narrative == [
        NarrativeNumber(RECEIVED, Decimal(2), "收到政府信息公开申请2件", 6),
        NarrativeNumber(CARRIED, Decimal(1), "上年结转1件", 6),
    ]


def test_parse_of_a_non_report_has_no_narrative():
    report = parse("本年度收到政府信息公开申请2件。".encode(), "note.txt", current_year=2026)
    assert report.parse_status == "failed"
    assert report.narrative == []
