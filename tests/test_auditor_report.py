"""The auditor site (index, one page per report, local assets), rendered from real DuckDB warehouses built to
the contract: a small one whose every finding is known, and a synthetic one of 10,000 reports built in SQL for size
and time.

The interactive parts of the index are tested in a browser (test_auditor_site_browser.py), from the same warehouse.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import duckdb
import jinja2
import pyarrow as pa
import pytest

from gongkai import contract
from gongkai.reports import AuditorReportStats, write_auditor_report
from gongkai.reports.formatting import format_decimal, scope_label, visible_raw
from gongkai.reports.index_page import REPORT_FIELDS, REPORTS_PER_DATA_FILE
from gongkai.reports.labels import STATUS_LABELS, rule_family
from gongkai.reports.paths import report_page_name
from gongkai.reports.views import MAX_CELLS_PER_FINDING

SEED003_FILE_ID = "5f15ad0c90ddf270" + "a" * 48
CLEAN_FILE_ID = "88f4efaced47710b" + "b" * 48
BLANK_FILE_ID = "8eeef03c195206a0" + "c" * 48
QUARANTINED_FILE_ID = "d" * 64
SOURCES = {SEED003_FILE_ID: "sources/5f15ad0c90ddf270.pdf", BLANK_FILE_ID: "sources/8eeef03c195206a0.html.txt"}
OPTIONAL_COLUMNS = ("family", "compared_report_id")  # findings columns newer than the first contract
MAX_FILE_BYTES = 3_000_000
FINDINGS_BY_REPORT = (
    Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "intermediate" / "int_findings_by_report.sql"
)


def _report(
    report_id: str,
    file_id: str,
    file_name: str,
    publisher: str,
    year: int,
    fmt: str,
    parse_status: str = "complete",
    warnings: list[dict] | None = None,
    **region: object,
) -> dict:
    return {
        "report_id": report_id,
        "file_id": file_id,
        "source_uri": f"file:///corpus/{file_name}",
        "file_name": file_name,
        "media_type": "text/plain",
        "title": f"{publisher}{year}年政府信息公开工作年度报告",
        "publisher": publisher,
        "org_type": "people_gov",
        "admin_level": "township",
        "province": "青海省",
        "city": "黄南藏族自治州",
        "county": "河南蒙古族自治县",
        "township": None,
        "region_code": None,
        "report_year": year,
        "format_version": fmt,
        "parse_status": parse_status,
        "parser_version": "test",
        "warnings": json.dumps(warnings or [], ensure_ascii=False),
        **region,
    }


def _cell(key: str, label: str, value: str | None, raw: str, status: str, locator: str) -> dict:
    return {"cell": key, "label": label, "value": value, "raw": raw, "status": status, "locator": locator}


def _finding(
    report_id: str,
    rule_id: str,
    scope: str,
    status: str,
    left: str | None,
    right: str | None,
    cells: list[dict],
    message: str,
    severity: str = "E",
    compared: str | None = None,
) -> dict:
    left_d = Decimal(left) if left is not None else None
    right_d = Decimal(right) if right is not None else None
    delta = left_d - right_d if left_d is not None and right_d is not None else None
    return {
        "report_id": report_id,
        "rule_id": rule_id,
        "scope": scope,
        "status": status,
        "severity": severity,
        "left_value": left_d,
        "right_value": right_d,
        "delta": delta,
        "cells": json.dumps(cells, ensure_ascii=False),
        "message": message,
        "family": rule_family(rule_id),
        "compared_report_id": compared,
    }


SEED003_BALANCE_CELLS = [
    _cell(
        "T3.new_received.total",
        "一、本年新收政府信息公开申请数量 · 总计",
        "17",
        "\u2002 17",
        "number",
        "p3 bbox(72,400,96,412)",
    ),
    _cell(
        "T3.carried_in.total",
        "二、上年结转政府信息公开申请数量 · 总计",
        "8",
        "8\u2002",
        "number",
        "p3 bbox(72,420,96,432)",
    ),
    _cell("T3.outcome_total.total", "（七）总计 · 总计", "0", "0", "zero", "p4 bbox(72,100,96,112)"),
    _cell("T3.carried_out.total", "四、结转下年度继续办理 · 总计", "0", "0", "zero", "p4 bbox(72,120,96,132)"),
]
REVIEW_NOTE = "已与发布机关核实 <原表如此>"


def findings_schema(optional_columns: bool) -> pa.Schema:
    """The contract's findings schema, with or without the optional columns, whichever the contract has now."""
    schema = contract.FINDINGS
    for name in OPTIONAL_COLUMNS:
        if optional_columns and name not in schema.names:
            schema = schema.append(pa.field(name, pa.string()))
        if not optional_columns and name in schema.names:
            schema = schema.remove(schema.get_field_index(name))
    return schema


