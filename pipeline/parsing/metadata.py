"""Agency and year: from the title, or from the body text when there is no title."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.parsing.values import normalize

MIN_YEAR = 2008  # the 条例 took effect on 2008-05-01
TITLE_SCAN_LINES = 12
_MAX_TITLE_LENGTH = 70

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DISCLOSURE = r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
_TITLE_PATTERNS = (
    # 老城区西南隅街道办事处2022年政府信息公开工作年度报告
    re.compile(rf"^(?P<agency>.+?)(?:关于)?{_YEAR}年度?{_DISCLOSURE}"),
    # 2025年上海市人民政府办公厅政府信息公开工作年度报告
    re.compile(rf"^{_YEAR}年度?(?P<agency>.+?){_DISCLOSURE}"),
    # 环南街道政府信息公开工作2021年度报告
    re.compile(
        rf"^(?P<agency>.+?)(?:政府|政务)?信息公开(?:工作)?{_YEAR}年度?(?:工作)?(?:报告|年报)"
    ),
)
_BODY_YEAR_END = re.compile(r"(?:截至|截止|至)(?P<year>(?:19|20)\d{2})年12月31日")
_BODY_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})年")
_AGENCY_SUFFIX = (
    r"(?:街道办事处|街道|人民政府办公室|人民政府办公厅|人民政府|办事处|管理委员会|委员会|"
    r"办公室|办公厅|管理局|局|厅|委|镇|乡|中心|署|院)"
)
_BODY_AGENCY = (
    # 2023年,北新桥街道坚持以…
    re.compile(
        rf"(?:19|20)\d{{2}}年度?[,，]?(?:以来[,，]?)?(?P<agency>[\u4e00-\u9fff]{{2,30}}?{_AGENCY_SUFFIX})"
    ),
    # 北新桥街道2023年政府信息公开…
    re.compile(rf"(?P<agency>[\u4e00-\u9fff]{{2,30}}?{_AGENCY_SUFFIX})(?:19|20)\d{{2}}年"),
)
_BAD_AGENCY_START = ("我", "本", "全", "各", "在", "共", "以来")
_NOT_AN_AGENCY = frozenset({"政府", "政务", "年度", "工作", "关于"})


@dataclass(frozen=True)
class Metadata:
    title: str | None
    title_line: int | None
    agency: str | None
    year: int | None
    agency_from_body: bool
    year_from_body: bool


# A crawler's metadata header names the title: ``标题: 平潭综合实验区…年度报告``.
_TITLE_LABEL = re.compile(r"^(?:标题|题目|文章标题|title)[:：]", re.I)


def _clean_title(text: str) -> str:
    return _TITLE_LABEL.sub("", normalize(text).replace("*", "").replace("#", "")).strip("《》")


def _plausible_year(year: int, current_year: int) -> bool:
    return MIN_YEAR <= year <= current_year


def find_title(lines: list[str], current_year: int) -> tuple[str, int, str, int] | None:
    """(title, line, agency, year) from the first lines; a title on one line wins over a title
    joined from two (so a breadcrumb line above the title is not taken for its first half)."""
    candidates = [index for index, line in enumerate(lines) if line.strip()][:TITLE_SCAN_LINES]
    for span in (1, 2):
        for index in candidates:
            found = _title_at(_clean_title("".join(lines[index : index + span])), current_year)
            if found:
                return found[0], index + 1, found[1], found[2]
    return None


def _title_at(text: str, current_year: int) -> tuple[str, str, int] | None:
    if len(text) > _MAX_TITLE_LENGTH:
        return None
    for pattern in _TITLE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        agency = match["agency"]
        if agency.endswith("人民") and text[match.end("agency") :].startswith("政府"):
            agency += "政府"
        agency = agency.removeprefix("关于")
        year = int(match["year"])
        if (
            len(agency) >= 2
            and agency not in _NOT_AN_AGENCY
            and _plausible_year(year, current_year)
        ):
            return text[: match.end()], agency, year
    return None


def find_body_year(lines: list[str], current_year: int) -> int | None:
    text = normalize("".join(lines[:80]))
    match = _BODY_YEAR_END.search(text)
    if match and _plausible_year(int(match["year"]), current_year):
        return int(match["year"])
    years = [int(y) for y in _BODY_YEAR.findall(text) if _plausible_year(int(y), current_year)]
    return Counter(years).most_common(1)[0][0] if years else None


def find_body_agency(lines: list[str]) -> str | None:
    text = normalize("".join(lines[:40]))
    for pattern in _BODY_AGENCY:
        for match in pattern.finditer(text):
            agency = match["agency"]
            if not agency.startswith(_BAD_AGENCY_START):
                return agency
    return None


def extract_metadata(lines: list[str], current_year: int) -> Metadata:
    found = find_title(lines, current_year)
    if found:
        title, line, agency, year = found
        return Metadata(title, line, agency, year, agency_from_body=False, year_from_body=False)
    return Metadata(
        None,
        None,
        find_body_agency(lines),
        find_body_year(lines, current_year),
        agency_from_body=True,
        year_from_body=True,
    )
