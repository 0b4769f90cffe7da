"""Parser on encodings, other formats and bad input: bad input is data, never a crash."""

import random
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.parsing import parse
from pipeline.parsing import template as tpl
from pipeline.parsing.identities import identity_verifier
from pipeline.parsing.labels import LabelMatcher, label_core
from pipeline.parsing.values import KIND_EMPTY, KIND_PLACEHOLDER, KIND_TEXT, parse_value

FIXTURES = Path(__file__).parent / "fixtures"
SEED_000 = FIXTURES / "seeds" / "000_d9cb11323f1ad30e.txt"
SEED_004 = FIXTURES / "seeds" / "004_e02f11226f5e83d3.txt"
REPORT_2019 = FIXTURES / "reports" / "2019_format_pipe_rows.txt"


def _codes(report):
    return sorted(i.code for i in report.issues)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "expected_name", "crlf"),
    [
        ("utf-8", "utf-8", True),
        ("utf-8-sig", "utf-8-sig", False),
        ("gb18030", "gb18030", True),
        ("gbk", "gb18030", False),
        ("utf-16", "utf-16", True),  # with BOM
        ("utf-16-le", "utf-16-le", False),  # no BOM
    ],
)
def test_encodings_and_line_breaks_give_identical_cells(encoding, expected_name, crlf):
    text = SEED_000.read_text(encoding="utf-8")
    baseline = parse(text.encode("utf-8"), "a.txt", current_year=2026)
    if crlf:
        text = text.replace("\n", "\r\n")
    report = parse(text.encode(encoding), "b.txt", current_year=2026)
    assert report.encoding == expected_name
    assert report.parse_status == "parsed"
    assert (report.agency, report.year) == ("老城区西南隅街道办事处", 2022)
    assert report.values() == baseline.values()
    assert [c.source_line for c in report.cells] == [c.source_line for c in baseline.cells]


def test_full_width_digits_and_brackets_are_read():
    text = SEED_000.read_text(encoding="utf-8").replace(
        "行政规范性文件\t0\t0\t0", "行政规范性文件\t１２\t０\t１，２０３"
    )
    report = parse(text.encode(), "fw.txt", current_year=2026)
    cell = next(
        c for c in report.cells if (c.row_key, c.column_key) == ("normative_documents", "in_force")
    )
    assert (cell.value, cell.raw_text) == (Decimal(1203), "１，２０３")
    assert report.value("active_disclosure", "normative_documents", "issued") == 12


# --------------------------------------------------------------------------- bad input


def test_random_bytes_fail_with_an_issue():
    report = parse(random.Random(0).randbytes(4096), "garbage.txt", current_year=2026)
    assert report.parse_status == "failed"
    assert report.cells == []
    assert report.issues and report.issues[0].severity == "error"
    assert report.issues[-1].code in {"unreadable", "not_a_report"}


def test_empty_file_fails_as_unreadable():
    report = parse(b"", "empty.txt", current_year=2026)
    assert (report.parse_status, _codes(report)) == ("failed", ["unreadable"])
    assert report.issues[0].message == "empty file"


def test_broken_pdf_bytes_are_reported_not_parsed():
    report = parse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.pdf", current_year=2026)
    assert (report.parse_status, _codes(report)) == ("failed", ["unreadable_pdf"])
    assert "PDF" in report.issues[0].message


def test_text_that_is_not_a_report_fails_with_not_a_report():
    data = "关于做好2023年春节期间安全生产工作的通知\n各单位：请认真做好值班值守工作。\n".encode()
    report = parse(data, "notice.txt", current_year=2026)
    assert report.parse_status == "failed"
    assert "not_a_report" in _codes(report)


def test_truncated_report_is_partial_with_what_was_read():
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("\t\t5.属于三类内部事务信息"))
    report = parse("\n".join(lines[:cut]).encode(), "truncated.txt", current_year=2026)
    assert report.parse_status == "partial"
    cells = report.values()
    assert len([k for k in cells if k[0] == "active_disclosure"]) == 10
    assert cells[("applications", "denied_third_party_rights", "total")] == 0
    assert ("applications", "denied_internal_affairs", "total") not in cells
    missing = {i.row_key for i in report.issues if i.code == "row_missing"}
    assert "denied_internal_affairs" in missing and "carried_forward" in missing
    assert "table_missing" in _codes(report)


# --------------------------------------------------------------------------- formats


