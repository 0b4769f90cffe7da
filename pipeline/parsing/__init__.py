"""Report parser: a plain library (no Dagster). ``parse(data, name) -> ParsedReport``.

``PARSER_BUILD`` says how it runs: ``compiled`` (mypyc), ``pure`` or ``stale`` (see native.py).
"""

# first: it decides whether the modules below load compiled or from source
from pipeline.parsing.native import BUILD as PARSER_BUILD

# isort: split
from pipeline.parsing.model import Cell, ParsedReport, ParseIssue
from pipeline.parsing.parser import parse

__all__ = ["PARSER_BUILD", "Cell", "ParseIssue", "ParsedReport", "parse"]
