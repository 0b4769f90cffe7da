"""What happens to bad input in the parser: every case is a report with its issues, never a crash.

Each test is one line of the README's "What happens to bad input" section.
"""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.parsing import parse

REAL = Path(__file__).parent / "fixtures" / "real" / "raw"
SPACED = (REAL / "17_pingtan_jiaotongjiansheju_2022.page.txt").read_bytes()
PAGE = (REAL / "12_pingtan_2023.html").read_bytes()


def read(data: bytes, name: str = "report.txt"):
    return parse(data, name, current_year=2026)


def codes(report) -> list[str]:
    return sorted(i.code for i in report.issues if i.severity != "info")


def test_a_stray_invalid_byte_in_utf8_text_is_marked_not_fatal():
    at = SPACED.index("行政许可".encode())
    report = read(SPACED[:at] + b"\xff" + SPACED[at:])

    assert (report.parse_status, report.encoding) == ("parsed", "utf-8")
    assert report.values() == read(SPACED).values()
    (issue,) = [i for i in report.issues if i.code == "undecodable_bytes"]
    assert issue.severity == "warning" and issue.source_line == 10
    assert issue.message.startswith("bytes ff are not utf-8")


def test_stray_bytes_in_gb18030_text_are_marked_too():
    text = SPACED.decode("utf-8").encode("gb18030")
    at = text.index("行政许可".encode("gb18030"))
    report = read(text[:at] + b"\xff" + text[at:])

    assert (report.parse_status, report.encoding) == ("parsed", "gb18030")
    assert codes(report) == ["undecodable_bytes"]
    assert report.values() == read(SPACED).values()


def test_a_file_that_is_mostly_undecodable_is_failed_with_the_reason():
    noise = random.Random(1).randbytes(6000)
    report = read(SPACED[:200] + noise)

    assert report.parse_status == "failed"
    assert codes(report) == ["unreadable"]
    assert "not text" in report.issues[0].message


def test_a_page_an_unclosed_comment_swallows_is_not_a_report():
    report = read(b"<!-- ->\n" + PAGE.split(b"-->", 1)[1], "page.html")

    assert report.parse_status == "failed"
    assert codes(report) == ["agency_not_found", "not_a_report", "year_not_found"]


def test_a_truncated_report_keeps_what_it_printed():
    cut = SPACED.index("（四）无法提供".encode())
    report = read(SPACED[:cut])

    assert report.parse_status == "partial"
    assert report.value("applications", "granted", "total") == 7
    assert "table_missing" in codes(report) and "row_missing" in codes(report)


def test_empty_and_binary_files_are_failed():
    assert codes(read(b"")) == ["unreadable"]
    assert codes(read(b"   \n\n")) == ["unreadable"]
    assert read(b"\x00\x01\x02" * 3000).parse_status == "failed"
