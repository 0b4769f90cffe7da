"""Parsing reports and loading them into DuckDB."""