def build_warehouse(path: Path, optional_columns: bool = True) -> None:
    """A warehouse with a seed-003-like failing report (one FAIL reviewed), an uncertain one that a cross-year rule
    compares with the failing one, a clean one, a quarantined file and one stale decision."""
    reports = [
        _report(
            "r003",
            SEED003_FILE_ID,
            "003_5f15ad0c90ddf270.pdf",
            "泽曲镇人民政府",
            2022,
            "fmt2019",
            parse_status="partial",
            warnings=[{"code": "LABEL_MISSING", "detail": "T2_8 行政事业收费 matched without 性"}],
        ),
        _report("r002", BLANK_FILE_ID, "002_8eeef03c195206a0.html", "某县交通运输局", 2021, "fmt2021"),
        _report(
            "r004",
            CLEAN_FILE_ID,
            "004_88f4efaced47710b.txt",
            "某市生态环境局",
            2021,
            "fmt2021",
            province="河南省",
            city="洛阳市",
            county="孟津区",
            region_review=True,
            region_status="partial",
            region_clues=json.dumps(
                {"note": "只确定到县", "clues": [{"kind": "name", "value": "孟津", "where": "body", "points": 8.0}]},
                ensure_ascii=False,
            ),
        ),
    ]
    nonneg_cells = [
        _cell(f"T3.granted.c{i}", f"单元格{i}", "-1", "-1", "number", f"p5 bbox(10,{i},20,{i + 10})")
        for i in range(MAX_CELLS_PER_FINDING + 5)
    ]
    findings = [
        _finding(
            "r003",
            "T3_BALANCE",
            "col=total",
            "FAIL",
            "25.0000000000",
            "0E-10",
            SEED003_BALANCE_CELLS,
            "本列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度继续办理。总计列相差25",
        ),
        _finding("r003", "T4_REVIEW_TOTAL", "row=review", "PASS", "0", "0", [], "行政复议各项之和等于总计。本行相符"),
        _finding(
            "r003",
            "T3_NONNEG_INT",
            "table=T3",
            "FAIL",
            None,
            None,
            nonneg_cells,
            "表三每个单元格均应为非负整数",
            severity="W",
        ),
        _finding(
            "r003", "S_FORMAT_YEAR", "", "FAIL", None, None, [], "报告格式应与报告年度相符。2022年度应使用2021年版"
        ),
        _finding(
            "r003",
            "XR_CARRIED_OVER",
            "col=total",
            "FAIL",
            "0",
            "3",
            [],
            "上年结转应等于上年报告的结转下年度",
            compared="r002",
        ),
        _finding(
            "r002",
            "T3_ROW_TOTAL",
            "row=new_received",
            "UNCERTAIN",
            None,
            "3",
            [
                _cell(
                    "T3.new_received.natural_person",
                    "一、本年新收政府信息公开申请数量 · 自然人",
                    None,
                    "\u3000",
                    "blank",
                    "table 2 r3 c2",
                ),
                _cell(
                    "T3.new_received.total",
                    "一、本年新收政府信息公开申请数量 · 总计",
                    "3",
                    "3",
                    "number",
                    "table 2 r3 c8",
                ),
            ],
            "各类申请人之和应等于总计",
        ),
        _finding(
            "r002",
            "T4_LIT_DIRECT_TOTAL",
            "row=litigation",
            "PASS_LENIENT",
            "2",
            "2",
            [_cell("T4.lit_direct.kept", "行政诉讼 · 维持", None, "", "blank", "table 3 r2 c1")],
            "直接起诉各项之和应等于总计。若空白按0计，可以通过",
        ),
        _finding("r002", "T2_FEE_PRECISION", "row=admin_fee", "PASS", "0.0052000000", None, [], "收费金额精度"),
        _finding(
            "r004",
            "T3_BALANCE",
            "col=total",
            "PASS",
            "5",
            "5",
            [],
            "本列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度继续办理。总计列相符",
        ),
        _finding("r004", "T2_REG_LEVEL", "row=regulation", "NOT_ASSESSABLE", None, None, [], "无法判断机关层级"),
    ]
    quarantine = [
        {
            "file_id": QUARANTINED_FILE_ID,
            "file_name": "broken<1>.pdf",
            "source_uri": "file:///corpus/broken.pdf",
            "media_type": "application/pdf",
            "stage": "read",
            "reason": "PDF 无文字层 <no text layer>",
        }
    ]
    decisions = [
        {
            "file_id": SEED003_FILE_ID,
            "rule_id": "T3_BALANCE",
            "scope": "col=total",
            "review_status": "confirmed",
            "review_note": REVIEW_NOTE,
            "reviewer": "张三",
            "reviewed_at": datetime(2024, 5, 1, 8, tzinfo=UTC),
        },
        {
            "file_id": CLEAN_FILE_ID,
            "rule_id": "T3_BALANCE",
            "scope": "col=no_such_column",
            "review_status": "explained",
            "review_note": "旧结论",
            "reviewer": "李四",
            "reviewed_at": datetime(2024, 4, 1, 8, tzinfo=UTC),
        },
    ]
    con = duckdb.connect(str(path))
    try:
        _create(con, "reports", pa.Table.from_pylist(reports, schema=contract.REPORTS))
        _create(con, "report_cells", pa.Table.from_pylist([], schema=contract.REPORT_CELLS))
        _create(con, "findings", pa.Table.from_pylist(findings, schema=findings_schema(optional_columns)))
        _create(con, "quarantine", pa.Table.from_pylist(quarantine, schema=contract.QUARANTINE))
        _create(con, "decisions", pa.Table.from_pylist(decisions, schema=contract.REVIEW_DECISIONS))
        _derive(con)
        con.execute(
            "CREATE TABLE int_review_decisions_stale AS SELECT * FROM decisions WHERE scope = 'col=no_such_column'"
        )
        con.execute(
            "CREATE TABLE mart_publication_coverage AS SELECT * FROM (VALUES ('township', 2022, true), "
            "('township', 2022, false)) AS t(region_level, report_year, published)"
        )
    finally:
        con.close()


