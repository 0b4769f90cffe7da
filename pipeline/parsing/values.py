"""Printed cell text → typed value. Blank and placeholder cells are NULL, never 0."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

MAX_DECIMAL_PLACES = 6

# Cells printed to mean "nothing here": kept as raw text, stored as NULL.
PLACEHOLDERS = frozenset({"/", "\\", "-", "--", "—", "——", "–", "_", "无", "空", "暂无", "／"})

_NUMBER = re.compile(
    r"(?P<sign>[+-]|增加|减少|增|减)?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|件|个|项|条|次|份|家|人次)?"
    r"(?P<note>\(.*\))?"
)

KIND_EMPTY = "empty"
KIND_PLACEHOLDER = "placeholder"
KIND_NUMBER = "number"
KIND_TEXT = "text"
KIND_FUSED = "fused"  # digits of several cells printed with no separator: split by the reader


@dataclass(frozen=True)
class CellValue:
    kind: str  # empty | placeholder | number | text
    value: Decimal | None = None
    note: str | None = None  # unit or remark printed with the number


_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets → ASCII), whitespace removed."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_value(raw: str) -> CellValue:
    """Classify one printed cell and read its number, if it is one."""
    return parse_normalized(normalize(raw))


def parse_normalized(norm: str) -> CellValue:
    """``parse_value`` for text already passed through ``normalize``."""
    text = norm.strip("*")
    if not text:
        return CellValue(KIND_EMPTY)
    if text in PLACEHOLDERS:
        return CellValue(KIND_PLACEHOLDER)
    match = _NUMBER.fullmatch(text)
    if match is None:
        return CellValue(KIND_TEXT)
    frac = match["frac"] or ""
    if len(frac) > MAX_DECIMAL_PLACES:
        return CellValue(KIND_TEXT)
    digits = match["int"].replace(",", "") + (f".{frac}" if frac else "")
    value = Decimal(digits)
    if match["sign"] in ("-", "减", "减少"):
        value = -value
    note = "".join(part for part in (match["unit"], match["note"]) if part) or None
    return CellValue(KIND_NUMBER, value, note)
