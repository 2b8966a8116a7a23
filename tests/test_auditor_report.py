"""The auditor report, rendered from a real DuckDB warehouse built to the contract."""
from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa
import pytest

from gongkai import contract
from gongkai.reports import AuditorReportStats, write_auditor_report
from gongkai.reports.auditor import MAX_CELLS_PER_FINDING, format_decimal, scope_label, visible_raw

SEED003_FILE_ID = "5f15ad0c90ddf270" + "a" * 48
CLEAN_FILE_ID = "88f4efaced47710b" + "b" * 48
BLANK_FILE_ID = "8eeef03c195206a0" + "c" * 48
QUARANTINED_FILE_ID = "d" * 64


def _report(report_id: str, file_id: str, file_name: str, publisher: str, year: int, fmt: str,
            parse_status: str = "complete", warnings: list[dict] | None = None) -> dict:
    return {
        "report_id": report_id, "file_id": file_id, "source_uri": f"file:///corpus/{file_name}",
        "file_name": file_name, "media_type": "text/plain", "title": f"{publisher}{year}年政府信息公开工作年度报告",
        "publisher": publisher, "org_type": "people_gov", "admin_level": "township", "province": "青海省",
        "city": "黄南藏族自治州", "county": "河南蒙古族自治县", "township": None, "region_code": None,
        "report_year": year, "format_version": fmt, "parse_status": parse_status, "parser_version": "test",
        "warnings": json.dumps(warnings or [], ensure_ascii=False),
    }


def _cell(key: str, label: str, value: str | None, raw: str, status: str, locator: str) -> dict:
    return {"cell": key, "label": label, "value": value, "raw": raw, "status": status, "locator": locator}


def _finding(report_id: str, rule_id: str, scope: str, status: str, left: str | None, right: str | None,
             cells: list[dict], message: str, severity: str = "E") -> dict:
    left_d = Decimal(left) if left is not None else None
    right_d = Decimal(right) if right is not None else None
    delta = left_d - right_d if left_d is not None and right_d is not None else None
    return {
        "report_id": report_id, "rule_id": rule_id, "scope": scope, "status": status, "severity": severity,
        "left_value": left_d, "right_value": right_d, "delta": delta,
        "cells": json.dumps(cells, ensure_ascii=False), "message": message,
    }


SEED003_BALANCE_CELLS = [
    _cell("T3.new_received.total", "一、本年新收政府信息公开申请数量 · 总计", "17", "\u2002 17", "number", "line 121 cell 7"),
    _cell("T3.carried_in.total", "二、上年结转政府信息公开申请数量 · 总计", "8", "8\u2002", "number", "line 130 cell 7"),
    _cell("T3.outcome_total.total", "（七）总计 · 总计", "0", "0", "zero", "line 360 cell 7"),
    _cell("T3.carried_out.total", "四、结转下年度继续办理 · 总计", "0", "0", "zero", "line 369 cell 7"),
]


