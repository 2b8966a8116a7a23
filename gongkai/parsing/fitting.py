"""Fit the value tokens found after a row label to the cells the row must have (format_spec §7.4 step 5).

The rule throughout: never invent a number. A row is mapped when its tokens admit exactly one reading;
extra values are resolved only by the row's own arithmetic identity; a missing value is placed only where
the printed blanks leave a single possibility. Anything else comes back uncertain, with its raw text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Sequence

from gongkai.parsing.normalize import read_value
from gongkai.parsing.tokens import Kind, Token

Identity = Callable[[Sequence[Decimal]], bool]

CONFIDENCE_EXACT = 1.0
CONFIDENCE_WINDOW = 0.85        # extra values; the chosen reading is the only one (or all readings agree)
CONFIDENCE_BLANK_PLACED = 0.7   # fewer values; a printed blank could sit in one place only


@dataclass
class Span:
    """A row label and the value and blank tokens that follow it, up to the next label."""

    label: Token | None
    label_text: str = ""
    slots: list[Token] = field(default_factory=list)

    @property
    def values(self) -> list[Token]:
        return [t for t in self.slots if t.kind is Kind.VALUE]

    @property
    def locator(self) -> str:
        if self.label is not None:
            return self.label.cell.locator
        return self.slots[0].cell.locator if self.slots else ""

    def raw_values(self) -> str:
        return " ".join(t.cell.text.strip() for t in self.values)


@dataclass(frozen=True)
class Fit:
    """A row's cells: a token per expected position (a VALUE or a BLANK token), or uncertain."""

    tokens: tuple[Token, ...] | None
    confidence: float
    warning: tuple[str, str] | None = None

    @property
    def uncertain(self) -> bool:
        return self.tokens is None


def sum_identity(n_terms: int) -> Identity:
    """Identity of a row whose last cell is the sum of the ``n_terms`` before it (T3 总计)."""
    return lambda values: sum(values[:n_terms]) == values[n_terms]


def _numbers(tokens: Sequence[Token]) -> list[Decimal] | None:
    numbers = [read_value(t.cell.text).value for t in tokens]
    return None if any(n is None for n in numbers) else numbers  # type: ignore[return-value]


def _same_reading(a: Sequence[Token], b: Sequence[Token]) -> bool:
    return [read_value(t.cell.text) for t in a] == [read_value(t.cell.text) for t in b]


def fit_row(span: Span, expected: int, identity: Identity | None = None, what: str = "row") -> Fit:
    """Map the span's tokens onto ``expected`` cells, or say the row is uncertain."""
    values = span.values
    if len(values) == expected:
        return Fit(tuple(values), CONFIDENCE_EXACT)
    if len(values) > expected:
        return _fit_extra(values, expected, identity, what)
    return _fit_with_blanks(span, expected, what)


def _fit_extra(values: list[Token], expected: int, identity: Identity | None, what: str) -> Fit:
    windows = [values[i:i + expected] for i in range(len(values) - expected + 1)]
    if identity is not None:
        windows = [w for w in windows if (numbers := _numbers(w)) is not None and identity(numbers)]
    if windows and all(_same_reading(w, windows[0]) for w in windows):
        detail = f"{what}: {len(values)} values for {expected} cells; every reading that fits gives the same values"
        return Fit(tuple(windows[0]), CONFIDENCE_WINDOW, ("EXTRA_VALUES", detail))
    detail = f"{what}: {len(values)} values for {expected} cells and no single reading fits"
    return Fit(None, 0.0, ("ALIGNMENT_AMBIGUOUS", detail))


def _fit_with_blanks(span: Span, expected: int, what: str) -> Fit:
    """Fewer values than cells: place printed blanks, accepting only a placement that is unique."""
    values = span.values
    if not values:
        return Fit(None, 0.0, ("CELL_MISSING", f"{what}: no values found"))
    first = span.slots.index(values[0])
    leading_blanks = first  # slots before the first value are blanks by construction
    readings = []
    for shift in range(min(leading_blanks, expected - len(values)) + 1):
        window = span.slots[first - shift:first - shift + expected]
        if len(window) == expected and sum(t.kind is Kind.VALUE for t in window) == len(values):
            readings.append(tuple(window))
    if len(readings) == 1:
        detail = f"{what}: {len(values)} values for {expected} cells; the printed blank fits in one place only"
        return Fit(readings[0], CONFIDENCE_BLANK_PLACED, ("BLANK_POSITION_ASSUMED", detail))
    detail = f"{what}: {len(values)} values for {expected} cells; the blank cells cannot be placed"
    return Fit(None, 0.0, ("CELL_MISSING", detail))
