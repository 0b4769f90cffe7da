"""The template's identities as a verifier of candidate rows (repairs, placements)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from pipeline.parsing import template as tpl
from pipeline.parsing.tokens import Token

Vector = list[Decimal | None]


def values_of(tokens: Sequence[Token]) -> Vector:
    return [t.value for t in tokens]


# A verifier says, for a candidate row vector and the rows already resolved, which columns the
# template's identities confirm, or None when an identity is violated.
Verifier = Callable[[str, Vector, dict[str, Vector]], set[int] | None]


def _holds(identity: tpl.Identity, values: Mapping[str, Decimal | None]) -> bool | None:
    """Whether the identity holds for these term values; None when a term is NULL."""
    terms = [values[t] for t in identity.terms]
    if any(v is None for v in terms):
        return None
    expected = sum((values[t] for t in identity.expected), Decimal(0))  # type: ignore[misc,type-var]
    actual = sum((values[t] for t in identity.actual), Decimal(0))  # type: ignore[misc,type-var]
    return expected == actual


def identity_verifier(
    section: str,
    version: str,
    columns: Sequence[str],
    spans_rows: Sequence[str] = (),
) -> Verifier:
    """A verifier from the template's identities of ``section`` (``tpl.identities``).

    A row vector holds ``columns`` in order; ``spans_rows`` names the rows of a vector that holds
    several (table 四's one line of 15 numbers: three rows of five). An identity checked in every
    row rejects a row that breaks it; identities checked in every column confirm that column when
    they hold and reject when they break. A table with no column identity (table 四) has its
    columns confirmed by its row identities.
    """
    rules = [i for i in tpl.identities(version) if i.section == section]
    along_rows = [i for i in rules if i.along == tpl.ALONG_ROWS]
    along_columns = [i for i in rules if i.along == tpl.ALONG_COLUMNS]
    width = len(columns)

    def verify(key: str, vector: Vector, resolved: dict[str, Vector]) -> set[int] | None:
        own = (
            {row: vector[i * width : (i + 1) * width] for i, row in enumerate(spans_rows)}
            if spans_rows
            else {key: vector}
        )
        confirmed: set[int] = set()
        for offset, cells in enumerate(own.values()):
            named = dict(zip(columns, cells, strict=True))
            for identity in along_rows:
                holds = _holds(identity, named)
                if holds is False:
                    return None
                if holds and not along_columns:
                    confirmed.update(range(offset * width, (offset + 1) * width))
        # a row of another width (numbers lost or run together) lines up with no column
        rows = {k: v for k, v in resolved.items() if len(v) == width} | own
        for identity in along_columns:
            if not set(own) & set(identity.terms) or not all(t in rows for t in identity.terms):
                continue
            for index in range(width):
                holds = _holds(identity, {t: rows[t][index] for t in identity.terms})
                if holds is False:
                    return None
                if holds:
                    confirmed.add(index)
        return confirmed

    return verify
