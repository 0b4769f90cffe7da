"""The validation results store of the pipeline's Great Expectations context (imported by
Great Expectations, in the process that validates: it imports Great Expectations)."""

from __future__ import annotations

from typing import Any

from great_expectations.data_context.store import validation_results_store


class ValidationResultsStore(validation_results_store.ValidationResultsStore):
    """Keeps a validation's results only while ``keep`` is set (the run Data Docs render).

    Storing serialises every result to JSON, unexpected rows and all: a fifth of a chunk's
    validation, for results nothing reads again. (Great Expectations replaces a configured
    store whose class is not named ``ValidationResultsStore`` with its own.)"""

    keep = False

    def set(self, key: Any, value: Any, **kwargs: Any) -> Any:
        return super().set(key, value, **kwargs) if self.keep else None
