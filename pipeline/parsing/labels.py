"""Printed row labels → canonical keys, tolerant of numbering, spaces, brackets and OCR typos."""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.parsing.values import normalize

# Similarity (0–100) a printed label needs to count as a template label it does not equal.
FUZZY_THRESHOLD = 85
# Shorter labels must match exactly: one changed character in 其他 or 总计 is another word.
FUZZY_MIN_LENGTH = 5

_NUMBERING = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+[、.,，]"  # 一、
    r"|\([一二三四五六七八九十]+\)[、.]?"  # (一)
    r"|\d{1,2}[、.,)](?!\d)"  # 1.  1、 1)
    r"|\(\d{1,2}\)"  # (1)
    r"|第[一二三四五六七八九十]+[项部分]?[、.]?"
    r")"
)
_NOTE = re.compile(r"\([^()]*\)")
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_TRAILING = re.compile(r"[:：,，。;；、]+$")

# Aliases that real reports print instead of the official wording (compared after label_core).
SYNONYMS = {"社会组织": "社会公益组织"}


@lru_cache(maxsize=1 << 16)
def label_core(text: str) -> str:
    """Reduce a printed label to what identifies it: no numbering, notes, quotes or spaces."""
    core = normalize(text).replace("*", "").replace("#", "")
    previous = None
    while previous != core:
        previous = core
        core = _NUMBERING.sub("", core)
    core = _QUOTES.sub("", _NOTE.sub("", core))
    core = _TRAILING.sub("", core)
    return SYNONYMS.get(core, core)


@dataclass(frozen=True)
class LabelMatch:
    key: str
    score: float  # 100 for an exact match


class LabelMatcher:
    """Matches printed labels against a fixed set of keyed labels."""

    def __init__(self, labels: Iterable[tuple[str, str]]) -> None:
        self._cores: list[tuple[str, str]] = [(key, label_core(label)) for key, label in labels]

    def match(self, text: str, allowed: Set[str] | None = None) -> LabelMatch | None:
        """Best key for ``text`` among ``allowed`` keys (all when None), or None."""
        return self._match(label_core(text), None if allowed is None else frozenset(allowed))

    @lru_cache(maxsize=1 << 16)  # noqa: B019 (matchers are module-level singletons)
    def _match(self, core: str, allowed: frozenset[str] | None) -> LabelMatch | None:
        if not core:
            return None
        candidates = [(k, c) for k, c in self._cores if allowed is None or k in allowed]
        for key, label in candidates:
            if core == label:
                return LabelMatch(key, 100.0)
        if len(core) < FUZZY_MIN_LENGTH:
            return None
        best: LabelMatch | None = None
        for key, label in candidates:
            if len(label) < FUZZY_MIN_LENGTH:
                continue
            score = fuzz.ratio(core, label)
            if score >= FUZZY_THRESHOLD and (best is None or score > best.score):
                best = LabelMatch(key, score)
        return best
