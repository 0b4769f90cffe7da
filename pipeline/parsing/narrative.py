"""Numbers the section-一 prose (总体情况) states about the report's own tables.

Precise, not greedy: a number is read only when a fixed phrase ties it to one key inside one
clause (text between ，。；…), e.g. "收到政府信息公开申请5件" or "上年结转0件". Negations
("未收到…政府信息公开申请", "未发生…行政复议、行政诉讼案件") state 0. Skipped: combined statements
("行政复议和行政诉讼共6件", unless the total is 0), subsets and outcomes ("直接提起行政诉讼2件",
"办结…（含上年结转3件）", "被纠错1件"), totals that include carried-over applications, other
periods ("上年", another year), approximations ("10余件") and area-wide totals ("全区共收到…").
A key stated twice with different values is dropped: the tables are the authority.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import repeat

from pipeline.parsing.model import NarrativeNumber
from pipeline.parsing.values import normalize

APPLICATIONS_RECEIVED = "applications_received"  # → applications.new_received.total
APPLICATIONS_CARRIED_OVER = "applications_carried_over"  # → applications.carried_over.total
REVIEW_CASES = "review_cases"  # → appeals.review.total
LITIGATION_CASES = "litigation_cases"  # → appeals.litigation_direct + litigation_after_review
NARRATIVE_KEYS = (APPLICATIONS_RECEIVED, APPLICATIONS_CARRIED_OVER, REVIEW_CASES, LITIGATION_CASES)

# --- where the narrative ends: the first heading or row of tables 二, 三 or 四 -------------------
_TABLE_START = re.compile(
    r"^(?:"
    r"(?:二|2)[、.,:]?(?:\(.{1,4}\))?主动公开"
    r"|(?:三|3)[、.,:]?(?:\(.{1,4}\))?收到和处理"
    r"|(?:四|4)[、.,:]?.{0,12}行政复议.{0,24}$"
    r"|收到和处理政府信息公开申请情况$"
    r"|第二十条第"
    r"|信息内容"
    r"|表[二三四]"
    r"|\(本列数据的勾稽关系"
    r"|(?:[一二]、)?(?:本年新收|上年结转)政府信息公开申请数量"
    r"|[二三四五六七八九][、.].{0,28}$"  # any later top-level section heading
    r")"
)
_LINE_DECORATION = re.compile(r"^[#*|>]+|\*+")
_PAGE_FOOTER = re.compile(r"^[-—–]+\d+[-—–]+$")  # "— 2 —" between the pages of a PDF
_HEADING = re.compile(r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、)")
_SHORT_HEADING = 30  # a heading line this short, without 。, ends its clause

# --- sentences and clauses of the flattened text ----------------------------------------------
_STOP = "\n"  # inserted where a clause must end: blank lines, headings, digit|digit joins
_SENTENCE_END = re.compile(r"[。;!?\n]")
_CLAUSE_END = re.compile(r"[。;!?\n,]")

# --- the phrases (on NFKC text without white space: "，" is ",", "；" is ";", "：" is ":") ------
_CN_DIGIT = "[一二两三四五六七八九]"
_CN_NUMBER = (  # 十二, 二十, 一百零五, 两千: not "三四" (three or four)
    rf"(?=[一二两三四五六七八九十])(?:{_CN_DIGIT}千)?(?:零?{_CN_DIGIT}百)?(?:零?{_CN_DIGIT}?十)?"
    rf"(?:零?{_CN_DIGIT})?"
)
_NUMBER = rf"(?P<num>\d+|{_CN_NUMBER}|零|〇)"
# A count's unit, not a duration or share ("15个工作日内", "2个百分点").
_UNIT = r"(?:(?:件|条|个|宗|起|例|份|项|次)(?!工作日|日|天|月|小时|百分点|以上|以内|左右|多))"
_FILLER = r"(?:数量|件数|总数|总量)?的?(?:共计|共|合计|总计|累计|计|为|是|达到|达)?:?"
_APPLICATION = (
    r"(?:政府信息公开申请|信息公开申请|公开申请|依申请公开(?:政府信息)?(?:申请|事项|件)?)"
)
_NOT_IN_GAP = r"(?!复议|诉讼|结转|办结|答复|办理|处理|转办|其[他它](?!组织)|另|再|除)"
_NEGATION = r"(?:未(?!经)|没有|尚未|暂未|均未|并未|未曾|从未)"
# Between 收到 and 申请 in a count: other things counted together ("咨询和政府信息公开申请共12件").
_NOT_COUNTED_WITH = r"(?!和|及|与|咨询|意见|建议|投诉|信访|来信|留言|诉求)"

_RECEIVED = re.compile(
    rf"(?:收到|新收|受理|接到|接收)(?:{_NOT_IN_GAP}{_NOT_COUNTED_WITH}[^\d]){{0,15}}?{_APPLICATION}"
    rf"{_FILLER}{_NUMBER}{_UNIT}"
)
_RECEIVED_NONE = re.compile(
    rf"{_NEGATION}(?:收到|接到|受理|接收|新收)(?:{_NOT_IN_GAP}[^\d]){{0,20}}?"
    rf"(?P<noun>{_APPLICATION}|申请)(?:的情况|的情形)?$"
)
# "依申请公开情况：无", "依申请公开数量目前暂无", "本年度无政府信息公开申请"
_RECEIVED_EMPTY = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十\d]{1,3}[、.])?[、.]?"
    rf"(?:(?:{_NOT_IN_GAP}[^\d的]){{0,10}}?(?:无|没有)(?:任何)?(?:政府信息公开申请|信息公开申请)"
    r"|依申请公开(?:政府信息)?(?:情况|方面|工作|数量|件数|申请)?(?:目前|本年度?|全年|今年)?:?"
    r"(?:无|暂无|为零|为0))$"
)
_ALSO_CARRIED = re.compile(r"^[,(]?(?:含|包括|包含|其中)[^。;]{0,12}?结转")
_CARRIED = re.compile(
    r"(?:上一?年度?结转|结转上一?年度?|上一?年度?遗留)"
    rf"(?:的|下来的)?(?:{_APPLICATION}|申请|案件)?{_FILLER}{_NUMBER}{_UNIT}"
)
_CARRIED_NONE = re.compile(
    rf"(?:无|没有|未有)(?:上一?年度?结转|结转上一?年度?)的?(?:{_APPLICATION}|申请|事项)?$"
)
_PART_OF_SOMETHING = re.compile(r"(?:含|包括|包含|其中|连同)\(?$|办结|办理|答复|处理")

_REVIEW = re.compile(rf"行政复议(?:案件|案|申请)?{_FILLER}{_NUMBER}{_UNIT}")
_LITIGATION = re.compile(rf"(?:行政诉讼|提起诉讼|诉讼案件)(?:案件|案)?{_FILLER}{_NUMBER}{_UNIT}")
_CONNECTOR = r"(?:、|和|及|与|或|/|以及)"
_BOTH_ZERO = re.compile(  # "行政复议和行政诉讼共0件", "行政复议、行政诉讼均为零"
    rf"(?:行政)?复议(?:案件)?{_CONNECTOR}?(?:被?提起)?(?:行政)?诉讼(?:案件)?的?(?:案件)?(?:数量)?"
    rf"(?:(?:共计|共|合计|总计|均为|均|各|为|是)?(?:0|零)(?!\d){_UNIT}?|均无|皆无)$"
)
_APPEAL_NONE = re.compile(
    r"(?:未(?!经)|没有|无|均未|尚未|暂未|未曾|从未|并未)"
    r"(?:(?!纠错|纠正|败诉|撤销|维持|驳回|结果|复议|诉讼|直接|理由|但|收到|受理|办理|审理)[^\d])"
    r"{0,30}?"
    r"(?P<kw1>行政复议|行政诉讼)(?:案件|案)?"
    rf"(?:{_CONNECTOR}(?:被?提起|被?申请|引发|引起|产生|发生)?"
    r"(?P<kw2>行政复议|行政诉讼|复议|诉讼)(?:案件|案)?)?"
    r"的?(?:案件|案例|情况|情形|事项|现象|事件|问题)?(?:发生)?$"
)
_APPEAL_KEYS = {"复议": REVIEW_CASES, "诉讼": LITIGATION_CASES}
# A non-zero appeal count must say it concerns disclosure, in its clause or an earlier appeal
# clause of the sentence: "因政府信息公开被申请行政复议1件，行政诉讼2件".
_DISCLOSURE = re.compile(r"信息公开|依申请")
_APPEAL_QUALIFIER = re.compile(r"信息公开|依申请|被(?:依法)?(?:申请|提起|起诉|诉)")
_APPEAL_WORD = re.compile(r"复议|诉讼")
# Words between the previous count and this one that make it an outcome or a subset, or cases
# the agency decided itself (收到/办理 行政复议: it is the reviewing body, not the respondent).
_APPEAL_SPOILER = re.compile(
    r"纠错|纠正|败诉|维持|撤销|驳回|确认违法|结果|直接|未经|复议后|经复议"
    r"|收到|受理|办理|审理|接到|接收"
)
_COUNT = re.compile(rf"\d{_UNIT}")

_AREA_WIDE = re.compile(
    r"全区|全市|全县|全省|全州|全盟|全旗|全镇|全系统|各级|各部门|各单位|各行政机关"
)
_OTHER_PERIOD = re.compile(r"以来|历年|去年|前年|上一?年(?!度?结转)")
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_DENIED = re.compile(r"(?:未|没有|没|无|不|不予)$")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class _Narrative:
    """The narrative as one normalized string; ``origin[i]`` is (line index, column) of char i."""

    text: str
    origin: list[tuple[int, int] | None]  # None for inserted stops


@dataclass(frozen=True)
class _Clause:
    text: str
    lead: str  # the sentence before the clause
    rest: str  # the sentence after the clause
    appeal_context: bool  # an earlier clause of the sentence spoke of disclosure appeals
    year: int | None  # the report's year, when known


@dataclass(frozen=True)
class _Statement:
    keys: tuple[str, ...]
    value: Decimal
    start: int  # span in the clause, then in _Narrative.text
    end: int


def extract_narrative(lines: Sequence[str], year: int | None = None) -> list[NarrativeNumber]:
    """The numbers section 一 states, at most one per key, in NARRATIVE_KEYS order.

    ``year`` is the report's year: a statement whose sentence last names another year before it
    ("2022年收到…") is skipped.
    """
    narrative = _flatten(lines, _cleaned_lines(lines))
    found: dict[str, list[tuple[Decimal, str, int]]] = {}
    for statement in _statements(narrative.text, year):
        raw_text, line = _source(narrative, lines, statement.start, statement.end)
        for key in statement.keys:
            found.setdefault(key, []).append((statement.value, raw_text, line))
    numbers = []
    for key in NARRATIVE_KEYS:
        stated = found.get(key, [])
        # Stated twice with different values: ambiguous, the tables decide alone.
        if stated and len({value for value, _, _ in stated}) == 1:
            value, raw_text, line = stated[0]
            numbers.append(NarrativeNumber(key, value, raw_text, line))
    return numbers


def narrative_end(lines: Sequence[str]) -> int:
    """How many leading lines are narrative: up to the first heading or row of a table."""
    return len(_cleaned_lines(lines))


def _cleaned_lines(lines: Sequence[str]) -> list[str]:
    """The leading lines that are narrative (up to the first heading or row of a table), each
    normalised without decoration (``_clean``)."""
    cleaned = []
    for line in lines:
        clean = _clean(line)
        if _TABLE_START.match(clean):
            break
        cleaned.append(clean)
    return cleaned


def _clean(line: str) -> str:
    return _LINE_DECORATION.sub("", normalize(line))


# The narrative is normalised one character at a time (to keep each character's origin): cached.
_normalized_char = cache(normalize)
# A character that per-character normalisation drops: white space, markdown emphasis.
_NOT_PLAIN = re.compile(r"[\s#*]")


def _flatten(lines: Sequence[str], cleaned: Sequence[str]) -> _Narrative:
    """Join the lines into one string (PDF text wraps mid-sentence), NFKC, no white space.

    ``cleaned``: the narrative's lines (the first ones of ``lines``) through ``_clean``."""
    text: list[str] = []
    origin: list[tuple[int, int] | None] = []

    def stop() -> None:
        if text and text[-1] != _STOP:
            text.append(_STOP)
            origin.append(None)

    for index, (line, clean) in enumerate(zip(lines, cleaned, strict=False)):  # lines go on
        if not clean:
            stop()  # a blank line ends a paragraph
            continue
        if _PAGE_FOOTER.match(clean):
            continue
        markdown_heading = line.lstrip().startswith("#")
        heading = markdown_heading or bool(_HEADING.match(clean))
        if heading:
            stop()
        elif text and text[-1].isdigit() and clean[0].isdigit():
            stop()  # never glue two numbers across a line break
        if unicodedata.is_normalized("NFKC", line) and not _NOT_PLAIN.search(line):
            text.extend(line)  # every character stands for itself (most lines)
            origin.extend(zip(repeat(index), range(len(line))))
        else:
            pieces = ["" if char in "#*" else _normalized_char(char) for char in line]
            text.extend("".join(pieces))
            origin.extend((index, column) for column, piece in enumerate(pieces) for _ in piece)
        if markdown_heading or (heading and len(clean) <= _SHORT_HEADING and "。" not in clean):
            stop()
    return _Narrative("".join(text), origin)