def test_2019_format_report_with_signed_changes_and_units():
    report = parse(REPORT_2019.read_bytes(), REPORT_2019.name, current_year=2026)
    assert (report.agency, report.year, report.template_version) == (
        "某某县市场监督管理局",
        2019,
        "2019",
    )
    assert report.parse_status == "parsed"
    assert report.issues == []
    cells = report.values()
    assert set(cells) == tpl.expected_cells("2019")
    assert len(cells) == 22 + 23 * 7 + 15
    assert cells[("active_disclosure", "administrative_license", "change")] == -2
    assert cells[("active_disclosure", "administrative_license", "decisions")] == 1308
    assert cells[("active_disclosure", "other_external_services", "change")] == 1
    assert cells[("active_disclosure", "administrative_penalty", "change")] == 3
    assert cells[("active_disclosure", "administrative_fees", "change")] == -1
    assert cells[("active_disclosure", "government_procurement", "procurement_amount")] == 251000
    other = [cells[("applications", "other_handling", k)] for k in tpl.APPLICANT_KEYS]
    assert other == [1, 1, 0, 0, 1, 0, 3]
    placeholder = next(
        c for c in report.cells if (c.row_key, c.column_key) == ("total_processed", "total")
    )
    assert (placeholder.value, placeholder.raw_text) == (None, "/")


def test_2021_report_printing_a_single_other_handling_row_keeps_it_and_says_so():
    text = REPORT_2019.read_text(encoding="utf-8")
    _, tail = text.split("三、收到和处理政府信息公开申请情况")
    head = SEED_000.read_text(encoding="utf-8").split("三、收到和处理政府信息公开申请情况")[0]
    report = parse(
        (head + "三、收到和处理政府信息公开申请情况" + tail).encode(),
        "mixed.txt",
        current_year=2026,
    )
    assert report.template_version == "2021"
    assert report.value("applications", "other_handling", "total") == 3
    assert "mixed_template" in _codes(report)
    # kept as printed: the 2019 single row stands for the three 2021 rows, nothing is missing
    assert [i.code for i in report.issues if i.code == "row_missing"] == []
    assert {c.row_key for c in report.cells} >= {"other_handling", "total_processed"}
    assert not {"other_no_correction", "other_unpaid_fee", "other_misc"} & {
        c.row_key for c in report.cells
    }
    assert report.parse_status == "parsed"


def test_row_that_cannot_be_resolved_is_null_with_an_error():
    text = SEED_004.read_text(encoding="utf-8")
    # Break the rows the repair relies on: with new_received and granted unreadable, nothing
    # proves which of the eight printed numbers of （七）总计 is surplus.
    text = text.replace(
        "一、本年新收政府信息公开申请数量\t\t16\t0", "一、本年新收政府信息公开申请数量\t\t16"
    )
    text = text.replace("(一) 予以公开\t\t16\t0", "(一) 予以公开\t\t16")
    report = parse(text.encode(), "ambiguous.txt", current_year=2026)
    assert report.parse_status == "partial"
    total = [report.value("applications", "total_processed", k) for k in tpl.APPLICANT_KEYS]
    assert total == [None] * 7
    errors = {(i.code, i.row_key) for i in report.issues if i.severity == "error"}
    assert errors == {
        ("row_value_count", "new_received"),
        ("row_value_count", "granted"),
        ("row_value_count", "total_processed"),
        ("row_value_count", "carried_forward"),  # eight zeros: no longer provable either
    }
    message = next(i.message for i in report.issues if i.row_key == "total_processed")
    assert "16 0 0 0 0 0 0 16" in message  # the printed numbers are not lost


# --------------------------------------------------------------------------- values and labels


