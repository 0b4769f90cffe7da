"""Where tables 二, 三, 四 and the 2025 fee table stand in the stream of cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.parsing import template as tpl
from pipeline.parsing.labels import FUZZY_MIN_LENGTH, label_core
from pipeline.parsing.tokens import Token


@dataclass(frozen=True)
class Regions:
    active: tuple[int, int] | None
    applications: tuple[int, int] | None
    appeals: tuple[int, int] | None
    fees: tuple[int, int] | None = None  # 2025 on: 五、信息处理费收取情况 (optional)


def _first(tokens: Sequence[Token], start: int, test: Callable[[Token], bool]) -> int | None:
    for index in range(start, len(tokens)):
        if test(tokens[index]):
            return index
    return None


_APP_START_CORES = {label_core(r.label) for r in tpl.APPLICATION_ROWS["2021"][:2]}
_APPEAL_START_CORES = {"行政复议", "行政诉讼", "结果维持"}


# A heading is a short line; a paragraph that lists the six section names is not one.
MAX_HEADING_LENGTH = 40


# A heading starts with its words, after its numbering (``二、``, ``二``, ``(二)``, ``2.``, ``#``):
# an intro sentence listing the sections (``本报告包括总体情况、主动公开…``) is not one.
_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]?|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[、.]?)"
)


def _heading_text(token: Token) -> str | None:
    """A short text cell without its numbering, or None."""
    if not token.is_text or len(token.norm) > MAX_HEADING_LENGTH:
        return None
    return _HEADING_NUMBER.sub("", token.norm.lstrip("#*"), count=1)


def _is_app_heading(token: Token) -> bool:
    text = _heading_text(token)
    return text is not None and text.startswith("收到和处理政府信息公开申请")


def _is_app_start(token: Token) -> bool:
    return token.is_text and label_core(token.raw) in _APP_START_CORES


def _first_app_row(tokens: Sequence[Token]) -> int | None:
    """Where table 三's first row label stands, also when it is wrapped over two lines."""
    for index, token in enumerate(tokens):
        if not token.is_text:
            continue
        if _is_app_start(token):
            return index
        core = label_core(token.raw)
        if len(core) >= FUZZY_MIN_LENGTH and any(c.startswith(core) for c in _APP_START_CORES):
            following = next((t for t in tokens[index + 1 :] if t.is_text), None)
            if following is not None and following.line == token.line + 1:
                if label_core(token.raw + following.raw) in _APP_START_CORES:
                    return index
    return None


def _is_appeal_start(token: Token) -> bool:
    if not token.is_text:
        return False
    norm = token.norm
    heading = norm.startswith("四") or norm.endswith("情况")
    return label_core(token.raw) in _APPEAL_START_CORES or (
        "行政复议" in norm and "行政诉讼" in norm and heading and len(norm) < MAX_HEADING_LENGTH
    )


def _is_active_start(token: Token) -> bool:
    text = _heading_text(token)
    return text is not None and (
        text.startswith("主动公开政府信息情况") or token.norm.startswith("第二十条")
    )


def find_regions(
    tokens: Sequence[Token], is_app_row: Callable[[Token], bool] | None = None
) -> Regions:
    """Token ranges of tables 二, 三 and 四.

    ``is_app_row`` recognises table 三's row labels: table 四 starts after the last of them, so
    a caption of table 四 that a converter printed above table 三's last rows is passed over.
    """
    app_start = _first_app_row(tokens)
    app_heading = _first(tokens, 0, _is_app_heading)
    active_start = _first(tokens, 0, _is_active_start)
    active_end = app_heading if app_heading is not None else app_start
    if app_start is not None and active_end is not None:
        active_end = min(active_end, app_start)
    active = None
    if active_start is not None and (active_end is None or active_start < active_end):
        active = (active_start, active_end if active_end is not None else len(tokens))
    appeal_search_from = app_start if app_start is not None else (active_end or 0)
    if is_app_row is not None and app_start is not None:
        # from the end: only table 四 and the closing prose are read before the last row label
        last_rows = (i for i in range(len(tokens) - 1, app_start, -1) if is_app_row(tokens[i]))
        appeal_search_from = next(last_rows, app_start)
    appeal_start = _first(tokens, appeal_search_from, _is_appeal_start)
    applications = None
    if app_start is not None:
        applications = (app_start, appeal_start if appeal_start is not None else len(tokens))
    fees_start = _first(tokens, appeal_start or appeal_search_from, _is_fees_start)
    fees = (fees_start, len(tokens)) if fees_start is not None else None
    appeals = None
    if appeal_start is not None:
        appeals = (appeal_start, fees_start if fees_start is not None else len(tokens))
    return Regions(active, applications, appeals, fees)


def _is_fees_start(token: Token) -> bool:
    norm = token.norm
    return (
        token.is_text
        and "信息处理费" in norm
        and len(norm) <= MAX_HEADING_LENGTH
        and (norm.endswith("情况") or "收取" in norm)
    )
