"""Findings of the report-level rules (suite ``report_checks``): e.g. S_FORMAT_YEAR, a 2022 report in the 2019 format.

GX decides on a frame of one row per (report, rule) with the printed format and the format its year
prescribes; a report whose year or format is unknown is NOT_ASSESSABLE. The evidence names the year and
where it was read, so an auditor can check both.
"""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa

from gongkai.rules.gx_runner import run_suite
from gongkai.rules.messages import FORMAT_WORDS
from gongkai.rules.suites import REPORT_CHECKS, ReportRule, Suites

_YEAR_SOURCES = {"title": "标题", "period": "统计期限", "body": "正文"}


def report_findings(suites: Suites, reports: pa.Table) -> list[dict[str, Any]]:
    """One finding per report and report rule (FINDINGS columns plus report_pos / rule_pos for ordering)."""
    if not suites.report_rules or reports.num_rows == 0:
        return []
    rows = reports.select(["report_id", "report_year", "year_source", "format_version"]).to_pylist()
    frame_rows, findings = [], []
    for rule_pos, rule in enumerate(suites.report_rules):
        for report_pos, report in enumerate(rows):
            expected = rule.expected_format(report["report_year"])
            if expected is None or report["format_version"] not in rule.formats:
                findings.append(_finding(rule, report, "NOT_ASSESSABLE", _not_assessable(rule, report),
                                         report_pos, rule_pos))
                continue
            frame_rows.append({"report_id": report["report_id"], "rule_id": rule.rule_id,
                               "format_version": report["format_version"], "expected_format": expected,
                               "report_pos": report_pos, "rule_pos": rule_pos})
    if frame_rows:
        frame = pd.DataFrame(frame_rows)
        checks = run_suite(suites.documents[REPORT_CHECKS], frame, ["report_id", "rule_id"])
        failing = {(row["report_id"], row["rule_id"]) for check in checks for row in check.unexpected}
        rules = {rule.rule_id: rule for rule in suites.report_rules}
        for item in frame_rows:
            rule, report = rules[item["rule_id"]], rows[item["report_pos"]]
            failed = (item["report_id"], item["rule_id"]) in failing
            findings.append(_finding(rule, report, "FAIL" if failed else "PASS",
                                     _verdict(rule, report, item["expected_format"], failed),
                                     item["report_pos"], item["rule_pos"], evidence=True))
    return findings


def _finding(rule: ReportRule, report: dict[str, Any], status: str, message: str, report_pos: int,
             rule_pos: int, evidence: bool = False) -> dict[str, Any]:
    return {"report_id": report["report_id"], "rule_id": rule.rule_id, "scope": rule.table_scope,
            "status": status, "severity": rule.severity, "left_value": None, "right_value": None, "delta": None,
            "cells": _evidence(report) if evidence else "[]", "message": message,
            "report_pos": report_pos, "rule_pos": 1000 + rule_pos, "scope_pos": 0}


def _evidence(report: dict[str, Any]) -> str:
    where = _YEAR_SOURCES.get(report["year_source"] or "", report["year_source"] or "")
    return json.dumps([
        {"cell": "report_year", "label": "报告年度", "value": report["report_year"], "locator": where},
        {"cell": "format_version", "label": "表格格式", "raw": FORMAT_WORDS.get(report["format_version"]),
         "locator": "表二、表三的表头"},
    ], ensure_ascii=False)


def _verdict(rule: ReportRule, report: dict[str, Any], expected: str, failed: bool) -> str:
    printed = FORMAT_WORDS.get(report["format_version"], report["format_version"])
    if failed:
        return (f"{rule.description}。本报告为{report['report_year']}年度报告，应使用{FORMAT_WORDS[expected]}格式，"
                f"实际使用{printed}格式")
    return f"{rule.description}。本报告为{report['report_year']}年度报告，使用{printed}格式，相符"


def _not_assessable(rule: ReportRule, report: dict[str, Any]) -> str:
    if report["report_year"] is None:
        return f"{rule.description}。未能确定报告年度，无法检查"
    printed = FORMAT_WORDS.get(report["format_version"], "未能识别")
    return f"{rule.description}。本报告的格式为「{report['format_version']}」（{printed}），无法检查"