def _create(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _derive(con: duckdb.DuckDBPyConnection) -> None:
    """What dbt derives from the contract tables and the auditor's decisions: int_findings_reviewed, and
    int_findings_by_report from the dbt model itself (its refs named after this warehouse's tables; without the
    family column of newer contracts, the model reads a NULL family)."""
    con.execute("""CREATE TABLE int_findings_reviewed AS
        SELECT f.*, r.file_id, d.review_status, d.review_note, d.reviewer, d.reviewed_at
        FROM findings f LEFT JOIN reports r USING (report_id)
        LEFT JOIN decisions d ON d.file_id = r.file_id AND d.rule_id = f.rule_id AND d.scope = f.scope""")
    columns = {name for (name,) in con.execute("SELECT column_name FROM (DESCRIBE int_findings_reviewed)").fetchall()}
    reviewed = (
        "int_findings_reviewed"
        if "family" in columns
        else "(SELECT *, NULL::VARCHAR AS family FROM int_findings_reviewed)"
    )
    tables = {"stg_lake__reports": "reports", "int_findings_reviewed": reviewed}
    model = jinja2.Template(FINDINGS_BY_REPORT.read_text(encoding="utf-8")).render(ref=tables.__getitem__)
    con.execute(f"CREATE VIEW int_findings_by_report AS {model}")


class _Collector(HTMLParser):
    """Collects what the assertions need and checks that every element is closed in order."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "br", "link", "img", "input", "hr", "wbr", "col", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.resource_refs: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag in {"link", "script", "img", "iframe", "object", "embed", "source", "video", "audio"}:
            self.resource_refs += [values[a] for a in ("src", "href", "data", "srcset") if values.get(a)]
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


def parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    assert collector.errors == [] and collector.stack == []
    return collector


def report_list(index: Path) -> list[dict]:
    """The report list as the index's script reads it: every data file the index loads, rows named by the fields."""
    html = index.read_text(encoding="utf-8")
    fields = json.loads(re.search(r"window\.GONGKAI_SITE = (\{.*?\});</script>", html).group(1))["fields"]
    rows = []
    for src in re.findall(r'<script src="(site/reports_index_\d+\.js)"></script>', html):
        text = (index.parent / src).read_text(encoding="utf-8")
        body = text.split(".push(", 1)[1].rsplit(");", 1)[0]
        rows += [dict(zip(fields, row, strict=True)) for row in json.loads(body)]
    return rows


def render(
    tmp_path: Path, optional_columns: bool = True, run_summary: dict | None = None, **kwargs: object
) -> tuple[Path, AuditorReportStats]:
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(warehouse, optional_columns)
    index = tmp_path / "reports" / "auditor_report.html"
    return index, write_auditor_report(warehouse, index, run_summary, **kwargs)


RUN_SUMMARY = {
    "files_seen": 6,
    "landed": 5,
    "duplicates": 1,
    "parsed": 3,
    "quarantined": 1,
    "findings_by_status": {"FAIL": 4, "UNCERTAIN": 1, "PASS": 3, "NOT_ASSESSABLE": 1, "PASS_LENIENT": 1},
}


@pytest.fixture()
def site(tmp_path: Path) -> tuple[Path, AuditorReportStats]:
    return render(tmp_path, run_summary=RUN_SUMMARY, sources=SOURCES)


def page(index: Path, report_id: str) -> str:
    return (index.parent / "reports" / report_page_name(report_id)).read_text(encoding="utf-8")


def test_every_page_is_wellformed_and_loads_only_local_files(site: tuple[Path, AuditorReportStats]) -> None:
    index, stats = site
    folder = index.parent
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert written == [
        "auditor_report.html",
        "reports/r002.html",
        "reports/r003.html",
        "reports/r004.html",
        "site/auditor.css",
        "site/auditor_index.js",
        "site/reports_index_1.js",
    ]  # no temporary file
    for html_file in (folder / "auditor_report.html", *(folder / "reports").iterdir()):
        html = html_file.read_text(encoding="utf-8")
        collector = parsed(html)
        assert collector.html_lang == "zh-CN" and '<meta charset="utf-8">' in html
        for ref in collector.resource_refs + [link.split("#")[0] for link in collector.links]:
            assert "//" not in ref and not ref.startswith("/")  # relative, nothing from the network
            if ref and not ref.startswith("../sources/") and not ref.endswith(".xlsx"):
                assert (html_file.parent / ref).is_file(), (html_file.name, ref)
        assert {link[1:] for link in collector.links if link.startswith("#")} <= collector.ids
        assert "@import" not in html and "url(" not in html
    assert (stats.reports_total, stats.reports_with_problems, stats.report_pages) == (3, 2, 3)
    assert stats.index_bytes == index.stat().st_size
    assert stats.findings_shown == 7  # every finding but the three PASS


def test_index_summarises_the_run_the_warehouse_and_the_failures_by_rule(site: tuple[Path, AuditorReportStats]) -> None:
    index, _ = site
    html = index.read_text(encoding="utf-8")
    assert "审计报告" in html and "数据质量报告" in html
    for label, value in (("发现文件", 6), ("入湖文件", 5), ("重复文件", 1), ("已解析", 3), ("已隔离", 1)):
        assert f'<span class="num">{value}</span><span class="lbl">{label}</span>' in html
    assert '<span class="num">1</span><span class="lbl">本次检查 · 宽松通过</span>' in html
    for status, label in STATUS_LABELS.items():
        assert f"检查结果 · {label}" in html, status
    rules = html.split('id="rules"', 1)[1].split('id="regions"', 1)[0]
    balance = rules[
        rules.index("<code>T3_BALANCE</code>") : rules.index("</tr>", rules.index("<code>T3_BALANCE</code>"))
    ]
    assert "表内勾稽" in balance and "错误" in balance and "本列：一、本年新收" in balance
    assert 'data-filter-rule="T3_BALANCE">1</a>' in balance
    assert rules.index("S_FORMAT_YEAR") < rules.index("T2_REG_LEVEL")  # failed rules first
    assert "报告结构" in rules and "跨年度" in rules and "上年结转应等于上年报告的结转下年度" in rules
    assert "报告格式应与报告年度相符</td>" in rules  # the words before the first 。
    regions = html.split('id="regions"', 1)[1].split('id="quarantine"', 1)[0]
    assert '<th class="num">2021</th>' in regions and '<th class="num">2022</th>' in regions
    qinghai = regions[regions.index(">青海省<") : regions.index("</tr>", regions.index(">青海省<"))]
    assert qinghai.index('0 <span class="muted">（0/1）</span>') < qinghai.index(
        '4 <span class="muted">（1/1）</span>'
    )  # 2021: no FAIL; 2022: 4 FAILs
    henan = regions[regions.index(">河南省<") : regions.index("</tr>", regions.index(">河南省<"))]
    assert henan.count("—") == 1  # no report of 2022
    assert 'data-filter-city="黄南藏族自治州"' in regions


def test_index_lists_quarantine_parse_and_region_problems_escaped(site: tuple[Path, AuditorReportStats]) -> None:
    index, _ = site
    html = index.read_text(encoding="utf-8")
    quarantine = html.split('id="quarantine"', 1)[1].split('id="parse-problems"', 1)[0]
    assert "PDF 无文字层 &lt;no text layer&gt;" in quarantine and "broken&lt;1&gt;.pdf" in quarantine
    assert "<no text layer>" not in html
    parse_problems = html.split('id="parse-problems"', 1)[1].split('id="region-review"', 1)[0]
    assert '<a href="reports/r003.html">泽曲镇人民政府</a>' in parse_problems and "LABEL_MISSING" in parse_problems
    assert "某市生态环境局" not in parse_problems
    region_review = html.split('id="region-review"', 1)[1].split('id="skipped"', 1)[0]
    assert '<a href="reports/r004.html">某市生态环境局</a>' in region_review
    assert "区划名 孟津（正文）+8" in region_review
    stale = html.split('id="stale-decisions"', 1)[1]
    assert "九、失效的审核结论（1）" in html and "旧结论" in stale and "已说明" in stale


def test_index_lists_the_urls_that_could_not_be_fetched_with_their_reasons(tmp_path: Path) -> None:
    url = "http://www.mengjin.gov.cn/ndbg/2019.pdf?<x>"
    web = {
        "urls": 5,
        "landed": 2,
        "not_modified": 1,
        "duplicate": 0,
        "listing": 1,
        "failed": 1,
        "failures": [
            {
                "url": url,
                "code": "html_instead_of_file",
                "status": 200,
                "reason": "链接应为文件，返回的却是网页（验证码、错误或登录页）：PDF链接，网页标题“安全验证”",
                "parent": "http://www.mengjin.gov.cn/ndbg/index.html",
            }
        ],
    }
    index, _ = render(tmp_path, run_summary={**RUN_SUMMARY, "web": web})
    html = index.read_text(encoding="utf-8")
    assert "十、网页抓取失败（1）" in html
    section = html.split('id="web-failures"', 1)[1].split("</section>", 1)[0]
    assert "抓取了 5 个网址：新入湖 2，未修改（服务器返回 304）1" in section
    assert "http://www.mengjin.gov.cn/ndbg/2019.pdf?&lt;x&gt;" in section and url not in section  # escaped
    assert "链接应为文件，返回的却是网页（验证码、错误或登录页） <code>html_instead_of_file</code>" in section
    assert "<td>PDF链接，网页标题“安全验证”</td>" in section and "http://www.mengjin.gov.cn/ndbg/index.html" in section
    (tmp_path / "no-web").mkdir()
    without, _ = render(tmp_path / "no-web", run_summary=RUN_SUMMARY)
    assert "本次运行没有抓取网页" in without.read_text(encoding="utf-8")


def test_the_report_list_data_holds_every_report_with_its_counts(site: tuple[Path, AuditorReportStats]) -> None:
    index, _ = site
    rows = {row["page"]: row for row in report_list(index)}
    assert set(rows) == {"r002.html", "r003.html", "r004.html"}
    failing = rows["r003.html"]
    assert (failing["fail"], failing["fail_E"], failing["fail_W"], failing["fail_I"]) == (4, 3, 1, 0)
    assert failing["rules"] == ["S_FORMAT_YEAR", "T3_BALANCE", "T3_NONNEG_INT", "XR_CARRIED_OVER"]
    assert failing["reviews"] == "确认问题 1" and failing["open"] == 3 and failing["parse_status"] == "partial"
    assert (failing["province"], failing["county"], failing["year"]) == ("青海省", "河南蒙古族自治县", 2022)
    uncertain = rows["r002.html"]
    assert (uncertain["fail"], uncertain["uncertain"], uncertain["lenient"], uncertain["open"]) == (0, 1, 1, 1)
    assert rows["r004.html"]["region_review"] == 1 and rows["r004.html"]["not_assessable"] == 1
    html = index.read_text(encoding="utf-8")
    assert '<script src="site/auditor_index.js"></script>' in html and '"reports": 3' in html


def test_a_report_page_shows_its_findings_by_family_with_evidence_linked_to_the_source(
    site: tuple[Path, AuditorReportStats],
) -> None:
    index, _ = site
    html = page(index, "r003")
    assert '<a href="../auditor_report.html#reports">' in html and "../site/auditor.css" in html
    assert "泽曲镇人民政府" in html and "2019年版格式" in html and "003_5f15ad0c90ddf270.pdf" in html
    assert "青海省 黄南藏族自治州 河南蒙古族自治县" in html and "LABEL_MISSING" in html and "部分解析" in html
    assert f'title="{SEED003_FILE_ID}"' in html and SEED003_FILE_ID[:12] + "…" in html
    assert '<a href="../sources/5f15ad0c90ddf270.pdf">打开文件副本</a>' in html
    findings = html.split('id="findings"', 1)[1].split('id="passed"', 1)[0]
    assert [h for h in re.findall(r"<h3>(.*?)</h3>", findings)] == ["表内勾稽（2）", "报告结构（1）", "跨年度（1）"]
    assert findings.index("T3_BALANCE") < findings.index("T3_NONNEG_INT")  # 错误 before 警告
    assert "范围：列：总计" in findings and "本列：一、本年新收 + 二、上年结转" in findings
    for cell in SEED003_BALANCE_CELLS:
        assert cell["label"] in findings and f'title="{cell["locator"]}"' in findings
    assert '<a href="../sources/5f15ad0c90ddf270.pdf#page=3">第3页（距左72、距顶400磅）</a>' in findings
    assert '<td class="num">17</td>' in findings and "⟨U+2002⟩ 17" in findings
    assert "左边 <b>25</b>" in findings and "右边 <b>0</b>" in findings and "差额 <b>25</b>" in findings
    assert "25.0000000000" not in html and "0E-10" not in html
    assert "审核：确认问题" in findings and "已与发布机关核实 &lt;原表如此&gt;" in findings and "2024-05-01" in findings
    assert '对比：<a href="r002.html">2021 某县交通运输局 报告</a>' in findings
    passed = html.split('id="passed"', 1)[1]
    assert "<details>" in passed and "T4_REVIEW_TOTAL" in passed and "T3_BALANCE" not in passed


def test_evidence_over_the_cap_is_counted(site: tuple[Path, AuditorReportStats]) -> None:
    html = page(site[0], "r003")
    assert f"共涉及 {MAX_CELLS_PER_FINDING + 5} 个单元格，仅显示前 {MAX_CELLS_PER_FINDING} 个，另有 5 个未显示" in html
    assert f"p5 bbox(10,{MAX_CELLS_PER_FINDING - 1}," in html and f"p5 bbox(10,{MAX_CELLS_PER_FINDING}," not in html


def test_uncertain_lenient_and_passing_reports_have_pages(site: tuple[Path, AuditorReportStats]) -> None:
    index, _ = site
    uncertain = page(index, "r002")
    assert "无法判断" in uncertain and "范围：行：一、本年新收政府信息公开申请数量" in uncertain
    assert "⟨U+3000⟩" in uncertain and "空白" in uncertain and 'title="table 2 r3 c2"' in uncertain
    assert '<a href="../sources/8eeef03c195206a0.html.txt">网页表格2第3行第2列</a>' in uncertain
    assert '<span class="badge pass-lenient">宽松通过</span>' in uncertain
    assert uncertain.index("T3_ROW_TOTAL") < uncertain.index("T4_LIT_DIRECT_TOTAL")  # 无法判断 before 宽松通过
    clean = page(index, "r004")
    assert "不适用" in clean and "T2_REG_LEVEL" in clean and "区划待复核" in clean and "只确定到县" in clean
    assert "打开文件副本" not in clean and "sources/" not in clean  # no copy of a clean file


def test_without_the_family_columns_families_come_from_rule_ids(tmp_path: Path) -> None:
    index, stats = render(tmp_path, optional_columns=False)
    html = page(index, "r003")
    assert re.findall(r"<h3>(.*?)</h3>", html) == ["表内勾稽（2）", "报告结构（1）", "跨年度（1）"]
    assert "对比：" not in html and stats.report_pages == 3
    assert "未提供本次运行的统计" in index.read_text(encoding="utf-8")


def test_rerendering_removes_pages_and_data_files_of_an_earlier_run(tmp_path: Path) -> None:
    stale_page = tmp_path / "reports" / "reports" / "gone.html"
    stale_data = tmp_path / "reports" / "site" / "reports_index_7.js"
    for stale in (stale_page, stale_data):
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.write_text("old", encoding="utf-8")
    render(tmp_path)
    assert not stale_page.exists() and not stale_data.exists()


def test_data_docs_are_linked_when_built(tmp_path: Path) -> None:
    index, _ = render(tmp_path)
    assert "Great Expectations 数据文档" not in index.read_text(encoding="utf-8")
    assert "dbt-docs" not in index.read_text(encoding="utf-8")
    for docs in ("data_docs", "dbt-docs"):
        (index.parent / docs).mkdir()
        (index.parent / docs / "index.html").write_text("<html></html>", encoding="utf-8")
    write_auditor_report(tmp_path / "warehouse.duckdb", index)
    html = index.read_text(encoding="utf-8")
    assert '<a href="data_docs/index.html">Great Expectations 数据文档</a>' in html
    assert '<a href="dbt-docs/index.html">数据仓库模型文档（dbt docs）</a>' in html


def test_publication_coverage_is_shown_by_level_and_year(site: tuple[Path, AuditorReportStats]) -> None:
    html = site[0].read_text(encoding="utf-8")
    coverage = html[html.index("发布覆盖（参考区划）") :]
    row = coverage[coverage.index("<tr><td>2022</td>") : coverage.index("</tr>", coverage.index("<tr><td>2022</td>"))]
    assert "乡镇（街道）" in row and ">2<" in row and ">1<" in row and "50.0%" in row


def test_warehouse_is_not_left_locked(site: tuple[Path, AuditorReportStats]) -> None:
    con = duckdb.connect(str(site[0].parent.parent / "warehouse.duckdb"))
    try:
        con.execute(
            "INSERT INTO quarantine (file_id, file_name, source_uri, media_type, stage, reason_code, reason) "
            "VALUES ('x', 'x.txt', 'file:///x', 'text/plain', 'land', 'too_large', 'test')"
        )
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (2,)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("17.0000000000"), "17"),
        (Decimal("0.0052000000"), "0.0052"),
        (Decimal(100), "100"),
        (Decimal("-8.0000000000"), "-8"),
        (Decimal("0E-10"), "0"),
        (None, "—"),
        ("17.50", "17.5"),
        (3, "3"),
    ],
)
def test_format_decimal(value: object, expected: str) -> None:
    assert format_decimal(value) == expected


