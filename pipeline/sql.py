"""SQL lives in ``sql/``, one statement per file, named verb + table."""

from __future__ import annotations

from functools import cache

from pipeline.settings import SQL_DIR


@cache
def load_sql(name: str) -> str:
    """The statement in ``sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
