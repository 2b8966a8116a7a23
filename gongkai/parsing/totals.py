"""The arithmetic a table row must satisfy: each group of cells ends with the sum of the others."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def totals_hold(values: Sequence[Decimal], group: int) -> bool:
    """True when every consecutive ``group`` values end with the sum of the rest (T3 总计: 7; T4: 5)."""
    return all(sum(values[i : i + group - 1]) == values[i + group - 1] for i in range(0, len(values), group))