def test_scope_raw_text_families_and_page_names() -> None:
    assert scope_label("T3_BALANCE", "col=total") == "列：总计"
    assert scope_label("T4_REVIEW_TOTAL", "row=review") == "行：行政复议"
    assert scope_label("T3_NONNEG_INT", "table=T3") == "表：表三 收到和处理政府信息公开申请情况"
    assert visible_raw("\u2002 17") == "⟨U+2002⟩ 17" and visible_raw("") == "（空）"
    assert [
        rule_family(r)
        for r in (
            "T2_NONNEG",
            "T3_BALANCE",
            "T4_REVIEW_TOTAL",
            "X_T3_T4",
            "S_FORMAT_YEAR",
            "N_TOTAL_IN_TEXT",
            "XR_CARRIED_OVER",
            "Q_NEW",
        )
    ] == ["table", "table", "table", "table", "structure", "narrative", "cross_report", "other"]
    assert rule_family("T3_BALANCE", "narrative") == "narrative"  # the findings' own family wins
    assert report_page_name("5f15ad0c90ddf270") == "5f15ad0c90ddf270.html"
    for hostile in ("../../etc/passwd", "a/b", "", "CON", "x" * 80):
        assert re.fullmatch(r"id-[0-9a-f]{16}\.html", report_page_name(hostile))