@pytest.mark.parametrize(
    ("raw", "value", "kind"),
    [
        ("0", Decimal(0), "number"),
        ("1,192", Decimal(1192), "number"),
        ("１９２", Decimal(192), "number"),
        ("251000元", Decimal(251000), "number"),
        ("3.5万元", Decimal("3.5"), "number"),
        ("22（其中修订16件）", Decimal(22), "number"),
        ("+3", Decimal(3), "number"),
        ("-2", Decimal(-2), "number"),
        ("增3", Decimal(3), "number"),
        ("减2", Decimal(-2), "number"),
        ("0.123456", Decimal("0.123456"), "number"),
        ("0.1234567", None, KIND_TEXT),
        ("", None, KIND_EMPTY),
        ("\u00a0", None, KIND_EMPTY),
        ("/", None, KIND_PLACEHOLDER),
        ("-", None, KIND_PLACEHOLDER),
        ("—", None, KIND_PLACEHOLDER),
        ("无", None, KIND_PLACEHOLDER),
        ("--", None, KIND_PLACEHOLDER),
        ("——", None, KIND_PLACEHOLDER),
        ("–", None, KIND_PLACEHOLDER),
        ("空", None, KIND_PLACEHOLDER),
        ("暂无", None, KIND_PLACEHOLDER),
        ("／", None, KIND_PLACEHOLDER),
        ("\\", None, KIND_PLACEHOLDER),
        ("_", None, KIND_PLACEHOLDER),
        ("89%", None, KIND_TEXT),
        ("行政许可", None, KIND_TEXT),
    ],
)
def test_parse_value(raw, value, kind):
    cell = parse_value(raw)
    assert (cell.value, cell.kind) == (value, kind)


