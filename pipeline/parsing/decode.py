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
    # bytes no encoding could read, each kept as U+FFFD: (1-based line, the bytes in hex)
    damaged: tuple[tuple[int, str], ...] = ()


# A text with at most this many undecodable bytes (and at most this share of them) is read with
# those bytes marked, not thrown away.
MAX_DAMAGED_BYTES = 64
MAX_DAMAGED_SHARE = 0.001


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
            # a few stray bytes in otherwise valid text: read it with them marked
            damaged = _decode_damaged(payload, encoding) if "utf-16" not in encoding else None
            if damaged is not None:
                return damaged
            continue
        if _control_ratio(text) < 0.01:
            return DecodedText(_split_lines(text), encoding)
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _control_ratio(text) < 0.01:
            return DecodedText(_split_lines(text), codecs.lookup(best.encoding).name)
    return DecodedText([], None, "not text in any supported encoding (binary or corrupt file)")


_ESCAPED = re.compile(r"[\udc80-\udcff]+")


def _decode_damaged(data: bytes, encoding: str) -> DecodedText | None:
    """Text in ``encoding`` but for a few stray bytes: read, each bad byte marked as U+FFFD."""
    text = data.decode(encoding, errors="surrogateescape")  # a bad byte b becomes U+DC00 + b
    count = sum(len(m.group()) for m in _ESCAPED.finditer(text))
    if count == 0 or count > MAX_DAMAGED_BYTES or count > MAX_DAMAGED_SHARE * len(data) + 1:
        return None
    lines = _split_lines(text)
    damaged = tuple(
        (number, bytes(ord(c) - 0xDC00 for c in match.group()).hex(" "))
        for number, line in enumerate(lines, start=1)
        for match in _ESCAPED.finditer(line)
    )
    lines = [_ESCAPED.sub(lambda m: "\ufffd" * len(m.group()), line) for line in lines]
    if _control_ratio("".join(lines)) >= 0.01:
        return None
    return DecodedText(lines, encoding, damaged=damaged)


def _split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text.lstrip("\ufeff"))
