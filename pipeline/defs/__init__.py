"""Dagster definitions, split by concern; autoloaded by ``pipeline.definitions``."""