@pytest.mark.parametrize(
    ("printed", "core"),
    [
        ("三、本年度办理结果", "本年度办理结果"),
        ("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", "部分公开"),
        ("（三）不予公开", "不予公开"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ("结果 维持", "结果维持"),
        ("社会组织", "社会公益组织"),
        ("**一是**", "一是"),
    ],
)
def test_label_core(printed, core):
    assert label_core(printed) == core


def test_label_matcher_tolerates_typos_but_not_in_short_labels():
    matcher = LabelMatcher((r.key, r.label) for r in tpl.APPLICATION_ROWS["2021"])
    assert matcher.match("2.其他法律行政止公开").key == "denied_prohibited_by_law"
    assert matcher.match("（七）总计").key == "total_processed"
    assert matcher.match("总记") is None
    assert matcher.match("收到政府信息公开申请5件，均已办结。") is None


def test_appeals_row_with_a_surplus_number_is_repaired_by_its_totals():
    text = SEED_004.read_text(encoding="utf-8").replace(
        "0\t1\t0\t0\t1\t0\t3\t1\t1\t5\t0\t0\t0\t0\t0",
        "0\t1\t0\t0\t1\t0\t3\t1\t1\t5\t0\t0\t0\t0\t0\t0",
    )
    report = parse(text.encode(), "appeals16.txt", current_year=2026)
    assert report.parse_status == "parsed"
    values = [report.value("appeals", "litigation_direct", k) for k in tpl.APPEAL_KEYS]
    assert values == [0, 3, 1, 1, 5]
    (issue,) = [i for i in report.issues if i.code == "row_repaired"][2:]
    assert (issue.section, issue.row_key, issue.source_line) == ("appeals", None, 80)
    assert issue.message.startswith("table 四 row printed 16 numbers for 15 columns")


def test_appeals_row_with_a_missing_number_is_null_with_an_error():
    text = SEED_004.read_text(encoding="utf-8").replace(
        "0\t1\t0\t0\t1\t0\t3\t1\t1\t5\t0\t0\t0\t0\t0", "0\t1\t0\t0\t1\t0\t3\t1\t1\t5\t0\t0\t0\t0"
    )
    report = parse(text.encode(), "appeals14.txt", current_year=2026)
    assert report.parse_status == "partial"
    cells = [c for c in report.cells if c.section == "appeals"]
    assert len(cells) == 15 and all(c.value is None for c in cells)
    (issue,) = [i for i in report.issues if i.code == "row_value_count"]
    assert (issue.severity, issue.row_key) == ("error", None)
    assert "0 1 0 0 1 0 3 1 1 5 0 0 0 0" in issue.message


def test_ocr_typos_in_labels_and_agency_are_read_or_kept_as_printed():
    text = SEED_000.read_text(encoding="utf-8")
    clean = parse(text.encode(), "clean.txt", current_year=2026)
    typo = text.replace("行政复议\t\t\t\t\t行政诉讼", "行政法复议\t\t\t\t\t行政诉讼")
    typo = typo.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    typo = typo.replace("老城区西南隅街道办事处", "沐阳县西南隅街道办事处")

    report = parse(typo.encode(), "typo.txt", current_year=2026)

    assert report.parse_status == "parsed"
    assert report.cells == clean.cells  # the labels matched, every value as before
    assert report.agency == "沐阳县西南隅街道办事处"  # a name is never "corrected"


def _blank_total_column(text: str) -> str:
    """A 2019 report that fills 总计 only on （七）总计: blank the last cell of the result rows."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    end = next(i for i, line in enumerate(lines) if "（七）总计" in line)
    for i in range(start, end):
        cells = lines[i].rstrip().rstrip("|").rsplit("|", 1)
        lines[i] = cells[0] + "|  |"
    return "\n".join(lines) + "\n"


def test_blank_total_column_is_placed_by_the_grid_and_loaded_null():
    clean = parse(REPORT_2019.read_bytes(), "clean.txt", current_year=2026)
    text = _blank_total_column(REPORT_2019.read_text(encoding="utf-8"))

    report = parse(text.encode(), "blank_totals.txt", current_year=2026)

    assert report.parse_status == "parsed"
    placed = {i.row_key for i in report.issues if i.code == "blank_cells_placed"}
    assert len(placed) == 19  # every outcome row of the 2019 format
    for cell in report.cells:
        if cell.row_key in placed and cell.column_key == "total":
            assert (cell.value, cell.raw_text) == (None, "")
        else:
            assert cell.value == clean.value(cell.section, cell.row_key, cell.column_key)


def test_blank_cells_are_not_placed_when_a_number_went_missing_instead():
    text = _blank_total_column(REPORT_2019.read_text(encoding="utf-8"))
    # （一）予以公开 loses a number in the middle: 5 1 0 0 0 0 → 5 1 0 0 0, a blank at the end
    text = text.replace(
        "| （一）予以公开 | 5 | 1 | 0 | 0 | 0 | 0 |", "| （一）予以公开 | 5 | 1 | 0 | 0 | 0 |  |"
    )

    report = parse(text.encode(), "shifted.txt", current_year=2026)

    assert report.parse_status == "partial"
    assert "blank_cells_placed" not in _codes(report)
    assert {i.row_key for i in report.issues if i.code == "row_value_count"} >= {"granted"}


# ----------------------------------------------------------------------------- identities


def _vector(*values):
    return [Decimal(v) for v in values]


def test_repair_verifier_checks_the_row_total_over_all_six_applicant_columns():
    verify = identity_verifier("applications", "2021", tpl.APPLICANT_KEYS)

    # 其他 (the sixth applicant column) counts towards 总计
    assert verify("granted", _vector(1, 0, 0, 0, 0, 1, 1), {}) is None
    assert verify("granted", _vector(1, 0, 0, 0, 0, 1, 2), {}) == set()
    assert verify("granted", _vector(1, 1, 0, 0, 0, 0, 1), {}) is None


def test_repair_verifier_confirms_columns_by_the_balance():
    verify = identity_verifier("applications", "2021", tpl.APPLICANT_KEYS)
    rows = {
        "new_received": _vector(2, 0, 0, 0, 0, 0, 2),
        "carried_over": _vector(1, 0, 0, 0, 0, 0, 1),
        "total_processed": _vector(3, 0, 0, 0, 0, 0, 3),
    }

    assert verify("carried_forward", _vector(0, 0, 0, 0, 0, 0, 0), rows) == set(range(7))
    assert verify("carried_forward", _vector(1, 0, 0, 0, 0, 0, 1), rows) is None


def test_repair_verifier_checks_each_appeal_row_total():
    verify = identity_verifier(
        "appeals", "2021", tpl.APPEAL_KEYS, spans_rows=[r.key for r in tpl.APPEAL_ROWS]
    )

    assert verify("table 四", _vector(*[0] * 15), {}) == set(range(15))
    assert verify("table 四", _vector(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2), {}) == set(
        range(15)
    )
    assert verify("table 四", _vector(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3), {}) is None


def test_a_row_of_another_width_lines_up_with_no_column_identity():
    """A fuzzed PDF-to-markdown page gave table 三 a row of two numbers while a detached row was
    being placed: the balance identity read past its end (IndexError, a parser_error)."""
    verify = identity_verifier("applications", "2021", tpl.APPLICANT_KEYS)
    row = [Decimal(n) for n in (3, 0, 0, 0, 0, 0, 3)]
    zeros = [Decimal(0)] * len(tpl.APPLICANT_KEYS)
    resolved = {"total_processed": row, "carried_forward": zeros}
    # a second row of two numbers: no column can be checked with it
    assert verify("new_received", row, resolved | {"carried_over": [Decimal(5)] * 2}) == set()
    # of the full width, it confirms the columns where the balance holds, and breaks it elsewhere
    assert verify("new_received", row, resolved | {"carried_over": zeros}) == set(range(7))
    assert verify("new_received", row, resolved | {"carried_over": [Decimal(1)] * 7}) is None