def _build_warehouse(path: Path) -> None:
    """A warehouse with a seed-003-like failing report, an uncertain one, a clean one and a quarantined file."""
    reports = [
        _report("r003", SEED003_FILE_ID, "003_5f15ad0c90ddf270.txt", "泽曲镇人民政府", 2022, "fmt2019",
                parse_status="partial",
                warnings=[{"code": "LABEL_MISSING", "detail": "T2_8 行政事业收费 matched without 性"}]),
        _report("r002", BLANK_FILE_ID, "002_8eeef03c195206a0.txt", "某县交通运输局", 2021, "fmt2021"),
        _report("r004", CLEAN_FILE_ID, "004_88f4efaced47710b.txt", "某市生态环境局", 2021, "fmt2021"),
    ]
    nonneg_cells = [
        _cell(f"T3.granted.c{i}", f"单元格{i}", "-1", "-1", "number", f"line {200 + i} cell 1")
        for i in range(MAX_CELLS_PER_FINDING + 5)
    ]
    findings = [
        _finding("r003", "T3_BALANCE", "col=total", "FAIL", "25.0000000000", "0E-10", SEED003_BALANCE_CELLS,
                 "本列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度继续办理"),
        _finding("r003", "T4_REVIEW_TOTAL", "row=review", "PASS", "0", "0", [], "行政复议各项之和等于总计"),
        _finding("r003", "T3_NONNEG_INT", "table=T3", "FAIL", None, None, nonneg_cells, "表三每个单元格均应为非负整数"),
        _finding("r002", "T3_ROW_TOTAL", "row=new_received", "UNCERTAIN", None, "3", [
            _cell("T3.new_received.natural_person", "一、本年新收政府信息公开申请数量 · 自然人", None, "\u3000",
                  "blank", "table 2 r3 c2"),
            _cell("T3.new_received.total", "一、本年新收政府信息公开申请数量 · 总计", "3", "3", "number",
                  "table 2 r3 c8"),
        ], "各类申请人之和应等于总计"),
        _finding("r002", "T2_FEE_PRECISION", "row=admin_fee", "PASS", "0.0052000000", None, [], "收费金额精度"),
        _finding("r004", "T3_BALANCE", "col=total", "PASS", "5", "5", [], "本列平衡"),
        _finding("r004", "T2_REG_LEVEL", "row=regulation", "NOT_ASSESSABLE", None, None, [], "无法判断机关层级"),
    ]
    quarantine = [{
        "file_id": QUARANTINED_FILE_ID, "file_name": "broken<1>.pdf", "source_uri": "file:///corpus/broken.pdf",
        "media_type": "application/pdf", "stage": "read", "reason": "PDF 无文字层 <no text layer>",
    }]
    tables = {
        "reports": pa.Table.from_pylist(reports, schema=contract.REPORTS),
        "report_cells": pa.Table.from_pylist([], schema=contract.REPORT_CELLS),
        "findings": pa.Table.from_pylist(findings, schema=contract.FINDINGS),
        "quarantine": pa.Table.from_pylist(quarantine, schema=contract.QUARANTINE),
    }
    con = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            con.register(f"{name}_arrow", table)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
            con.unregister(f"{name}_arrow")
        # what dbt derives from the contract tables and the (here: no) auditor decisions
        con.register("decisions_arrow", pa.Table.from_pylist([], schema=contract.REVIEW_DECISIONS))
        con.execute("CREATE TABLE int_review_decisions_stale AS SELECT * FROM decisions_arrow")
        con.execute("CREATE TABLE mart_publication_coverage AS SELECT * FROM (VALUES ('township', 2022, true), "
                    "('township', 2022, false)) AS t(region_level, report_year, published)")
        con.execute("CREATE VIEW int_findings_reviewed AS SELECT f.*, r.file_id, NULL::VARCHAR AS review_status, "
                    "NULL::VARCHAR AS review_note, NULL::VARCHAR AS reviewer, NULL::TIMESTAMPTZ AS reviewed_at "
                    "FROM findings f LEFT JOIN reports r USING (report_id)")
    finally:
        con.close()


