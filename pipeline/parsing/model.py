"""What the parser returns: a report's metadata, its cells with provenance, and its issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import NamedTuple

PARSER_VERSION = "1.0.0"

STATUS_PARSED = "parsed"  # all three tables found, every cell of the template read
STATUS_PARTIAL = "partial"  # something found, something missing or unresolved
STATUS_FAILED = "failed"  # unreadable, or not a report

SEVERITY_ERROR = "error"  # a number could not be read; cells are missing or NULL
SEVERITY_WARNING = "warning"  # a number was repaired or a fact is uncertain
SEVERITY_INFO = "info"  # how something was found (e.g. agency from the body text)


class Cell(NamedTuple):
    """One table cell: canonical position, the value printed, and where it was read.

    A named tuple, not a dataclass: reports hold hundreds of cells and a tuple is built ten
    times faster (``cell._replace(...)`` gives a changed copy)."""

    section: str
    row_key: str
    column_key: str
    value: Decimal | None  # NULL for blank / placeholder / unresolved cells
    raw_text: str | None  # the cell as printed (None when nothing was printed)
    source_line: int | None  # 1-based line in the decoded source (PDF: in the rendered text)
    source_page: int | None = None  # PDF only: 1-based page
    source_bbox: str | None = None  # PDF only: "x0,y0,x1,y1" in points, top-left origin


# A Cell from a tuple of all eight fields, without the named tuple's Python-level ``__new__``
# (three times faster: the parser builds hundreds per report).
cell_from_fields = partial(tuple.__new__, Cell)


@dataclass(frozen=True)
class ParseIssue:
    severity: str
    code: str
    message: str
    source_line: int | None = None
    section: str | None = None
    row_key: str | None = None


@dataclass(frozen=True)
class NarrativeNumber:
    """A number the report's text states about itself (section 一), to check against the tables."""

    key: str  # one of narrative.NARRATIVE_KEYS
    value: Decimal
    raw_text: str  # the sentence fragment it was read from, e.g. "收到政府信息公开申请5件"
    source_line: int | None  # 1-based line in the decoded source


@dataclass
class ParsedReport:
    """Everything the parser learnt from one file.

    ``cells`` holds one entry per template cell that was located (value may be NULL);
    cells of rows or tables that were not found are absent and explained in ``issues``.
    ``narrative`` holds the numbers the section-一 prose states, to check against the cells.
    """

    source_name: str
    source_sha256: str
    source_bytes: int
    encoding: str | None = None
    layout: str | None = None  # tab_grid, cell_per_line, pipe_rows, markdown, mixed …
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template_version: str | None = None
    # table 三's （六） rows as printed: 2019 (one other_handling row) or 2021 (three sub-rows)
    applications_version: str | None = None
    parse_status: str = STATUS_FAILED
    cells: list[Cell] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    narrative: list[NarrativeNumber] = field(default_factory=list)  # numbers section 一 states
    parser_version: str = PARSER_VERSION

    @property
    def report_id(self) -> str:
        """Stable id of this report version, from the content hash."""
        return self.source_sha256[:16]

    def issue(self, severity: str, code: str, message: str, **where: object) -> None:
        self.issues.append(ParseIssue(severity, code, message, **where))  # type: ignore[arg-type]

    def cell(self, section: str, row_key: str, column_key: str) -> Cell:
        """Look one cell up; KeyError when it was not located."""
        for cell in self.cells:
            if (cell.section, cell.row_key, cell.column_key) == (section, row_key, column_key):
                return cell
        raise KeyError((section, row_key, column_key))

    def value(self, section: str, row_key: str, column_key: str) -> Decimal | None:
        return self.cell(section, row_key, column_key).value

    def values(self) -> dict[tuple[str, str, str], Decimal | None]:
        """Every located cell's value by (section, row_key, column_key)."""
        return {(c.section, c.row_key, c.column_key): c.value for c in self.cells}
