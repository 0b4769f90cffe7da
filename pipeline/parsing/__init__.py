"""Report parser: a plain library (no Dagster). ``parse(data, name) -> ParsedReport``."""

from pipeline.parsing.model import Cell, ParsedReport, ParseIssue
from pipeline.parsing.parser import parse

__all__ = ["Cell", "ParseIssue", "ParsedReport", "parse"]