# ---- 10,000 reports -------------------------------------------------------------------------------------------

_RULES = [  # (rule_id, severity, scopes, description): 13 rules, 45 findings per report
    ("T3_BALANCE", "E", 8, "本列：新收加上年结转应等于办理结果总计加结转下年度"),
    ("T3_ROW_TOTAL", "E", 8, "各类申请人之和应等于总计"),
    ("T3_OUTCOME_TOTAL", "E", 8, "办理结果各项之和应等于办理结果总计"),
    ("T3_NONNEG_INT", "E", 1, "表三每个单元格均应为非负整数"),
    ("T4_REVIEW_TOTAL", "E", 1, "行政复议各项之和应等于总计"),
    ("T4_LIT_DIRECT_TOTAL", "E", 1, "未经复议直接起诉各项之和应等于总计"),
    ("T4_LIT_AFTER_REVIEW_TOTAL", "E", 1, "复议后起诉各项之和应等于总计"),
    ("T4_NONNEG_INT", "E", 1, "表四每个单元格均应为非负整数"),
    ("T2_NONNEG", "W", 12, "表二每个数据均应为非负数"),
    ("S_FORMAT_YEAR", "E", 1, "报告格式应与报告年度相符"),
    ("N_APPLICATIONS_IN_TEXT", "W", 1, "正文中的申请数应与表三一致"),
    ("XR_CARRIED_OVER", "E", 1, "上年结转应等于上年报告的结转下年度"),
    ("X_T3_T4", "I", 1, "表三与表四的行政复议数应一致"),
]