def _source(narrative: _Narrative, lines: Sequence[str], start: int, end: int) -> tuple[str, int]:
    """The original text of a span (line breaks removed) and its first 1-based line."""
    first = next(o for o in narrative.origin[start:end] if o is not None)
    last = next(o for o in reversed(narrative.origin[start:end]) if o is not None)
    if first[0] == last[0]:
        raw = lines[first[0]][first[1] : last[1] + 1]
    else:
        pieces = [lines[first[0]][first[1] :].rstrip()]
        pieces += [line.strip() for line in lines[first[0] + 1 : last[0]]]
        pieces.append(lines[last[0]][: last[1] + 1].lstrip())
        raw = "".join(pieces)
    return raw, first[0] + 1


def _spans(text: str, pattern: re.Pattern[str], start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split text[start:end] at the pattern's matches."""
    begin = start
    for match in pattern.finditer(text, start, end):
        if match.start() > begin:
            yield begin, match.start()
        begin = match.end()
    if end > begin:
        yield begin, end


def _statements(text: str, year: int | None) -> Iterator[_Statement]:
    for sentence_start, sentence_end in _spans(text, _SENTENCE_END, 0, len(text)):
        appeal_context = False
        for start, end in _spans(text, _CLAUSE_END, sentence_start, sentence_end):
            clause = _Clause(
                text[start:end],
                text[sentence_start:start],
                text[end:sentence_end],
                appeal_context,
                year,
            )
            for found in (*_received(clause), *_carried_over(clause), *_appeals(clause)):
                yield _Statement(found.keys, found.value, start + found.start, start + found.end)
            if _APPEAL_WORD.search(clause.text) and _APPEAL_QUALIFIER.search(clause.text):
                appeal_context = True


def _about_this_report(clause: _Clause, at: int, *, area_wide_ok: bool = False) -> bool:
    """False when the words before position ``at`` put the number in another period or scope."""
    before = clause.text[:at]
    context = clause.lead + before
    if _OTHER_PERIOD.search(before):
        return False
    years = _YEAR.findall(context)
    if clause.year is not None and years and int(years[-1]) != clause.year:
        return False  # the nearest year named before the number is another year
    return area_wide_ok or not _AREA_WIDE.search(context)


def _received(clause: _Clause) -> Iterator[_Statement]:
    text = clause.text
    for match in _RECEIVED.finditer(text):
        before = text[: match.start()]
        after = text[match.end() :] + clause.rest
        if _DENIED.search(before) or "结转" in before or _ALSO_CARRIED.match(after):
            continue  # "不予受理…", a total that includes carried-over applications
        if _about_this_report(clause, match.start()):
            yield _count(match, (APPLICATIONS_RECEIVED,))
    none = _RECEIVED_NONE.search(text)
    if none and none["noun"] == "申请" and not _DISCLOSURE.search(clause.lead + text):
        none = None  # a bare 申请 must be about disclosure
    for zero in (none, _RECEIVED_EMPTY.search(text)):
        if zero and _about_this_report(clause, zero.start(), area_wide_ok=True):
            yield _Statement((APPLICATIONS_RECEIVED,), Decimal(0), zero.start(), zero.end())


def _carried_over(clause: _Clause) -> Iterator[_Statement]:
    text = clause.text
    for match in _CARRIED.finditer(text):
        if _PART_OF_SOMETHING.search(text[: match.start()]):
            continue  # "办结…（含上年结转3件）": a part of another count
        if _about_this_report(clause, match.start()):
            yield _count(match, (APPLICATIONS_CARRIED_OVER,))
    zero = _CARRIED_NONE.search(text)
    if zero and _about_this_report(clause, zero.start(), area_wide_ok=True):
        yield _Statement((APPLICATIONS_CARRIED_OVER,), Decimal(0), zero.start(), zero.end())


def _appeals(clause: _Clause) -> Iterator[_Statement]:
    text = clause.text
    for pattern, key, other in (
        (_REVIEW, REVIEW_CASES, "诉讼"),
        (_LITIGATION, LITIGATION_CASES, "复议"),
    ):
        for match in pattern.finditer(text):
            before = text[: match.start()]
            subject = _COUNT.split(before)[-1]  # the words since the previous count
            if other in subject or _APPEAL_SPOILER.search(subject):
                continue  # both kinds together, or an outcome / subset of one kind
            found = _count(match, (key,))
            qualified = clause.appeal_context or _APPEAL_QUALIFIER.search(before)
            if (qualified or found.value == 0) and _about_this_report(
                clause, match.start(), area_wide_ok=found.value == 0
            ):
                yield found  # none at all is none about disclosure: 0 needs no qualifier
    for pattern in (_APPEAL_NONE, _BOTH_ZERO):
        zero = pattern.search(text)
        if zero is None or _APPEAL_SPOILER.search(_COUNT.split(text[: zero.start()])[-1]):
            continue
        if _about_this_report(clause, zero.start(), area_wide_ok=True):
            if pattern is _BOTH_ZERO:
                keys: tuple[str, ...] = (REVIEW_CASES, LITIGATION_CASES)
            else:
                words = [zero["kw1"], zero["kw2"]] if zero["kw2"] else [zero["kw1"]]
                keys = tuple(dict.fromkeys(_APPEAL_KEYS[word[-2:]] for word in words))
            yield _Statement(keys, Decimal(0), zero.start(), zero.end())


def _count(match: re.Match[str], keys: tuple[str, ...]) -> _Statement:
    return _Statement(keys, _number(match["num"]), match.start(), match.end())


def _number(text: str) -> Decimal:
    """Arabic or Chinese numerals (十二, 一百零五, 两) → Decimal."""
    if text.isdigit():
        return Decimal(text)
    total, digit = 0, 0
    for char in text:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = _CN_DIGITS[char]
    return Decimal(total + digit)
