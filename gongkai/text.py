"""Text normalization shared by the parser (gongkai.parsing) and the region resolver (gongkai.regions)."""

from __future__ import annotations

import re
import unicodedata

# Every kind of space seen in the wild: tabs, U+2002 EN SPACE, U+3000, NBSP, zero-width.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


def squash(text: str) -> str:
    """NFKC-normalize and remove every whitespace character ("自 然 人" -> "自然人", "（一）" -> "(一)")."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))