class _Collector(HTMLParser):
    """Collects what the assertions need and checks that every element is closed in order."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "br", "link", "img", "input", "hr", "wbr", "col", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.resource_refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.local_links: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag in {"link", "script", "img", "iframe", "object", "embed", "source", "video", "audio"}:
            for attr in ("src", "href", "data", "srcset"):
                if values.get(attr):
                    self.resource_refs.append((tag, attr, values[attr] or ""))
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.local_links.append((values["href"] or "")[1:])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


@pytest.fixture()
def rendered(tmp_path: Path) -> tuple[Path, Path, str, AuditorReportStats]:
    warehouse = tmp_path / "warehouse.duckdb"
    _build_warehouse(warehouse)
    out = tmp_path / "reports" / "auditor_report.html"
    run_summary = {"files_seen": 6, "landed": 5, "duplicates": 1, "parsed": 3, "quarantined": 1,
                   "findings_by_status": {"FAIL": 2, "UNCERTAIN": 1, "PASS": 3, "NOT_ASSESSABLE": 1}}
    stats = write_auditor_report(warehouse, out, run_summary)
    return warehouse, out, out.read_text(encoding="utf-8"), stats


def test_html_is_wellformed_and_self_contained(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, out, html, stats = rendered
    parser = _Collector()
    parser.feed(html)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert parser.html_lang == "zh-CN"
    assert '<meta charset="utf-8">' in html
    assert parser.resource_refs == []                      # no link/script/img at all
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
    assert set(parser.local_links) <= parser.ids           # every in-page link has its anchor
    assert stats.bytes_written == out.stat().st_size
    assert [p.name for p in out.parent.iterdir()] == ["auditor_report.html"]   # no temporary file left


def test_fail_finding_shows_cells_values_and_difference(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, _, html, stats = rendered
    assert "审计报告" in html and "数据质量报告" in html
    assert "泽曲镇人民政府" in html and "2019年版格式" in html and "003_5f15ad0c90ddf270.txt" in html
    assert f'title="{SEED003_FILE_ID}"' in html and SEED003_FILE_ID[:12] + "…" in html
    assert "T3_BALANCE" in html and "范围：列：总计" in html
    assert "本列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度继续办理" in html
    for cell in SEED003_BALANCE_CELLS:
        assert cell["label"] in html and cell["locator"] in html
    assert '<td class="num">17</td>' in html and '<td class="num">8</td>' in html
    assert "⟨U+2002⟩ 17" in html                          # the printed EN SPACE stays visible
    assert "左边 <b>25</b>" in html and "右边 <b>0</b>" in html and "差额 <b>25</b>" in html
    assert "25.0000000000" not in html and "0E-10" not in html
    assert "LABEL_MISSING" in html and "部分解析" in html
    assert (stats.reports_total, stats.reports_with_findings, stats.sections_rendered, stats.findings_rendered) == (
        3, 2, 2, 3)


def test_uncertain_finding_and_ordering(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, _, html, _ = rendered
    assert "无法确定" in html and "T3_ROW_TOTAL" in html and "范围：行：一、本年新收政府信息公开申请数量" in html
    assert "⟨U+3000⟩" in html and "空白" in html and "table 2 r3 c2" in html
    details = html.split('id="details"', 1)[1]
    assert details.index("泽曲镇人民政府") < details.index("某县交通运输局")   # most FAILs first


def test_truncated_evidence_is_announced(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, _, html, _ = rendered
    assert f"共涉及 {MAX_CELLS_PER_FINDING + 5} 个单元格，仅显示前 {MAX_CELLS_PER_FINDING} 个，另有 5 个未显示" in html
    assert f"line {200 + MAX_CELLS_PER_FINDING - 1} cell 1" in html
    assert f"line {200 + MAX_CELLS_PER_FINDING} cell 1" not in html


def test_clean_report_quarantine_and_escaping(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, _, html, _ = rendered
    passed = html.split('id="passed"', 1)[1].split('id="quarantine"', 1)[0]
    assert "<details>" in passed and "某市生态环境局" in passed and "泽曲镇人民政府" not in passed
    quarantine = html.split('id="quarantine"', 1)[1].split('id="parse-problems"', 1)[0]
    assert "隔离文件" in html and "PDF 无文字层 &lt;no text layer&gt;" in quarantine
    assert "broken&lt;1&gt;.pdf" in quarantine and "<no text layer>" not in html
    parse_problems = html.split('id="parse-problems"', 1)[1]
    assert "泽曲镇人民政府" in parse_problems and "某市生态环境局" not in parse_problems.split('id="legend"')[0]
    for label, value in (("发现文件", 6), ("入湖文件", 5), ("重复文件", 1), ("已解析", 3), ("已隔离", 1)):
        assert f'<span class="num">{value}</span><span class="lbl">{label}</span>' in html
    assert "检查结果 · 不通过" in html and "检查结果 · 无法评估" in html


def test_warehouse_is_not_left_locked(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    warehouse = rendered[0]
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("INSERT INTO quarantine (file_id, file_name, source_uri, media_type, stage, reason_code, reason) "
                        "VALUES ('x', 'x.txt', 'file:///x', 'text/plain', 'land', 'too_large', 'test')")
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (2,)
    finally:
        con.close()


def test_report_without_run_summary(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _build_warehouse(warehouse)
    out = tmp_path / "auditor_report.html"
    write_auditor_report(warehouse, out)
    assert "未提供本次运行的统计" in out.read_text(encoding="utf-8")


def test_section_cap_keeps_every_problem_report_in_the_summary(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _build_warehouse(warehouse)
    out = tmp_path / "auditor_report.html"
    stats = write_auditor_report(warehouse, out, max_sections=1)
    html = out.read_text(encoding="utf-8")
    summary = html.split('id="summary"', 1)[1].split('id="details"', 1)[0]
    assert "泽曲镇人民政府" in summary and "某县交通运输局 <span class=\"muted\">（未展开）</span>" in summary
    assert "仅前 1 份在第三部分展开详情" in summary and "另有 1 份问题报告未展开详情" in html
    assert "T3_ROW_TOTAL" not in html
    assert (stats.reports_with_findings, stats.sections_rendered, stats.findings_rendered) == (2, 1, 2)


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("17.0000000000"), "17"), (Decimal("0.0052000000"), "0.0052"), (Decimal(100), "100"),
    (Decimal("-8.0000000000"), "-8"), (Decimal("0E-10"), "0"), (None, "—"), ("17.50", "17.5"), (3, "3"),
])
def test_format_decimal(value: object, expected: str) -> None:
    assert format_decimal(value) == expected


def test_scope_and_raw_text() -> None:
    assert scope_label("T3_BALANCE", "col=total") == "列：总计"
    assert scope_label("T4_REVIEW_TOTAL", "row=review") == "行：行政复议"
    assert scope_label("T3_NONNEG_INT", "table=T3") == "表：表三 收到和处理政府信息公开申请情况"
    assert visible_raw("\u2002 17") == "⟨U+2002⟩ 17" and visible_raw("") == "（空）"


def test_publication_coverage_is_shown_by_level_and_year(rendered: tuple[Path, Path, str, AuditorReportStats]) -> None:
    _, _, html, _ = rendered
    coverage = html[html.index("发布覆盖（参考区划）"):]
    row = coverage[coverage.index("<tr><td>2022</td>"):coverage.index("</tr>", coverage.index("<tr><td>2022</td>"))]
    assert "乡镇（街道）" in row and ">2<" in row and ">1<" in row and "50.0%" in row
