"""Build small staging lakes for tests: Parquet part files that follow gongkai.contract exactly."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from gongkai.contract import STAGING_TABLES
from gongkai.keys import FMT2021, T3_ROW_LABELS, printed_cells
from gongkai.lake import Lake, write_parquet_atomic
from gongkai.regions.index import region_index

Row = dict[str, Any]


def write_part(lake: Lake, table: str, rows: Iterable[Row], stem: str | None = None) -> Path:
    """Write ``rows`` (possibly none) as one part file of a staging table."""
    arrow = pa.Table.from_pylist(list(rows), schema=STAGING_TABLES[table])
    return write_parquet_atomic(arrow, lake.staging_table(table), stem)


def report(
    report_id: str,
    *,
    region_id: str | None,
    report_year: int | None,
    format_version: str = FMT2021,
    parse_status: str = "complete",
) -> Row:
    """A ``reports`` row resolved to ``region_id`` (a real unit of the reference table; None: unresolved)."""
    file_id = hashlib.sha256(report_id.encode()).hexdigest()
    unit = region_index().units[region_id] if region_id else None
    chain = {u.level: u.name for u in ([unit, *region_index().ancestors(unit)] if unit else [])}
    place = "".join(chain.get(level, "") for level in ("county", "township")) or "某机关"
    code = unit.code_for(report_year) if unit else None
    return {
        "report_id": report_id,
        "file_id": file_id,
        "source_uri": f"https://example.gov.cn/{report_id}.html",
        "file_name": f"{report_id}.html",
        "media_type": "text/html",
        "title": f"{place}{report_year or ''}年政府信息公开工作年度报告",
        "publisher": f"{place}人民政府",
        "publisher_source": "title",
        "org_type": "people_gov",
        "admin_level": unit.level if unit else None,
        "province": chain.get("province"),
        "city": chain.get("prefecture"),
        "county": chain.get("county"),
        "township": chain.get("township"),
        "region_id": region_id,
        "region_level": unit.level if unit else None,
        "region_code": code.code.ljust(12, "0") if code else None,
        "region_code_system": code.code_system if code else None,
        "region_status": "resolved" if unit else "no_publisher",
        "region_confidence": 0.95 if unit else 0.0,
        "region_review": unit is None,
        "region_clues": "{}",
        "report_year": report_year,
        "year_source": "title",
        "published_on": None,
        "format_version": format_version,
        "parse_status": parse_status,
        "parser_version": "test",
        "warnings": "[]",
    }


def cell(
    report_id: str, table_id: str, row_key: str, col_key: str, value: int | str | None, status: str | None = None
) -> Row:
    """A ``report_cells`` row; a null ``value`` is a blank cell unless ``status`` says otherwise."""
    number = None if value is None else Decimal(str(value))
    status = status or ("blank" if number is None else "zero" if number == 0 else "number")
    return {
        "report_id": report_id,
        "table_id": table_id,
        "row_key": row_key,
        "col_key": col_key,
        "value": number,
        "value_raw": "" if number is None else str(value),
        "value_status": status,
        "label_raw": T3_ROW_LABELS.get(row_key, row_key),
        "locator": f"{table_id} {row_key} {col_key}",
        "confidence": 1.0 if number is not None else 0.5,
    }


def t3_total_column(report_id: str, values: Mapping[str, int | None]) -> list[Row]:
    """The T3 总计 (col_key='total') cells of a report, one per row key."""
    return [cell(report_id, "T3", row_key, "total", value) for row_key, value in values.items()]


def finding(
    report_id: str, rule_id: str, status: str, severity: str = "E", left: int | None = None, right: int | None = None
) -> Row:
    """A ``findings`` row."""
    left_value = None if left is None else Decimal(left)
    right_value = None if right is None else Decimal(right)
    delta = None if left is None or right is None else left_value - right_value
    return {
        "report_id": report_id,
        "rule_id": rule_id,
        "scope": "col=total",
        "status": status,
        "severity": severity,
        "family": _FAMILIES.get(rule_id.split("_")[0], "table"),
        "left_value": left_value,
        "right_value": right_value,
        "delta": delta,
        "cells": json.dumps([]),
        "message": f"{rule_id} 检查",
        "compared_report_id": None,
    }


_FAMILIES = {"S": "structure", "N": "narrative", "XR": "cross_report"}  # by rule id prefix (expectations/README.md)


def quarantined(file_name: str, stage: str, reason: str, code: str = "unreadable_format") -> Row:
    """A ``quarantine`` row."""
    return {
        "file_id": hashlib.sha256(file_name.encode()).hexdigest(),
        "file_name": file_name,
        "source_uri": f"https://example.gov.cn/{file_name}",
        "media_type": "application/octet-stream",
        "stage": stage,
        "reason_code": code,
        "reason": reason,
        "parser_version": "test",
    }


def section(report_id: str, section_key: str, order_index: int, heading: str) -> Row:
    """A ``report_sections`` row."""
    return {
        "report_id": report_id,
        "section_key": section_key,
        "order_index": order_index,
        "heading": heading,
        "text": f"{heading}的正文。",
        "locator": f"lines {order_index * 10}-{order_index * 10 + 9}",
    }


def fact(report_id: str, fact_key: str, value: int) -> Row:
    """A ``narrative_facts`` row stating ``value``."""
    return {
        "report_id": report_id,
        "fact_key": fact_key,
        "value": Decimal(value),
        "value_raw": str(value),
        "unit": "件",
        "pattern": fact_key,
        "section_key": "s1_overview",
        "sentence": f"收到{value}件",
        "locator": "line 12",
    }


def table_cells(
    report_id: str,
    format_version: str,
    values: Mapping[str, int | str | None] | None = None,
    *,
    raw: Mapping[str, str] | None = None,
    statuses: Mapping[str, str] | None = None,
    omit: Iterable[str] = (),
) -> list[Row]:
    """Every cell of tables 二, 三, 四 of a ``format_version`` report: 0 unless ``values`` says otherwise
    (keyed by cell id 'T3.new_received.total'; None: blank). ``raw`` overrides the printed text, ``statuses``
    the value status (e.g. 'uncertain', the value then unread), and cells in ``omit`` are not located at all."""
    values, raw, statuses, omit = dict(values or {}), dict(raw or {}), dict(statuses or {}), set(omit)
    printed = printed_cells(format_version)
    unknown = (set(values) | set(raw) | set(statuses) | omit) - {f"{t}.{r}.{c}" for t, r, c in printed}
    if unknown:
        raise ValueError(f"not cells of a {format_version} report: {sorted(unknown)}")
    rows = []
    for n, (table, row_key, col_key) in enumerate(printed):
        ref = f"{table}.{row_key}.{col_key}"
        if ref in omit:
            continue
        made = cell(report_id, table, row_key, col_key, values.get(ref, 0), statuses.get(ref))
        if ref in statuses and statuses[ref] not in ("number", "zero"):
            made["value"] = None
        if ref in raw:
            made["value_raw"] = raw[ref]
        made["locator"] = f"line {n + 1} cell 1"
        rows.append(made)
    return rows


def report_sections(report_id: str, texts: Mapping[str, str]) -> list[Row]:
    """``report_sections`` rows with the given texts, in the order given (headings are the outline's)."""
    headings = {
        "preamble": "",
        "s1_overview": "一、总体情况",
        "s2_active": "二、主动公开政府信息情况",
        "s3_requests": "三、收到和处理政府信息公开申请情况",
        "s4_review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
        "s5_problems": "五、存在的主要问题及改进情况",
        "s6_other": "六、其他需要报告的事项",
        "signature": "",
    }
    return [{**section(report_id, key, n, headings[key]), "text": text} for n, (key, text) in enumerate(texts.items())]


def statement(
    report_id: str,
    fact_key: str,
    value: int | None,
    *,
    pattern: str | None = None,
    sentence: str | None = None,
    ordinal: int = 1,
) -> Row:
    """A ``narrative_facts`` row with its pattern ('none_stated' for "未收到…", '*_approx' for "463余条"); facts of
    one key are numbered by ``ordinal`` (their locator orders them)."""
    row = fact(report_id, fact_key, 0 if value is None else value)
    return {
        **row,
        "value": None if value is None else row["value"],
        "pattern": pattern or fact_key,
        "sentence": sentence or row["sentence"],
        "locator": f"line {10 + ordinal:03d}",
    }
