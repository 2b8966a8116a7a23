"""Approximate label matching: a printed heading or header with one character wrong still names its label.

Used only where the table's skeleton says which labels can stand at that place (a T2 block's columns, T4's
heading after T3), and the printed text is always kept and reported in a warning.
"""

from __future__ import annotations

from collections.abc import Set


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_typos(label: str) -> int:
    """How many wrong characters a label of this length may carry and still be recognised (1; 2 from 9 chars)."""
    return 2 if len(label) >= 9 else 1


def find_approx(label: str, text: str, taken: Set[int] = frozenset()) -> tuple[int, str] | None:
    """The best approximate occurrence of ``label`` in ``text``: (start, printed text), or None.

    Only windows that share ``label``'s first or last character and avoid the positions in ``taken`` are tried.
    """
    limit = allowed_typos(label)
    best: tuple[int, int, str] | None = None
    for size in range(max(1, len(label) - limit), len(label) + limit + 1):
        for start in range(0, len(text) - size + 1):
            window = text[start : start + size]
            if window[0] != label[0] and window[-1] != label[-1]:
                continue
            if any(position in taken for position in range(start, start + size)):
                continue
            distance = edit_distance(window, label, limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, start, window)
    return (best[1], best[2]) if best else None
