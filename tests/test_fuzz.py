"""Fuzzing the parser with real layouts: truncated, flipped, junk-filled, repeated.

Whatever the bytes, ``parse`` returns a report with a status and its issues; it never raises and
never fails inside (no ``parser_error``: that would be a bug caught by the safety net).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.parsing import parse

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(
    [
        *(FIXTURES / "seeds").glob("*.txt"),
        *(FIXTURES / "reports").iterdir(),
        *(FIXTURES / "real" / "raw").iterdir(),
        *(FIXTURES / "pdf_printed").glob("*libreoffice.pdf"),
    ]
)
JUNK = [
    b"\xff\xfe",
    b"\x00" * 8,
    b"<table><tr><td>",
    "（七）总计 | 1 | 2 |".encode(),
    "三、收到和处理政府信息公开申请情况".encode(),
    b"0000000000000000000000000000000000",
    b"\r\r\n\t|||",
    "<!-- x --><html><body>".encode("gb18030"),
]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    source = draw(st.sampled_from(SOURCES))
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "junk", "repeat", "drop"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "truncate":
            del data[at:]
        elif op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "junk":
            data[at:at] = draw(st.sampled_from(JUNK))
        elif op == "repeat":
            length = draw(st.integers(1, 4000))
            data[at:at] = data[at : at + length]
        elif op == "drop":
            del data[at : at + draw(st.integers(1, 2000))]
    return source.name, bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_no_mutation_of_a_real_layout_escapes_or_breaks_the_parser(case):
    name, data = case
    report = parse(data, name, current_year=2026)

    assert report.parse_status in {"parsed", "partial", "failed"}
    assert "parser_error" not in {i.code for i in report.issues}, [
        i.message for i in report.issues if i.code == "parser_error"
    ]
    if report.parse_status == "failed":
        assert any(i.severity == "error" for i in report.issues)
    keys = [(c.section, c.row_key, c.column_key) for c in report.cells]
    assert len(keys) == len(set(keys))  # no cell read twice
