"""The README's table reference, generated from the schema itself.

``python -m pipeline.schema_doc`` prints it; ``--write`` replaces the part of README.md between
the ``schema-reference`` markers. Every table and view the warehouse creates is listed with its
columns and types (from DuckDB's catalog) and what it holds (the leading comment of the
statement in ``sql/`` that creates it). ``tests/test_readme.py`` fails when the README lags.
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import closing

from pipeline.settings import PROJECT_ROOT, SQL_DIR
from pipeline.warehouse import SCHEMA_STATEMENTS, connect, ensure_schema

README = PROJECT_ROOT / "README.md"
BEGIN = "<!-- schema-reference:begin (generated: python -m pipeline.schema_doc --write) -->"
END = "<!-- schema-reference:end -->"

# Tables whose creating statement carries no comment: what they hold, as the contract says.
DESCRIPTIONS = {
    "reports": "One row per ingested source file version.",
    "facts": "The long-format fact table: one row per table cell, with provenance.",
    "parse_issues": "What the parser could not do or had to repair, per report.",
    "narrative_numbers": "Numbers the section-一 text states about the report itself.",
    "dim_rows": "Template rows: Chinese label, parent label, printed order, per version.",
    "dim_columns": "Template columns: Chinese label, parent label, printed order, per version.",
}


def reference_markdown() -> str:
    """Markdown table: every relation of the schema, in the order the schema creates them."""
    with closing(connect(":memory:")) as con:
        ensure_schema(con)
        columns: dict[str, list[str]] = {}
        for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() and schema_name = 'main' "
            "order by table_name, column_index"
        ).fetchall():
            columns.setdefault(table, []).append(f"`{column}` {data_type.lower()}")
        views = {name for (name,) in con.execute("select view_name from duckdb_views()").fetchall()}
    lines = ["| relation | kind | what it holds | columns |", "|---|---|---|---|"]
    for statement in SCHEMA_STATEMENTS:
        kind, _, name = statement.partition("_")
        if kind not in ("create", "view"):
            continue
        relation = "view" if name in views else "table"
        text = _description(statement) or DESCRIPTIONS.get(name, "")
        lines.append(f"| `{name}` | {relation} | {text} | {', '.join(columns[name])} |")
    return "\n".join(lines)


def _description(statement: str) -> str:
    """The leading ``--`` comment of ``sql/<statement>.sql``, as one line."""
    comment = []
    for line in (SQL_DIR / f"{statement}.sql").read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        comment.append(line.removeprefix("--").strip())
    return re.sub(r"\s+", " ", " ".join(comment)).replace("|", "\\|").strip()


def readme_with_reference(readme: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + reference_markdown() + "\n" + readme[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md's reference")
    args = parser.parse_args()
    if args.write:
        README.write_text(readme_with_reference(README.read_text(encoding="utf-8")), "utf-8")
    else:
        sys.stdout.write(reference_markdown() + "\n")


if __name__ == "__main__":
    main()
