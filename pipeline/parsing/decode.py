"""Bytes → text: detect the encoding, unify line breaks, keep the original characters."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedText:
    lines: list[str]  # line i (1-based) is lines[i - 1]; characters exactly as printed
    encoding: str | None
    problem: str | None = None  # why the bytes could not be read as text, if they could not


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes in every other position."""
    sample = data[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    return "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def decode(data: bytes) -> DecodedText:
    """Decode: BOMs, UTF-8, UTF-16, GB18030 (a superset of GBK/GB2312), then a guess."""
    if not data.strip():
        return DecodedText([], None, "empty file")
    if data.startswith(b"%PDF"):
        return DecodedText([], None, "PDF input is not supported yet")
    candidates: list[tuple[str, bytes]] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates.append(("utf-8-sig", data[len(codecs.BOM_UTF8) :]))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates.append(("utf-16", data))
    else:
        utf16 = _looks_like_utf16(data)
        if utf16:
            candidates.append((utf16, data))
        candidates += [("utf-8", data), ("gb18030", data)]
    for encoding, payload in candidates:
        try:
            text = payload.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) < 0.01:
            return DecodedText(_split_lines(text), encoding)
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _control_ratio(text) < 0.01:
            return DecodedText(_split_lines(text), codecs.lookup(best.encoding).name)
    return DecodedText([], None, "not text in any supported encoding (binary or corrupt file)")


def _split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text.lstrip("\ufeff"))