def build_large_warehouse(path: Path, n_reports: int) -> None:
    """A warehouse of ``n_reports`` synthetic reports over 31 provinces x 10 cities x 8 counties and six years, 45
    findings each (about 8 % not passing, with four evidence cells), built in DuckDB SQL."""
    rules = pa.table(
        {name: [row[i] for row in _RULES] for i, name in enumerate(("rule_id", "severity", "scopes", "description"))}
    )
    con = duckdb.connect(str(path))
    try:
        for name, schema in (
            ("reports", contract.REPORTS),
            ("findings", findings_schema(True)),
            ("quarantine", contract.QUARANTINE),
            ("decisions", contract.REVIEW_DECISIONS),
        ):
            _create(con, name, schema.empty_table())
        con.register("rules_arrow", rules)
        con.execute(f"""INSERT INTO reports BY NAME
            SELECT substr(md5(i::VARCHAR), 1, 16) AS report_id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS file_id,
                   'file:///corpus/' || publisher || year || '.pdf' AS source_uri,
                   publisher || year || '年政府信息公开工作年度报告.pdf' AS file_name, 'application/pdf' AS media_type,
                   publisher || year || '年政府信息公开工作年度报告' AS title, publisher,
                   province, city, county, year::INTEGER AS report_year,
                   CASE WHEN year >= 2021 THEN 'fmt2021' ELSE 'fmt2019' END AS format_version,
                   CASE WHEN i % 10 = 0 THEN 'partial' ELSE 'complete' END AS parse_status,
                   CASE WHEN i % 10 = 0 THEN '[{{"code": "LABEL_FUZZY", "detail": "行政法复议 matched 行政复议"}}]'
                        ELSE '[]' END AS warnings,
                   i % 20 = 0 AS region_review,
                   CASE WHEN i % 20 = 0 THEN 'partial' ELSE 'resolved' END AS region_status,
                   0.9 AS region_confidence, 'test' AS parser_version
            FROM (SELECT i, '第' || (i % 31) || '省' AS province, '第' || (i // 31 % 10) || '市' AS city,
                         '第' || (i // 310 % 8) || '区' AS county, 2019 + i // 2480 % 6 AS year,
                         '第' || (i // 310 % 8) || '区'
                             || (ARRAY['人民政府', '教育局', '卫生健康委员会', '交通运输局'])[i % 4 + 1]
                             || (i // 14880) AS publisher
                  FROM range({n_reports}) t(i))""")
        con.execute(f"""INSERT INTO findings BY NAME
            WITH checks AS (SELECT rule_id, severity, description, unnest(range(scopes)) AS scope FROM rules_arrow),
            findings AS (
                SELECT i, substr(md5(i::VARCHAR), 1, 16) AS report_id, checks.*,
                       (hash(i, rule_id, scope) % 1000003)::BIGINT AS h
                FROM range({n_reports}) t(i) CROSS JOIN checks)
            SELECT report_id, rule_id, 'col=c' || scope AS scope, severity,
                   CASE h % 50 WHEN 0 THEN 'FAIL' WHEN 1 THEN 'UNCERTAIN' WHEN 2 THEN 'PASS_LENIENT'
                        WHEN 3 THEN 'NOT_ASSESSABLE' ELSE 'PASS' END AS status,
                   CASE WHEN starts_with(rule_id, 'XR_') THEN 'cross_report'
                        WHEN starts_with(rule_id, 'S_') THEN 'structure'
                        WHEN starts_with(rule_id, 'N_') THEN 'narrative' ELSE 'table' END AS family,
                   (h % 97)::DECIMAL(28, 10) AS left_value, (h % 89)::DECIMAL(28, 10) AS right_value,
                   (h % 97 - h % 89)::DECIMAL(28, 10) AS delta,
                   '[' || array_to_string([
                       '{{"cell": "T3.new_received.c' || k || '", "label": "一、本年新收政府信息公开申请数量 · 第' || k
                       || '列", "value": ' || (h % 7 + k) || ', "raw": "' || (h % 7 + k)
                       || '", "status": "number", "locator": "p' || (k + 2) || ' bbox(72,' || (100 * k) || ',96,412)"}}'
                       FOR k IN range(4)], ', ') || ']' AS cells,
                   description || '。本列：左边' || (h % 97) || '，右边' || (h % 89) AS message,
                   CASE WHEN starts_with(rule_id, 'XR_') THEN substr(md5((i - 1)::VARCHAR), 1, 16) END
                       AS compared_report_id
            FROM findings""")
        _derive(con)
        con.execute("CREATE TABLE int_review_decisions_stale AS SELECT * FROM decisions")
        con.execute(
            "CREATE TABLE mart_publication_coverage AS SELECT 'county' AS region_level, report_year, "
            "true AS published FROM reports"
        )
    finally:
        con.close()


