"""Fit the value tokens found after a row label to the cells the row must have (docs/formats.md#row-recovery step 5).

The rule throughout: never invent a number. A row is mapped when its tokens admit exactly one reading;
extra values are resolved only by the row's own arithmetic identity; a missing value is placed only where
the printed blanks leave a single possibility. Anything else comes back uncertain, with its raw text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from gongkai.parsing.flattened import decode_joined
from gongkai.parsing.normalize import read_value
from gongkai.parsing.tokens import Kind, Token
from gongkai.parsing.totals import totals_hold

CONFIDENCE_EXACT = 1.0
CONFIDENCE_WINDOW = 0.85  # extra values; the chosen reading is the only one (or all readings agree)
CONFIDENCE_DECODED = 0.8  # values run together in flattened text; the only split, and it adds up
CONFIDENCE_UNCHECKED = 0.8  # run-together values split the only possible way; no total to check it
CONFIDENCE_BLANK_PLACED = 0.8  # fewer values; a printed blank token fits in one place only


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


def _numbers(tokens: Sequence[Token]) -> list[Decimal] | None:
    numbers = [read_value(t.cell.text).value for t in tokens]
    return None if any(n is None for n in numbers) else numbers  # type: ignore[return-value]


def _same_reading(a: Sequence[Token], b: Sequence[Token]) -> bool:
    return [read_value(t.cell.text) for t in a] == [read_value(t.cell.text) for t in b]


def fit_row(span: Span, expected: int, group: int | None = None, what: str = "row", merged_lines: bool = False) -> Fit:
    """Map the span's tokens onto ``expected`` cells, or say the row is uncertain.

    ``group``: the row's cells come in groups that end with their total (see :func:`totals_hold`).
    ``merged_lines``: the text came from a scraper that prints a run of identical lines once (see
    :func:`gongkai.parsing.tokens.identical_lines_merged`).
    """
    values = span.values
    if any(token.joined for token in values):
        return _fit_joined(values, expected, group, what)
    grid_row = complete_grid_row(span, expected)
    if grid_row is not None:
        return Fit(grid_row, CONFIDENCE_EXACT)
    if len(values) == expected:
        return Fit(tuple(values), CONFIDENCE_EXACT)
    if len(values) > expected:
        return _fit_extra(values, expected, group, what)
    if merged_lines and values:
        return _fit_merged_lines(values, expected, group, what)
    return _fit_with_blanks(span, expected, what)


def _fit_merged_lines(values: list[Token], expected: int, group: int | None, what: str) -> Fit:
    """Fewer values than cells where identical consecutive lines were printed once ("1810" for 1810|1810|1810).

    Each printed value stands for a run of one or more equal cells. The runs are accepted only when exactly one
    choice of run lengths gives the row's cells and satisfies its total identity (one value for every cell
    of a row without an identity is the only choice); otherwise the row is uncertain.
    """
    numbers = _numbers(values)
    readings = (
        []
        if numbers is None
        else [
            lengths
            for lengths in _compositions(expected, len(values))
            if group is None
            and len(values) == 1
            or group is not None
            and totals_hold([n for n, k in zip(numbers, lengths, strict=True) for _ in range(k)], group)
        ]
    )
    if len(readings) != 1:
        detail = (
            f"{what}: {len(values)} values for {expected} cells; repeated lines merged, and the runs cannot be told"
        )
        return Fit(None, 0.0, ("MERGED_LINES_AMBIGUOUS", detail))
    tokens = tuple(
        replace(token, cell=replace(token.cell, locator=f"{token.cell.locator} (printed once for {k} cells)"))
        if k > 1
        else token
        for token, k in zip(values, readings[0], strict=True)
        for _ in range(k)
    )
    detail = (
        f"{what}: {len(values)} values for {expected} cells; repeated lines merged, "
        "expanded the only way the row allows"
    )
    return Fit(tokens, CONFIDENCE_DECODED, ("MERGED_LINES_EXPANDED", detail))


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` positive run lengths, in order."""
    if parts == 1:
        return [(total,)] if total >= 1 else []
    return [(first, *rest) for first in range(1, total - parts + 2) for rest in _compositions(total - first, parts - 1)]


def complete_grid_row(span: Span, expected: int) -> tuple[Token, ...] | None:
    """The cells of the span's own table-grid row when there are exactly ``expected`` of them.

    In a real grid every printed cell, blank or not, sits in its true column, so such a row maps
    position by position (an all-blank row included).
    """
    anchor = span.label if span.label is not None else (span.slots[0] if span.slots else None)
    if anchor is None:
        return None
    row = tuple(t for t in span.slots if t.grid and t.row_index == anchor.row_index)
    return row if len(row) == expected else None


def _fit_joined(values: list[Token], expected: int, group: int | None, what: str) -> Fit:
    """Values run together in flattened text: accept the layout's only split when nothing contradicts it."""
    decoded = decode_joined([(t.cell.text.strip(), t.joined) for t in values], expected, group)
    if decoded.parts is None:
        reason = "several splits are possible" if decoded.splits > 1 else "no split gives the row's cells"
        return Fit(None, 0.0, ("JOINED_VALUES_AMBIGUOUS", f"{what}: values run together and {reason}"))
    if decoded.total_holds is False:
        detail = f"{what}: the only split of the run-together values does not add up to the printed total"
        return Fit(None, 0.0, ("JOINED_VALUES_INCONSISTENT", detail))
    if len(decoded.parts) > len(values) and decoded.total_holds is None:
        # The layout allows this split only; a blank that vanished in the flattening cannot be ruled out: say so.
        detail = f"{what}: run-together values split the only way possible; no row total checks it"
        return Fit(_part_tokens(values, decoded.parts), CONFIDENCE_UNCHECKED, ("JOINED_VALUES_UNCHECKED", detail))
    detail = f"{what}: run-together values split the only way possible, and the row adds up"
    return Fit(_part_tokens(values, decoded.parts), CONFIDENCE_DECODED, ("JOINED_VALUES_DECODED", detail))


def _part_tokens(values: list[Token], parts: list[str]) -> tuple[Token, ...]:
    """One token per decoded part, pointing into the run it came from ("… chars 340-349 part 2")."""
    tokens: list[Token] = []
    remaining = iter(parts)
    for token in values:
        text, consumed, number = token.cell.text.strip(), "", 0
        while consumed != text:
            part = next(remaining)
            consumed, number = consumed + part, number + 1
            locator = f"{token.cell.locator} part {number}" if token.joined else token.cell.locator
            tokens.append(replace(token, cell=replace(token.cell, text=part, locator=locator)))
    return tuple(tokens)


def _fit_extra(values: list[Token], expected: int, group: int | None, what: str) -> Fit:
    windows = [values[i : i + expected] for i in range(len(values) - expected + 1)]
    if group is not None:
        windows = [w for w in windows if (numbers := _numbers(w)) is not None and totals_hold(numbers, group)]
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
        window = span.slots[first - shift : first - shift + expected]
        if len(window) == expected and sum(t.kind is Kind.VALUE for t in window) == len(values):
            readings.append(tuple(window))
    if len(readings) == 1:
        detail = f"{what}: {len(values)} values for {expected} cells; the printed blank fits in one place only"
        return Fit(readings[0], CONFIDENCE_BLANK_PLACED, ("BLANK_POSITION_ASSUMED", detail))
    detail = f"{what}: {len(values)} values for {expected} cells; the blank cells cannot be placed"
    return Fit(None, 0.0, ("CELL_MISSING", detail))
