"""Values as the auditor reads them: numbers without trailing zeros, visible whitespace, scopes and cells in Chinese."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from gongkai import keys
from gongkai.reports.locators import page_of

SCOPE_KIND_LABELS = {"col": "列", "row": "行", "table": "表", "pair": "年度对", "cell": "单元格"}
_ROW_LABELS = {"T3": keys.T3_ROW_LABELS, "T4": keys.T4_ROW_LABELS, "T2": keys.T2_ROW_LABELS}
_COL_LABELS = {"T3": keys.T3_COL_LABELS, "T4": keys.T4_COL_LABELS, "T2": keys.T2_COL_LABELS}


def format_decimal(value: Any) -> str:
    """A number without trailing zeros (Decimal('17.0000000000') -> '17', 0.0052 stays '0.0052'); '—' for null."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def visible_raw(raw: str | None) -> str:
    """Cell text with invisible characters made visible: U+2002 becomes '⟨U+2002⟩', '' becomes '（空）'."""
    if raw is None:
        return "（无）"
    if raw == "":
        return "（空）"
    return "".join(f"⟨U+{ord(ch):04X}⟩" if ch.isspace() and ch != " " else ch for ch in raw)


@lru_cache(maxsize=4096)
def scope_label(rule_id: str, scope: str | None) -> str:
    """Chinese reading of a finding's scope: 'col=total' -> '列：总计', 'row=review' -> '行：行政复议'."""
    if not scope:
        return "整份报告"
    table = next((t for t in ("T2", "T3", "T4") if rule_id.startswith(t)), None)
    parts = []
    for part in re.split(r"[;,]\s*|\s+", scope.strip()):
        kind, sep, key = part.partition("=")
        if not sep:
            parts.append(part)
            continue
        if kind == "row":
            name = _lookup(_ROW_LABELS, table, key)
        elif kind == "col":
            name = _lookup(_COL_LABELS, table, key)
        elif kind == "table":
            name = keys.TABLE_LABELS.get(key, key)
        else:
            name = key
        parts.append(f"{SCOPE_KIND_LABELS.get(kind, kind)}：{name}")
    return "；".join(parts)


def cell_label(cell_key: str) -> str:
    """Chinese label of a 'T3.new_received.total' cell key; the key itself if it has another shape."""
    table_id, row_key, col_key = (cell_key.split(".") + ["", "", ""])[:3]
    if not (table_id and row_key and col_key):
        return cell_key
    return keys.label_of(table_id, row_key, col_key)


def short_id(file_id: str) -> str:
    """The first 12 hex digits of a sha256, for display (the full value goes in a tooltip)."""
    return f"{file_id[:12]}…" if len(file_id) > 12 else file_id


def text(value: Any) -> str:
    """Any JSON value as display text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def source_link(source_href: str, locator: str) -> str:
    """The link that opens a copied source at a locator: a PDF at its page, any other file whole; "" if not copied."""
    if not source_href:
        return ""
    page = page_of(locator)
    return f"{source_href}#page={page}" if page and source_href.endswith(".pdf") else source_href


def _lookup(labels: dict[str, dict[str, str]], table: str | None, key: str) -> str:
    """A row or column label from the rule's own table first, then from any table."""
    order = ([table] if table else []) + ["T3", "T4", "T2"]
    return next((labels[t][key] for t in order if key in labels[t]), key)