def test_ten_thousand_reports_render_and_no_file_is_too_large(tmp_path: Path) -> None:
    n_reports = 10_000
    warehouse = tmp_path / "warehouse.duckdb"
    began = time.perf_counter()
    build_large_warehouse(warehouse, n_reports)
    built = time.perf_counter() - began
    index = tmp_path / "reports" / "auditor_report.html"
    began = time.perf_counter()
    stats = write_auditor_report(warehouse, index, RUN_SUMMARY)
    seconds = time.perf_counter() - began
    files = [p for p in index.parent.rglob("*") if p.is_file()]
    sizes = {str(p.relative_to(index.parent)): p.stat().st_size for p in files}
    pages = [size for name, size in sizes.items() if name.startswith("reports/")]
    data = {name: size for name, size in sizes.items() if name.startswith("site/reports_index_")}
    print(
        f"\n10,000 reports: warehouse built in {built:.1f} s, site rendered in {seconds:.1f} s; "
        f"index {sizes['auditor_report.html'] / 1e3:.0f} kB, {len(data)} data files of at most "
        f"{max(data.values()) / 1e3:.0f} kB (together {sum(data.values()) / 1e6:.2f} MB), {len(pages)} report pages "
        f"of {sum(pages) / len(pages) / 1e3:.1f} kB on average and {max(pages) / 1e3:.1f} kB at most, "
        f"{sum(sizes.values()) / 1e6:.0f} MB in all"
    )
    assert max(sizes.values()) < MAX_FILE_BYTES, max(sizes.items(), key=lambda kv: kv[1])
    assert len(pages) == stats.report_pages == n_reports and len(data) == -(-n_reports // REPORTS_PER_DATA_FILE)
    rows = report_list(index)
    assert len(rows) == n_reports
    assert {row["page"] for row in rows} == {p.name for p in (index.parent / "reports").iterdir()}
    assert all(len(row) == len(REPORT_FIELDS) for row in rows)
    assert sum(row["fail"] for row in rows) == stats.findings_shown - sum(
        row["uncertain"] + row["lenient"] + row["not_assessable"] for row in rows
    )
