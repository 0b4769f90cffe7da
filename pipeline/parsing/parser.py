"""Placeholder: the real parser is being written."""

import hashlib

from pipeline.parsing.model import ParsedReport


def parse(data: bytes, name: str) -> ParsedReport:
    report = ParsedReport(name, hashlib.sha256(data).hexdigest(), len(data))
    report.issue("error", "not_implemented", "parser not written yet")
    return report
