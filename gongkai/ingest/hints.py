"""What the operator says about a source before it is read: publisher, region code and year (a URL manifest's columns).

Hints travel with the file (the raw column ``source_hints``, JSON) to the parser and the region resolver: a region
code hint is a strong region clue, a publisher or year hint is used only when the report itself prints none.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

_REGION_CODE = re.compile(r"^(?:\d{6}|\d{9}|\d{12})$")
YEARS = range(1990, 2100)


@dataclass(frozen=True)
class SourceHints:
    """A source's hints; every field is optional."""

    publisher: str | None = None
    region_code: str | None = None  # 6 (GB/T 2260), 9 (township) or 12 digits (统计用区划代码)
    year: int | None = None

    def __bool__(self) -> bool:
        return any(value is not None for value in asdict(self).values())

    def to_json(self) -> str | None:
        """The raw column's value: None when there is no hint."""
        return (
            json.dumps({k: v for k, v in asdict(self).items() if v is not None}, ensure_ascii=False) if self else None
        )

    @classmethod
    def from_json(cls, text: str | None) -> SourceHints:
        """The hints of a raw row (no hints for ``None``, a part landed before the column existed)."""
        if not text:
            return cls()
        data = json.loads(text)
        return cls(data.get("publisher"), data.get("region_code"), data.get("year"))


def region_code_problem(code: str) -> str | None:
    """Why ``code`` is not a region code hint, or None."""
    return None if _REGION_CODE.match(code) else f"region code {code!r} is not 6, 9 or 12 digits"


def normalized_region_code(code: str) -> str:
    """A 12-digit code without its padding: 410308000000 -> 410308, 410308100000 -> 410308100."""
    if len(code) == 12:
        return code[:6] if code.endswith("000000") else code[:9] if code.endswith("000") else code
    return code
