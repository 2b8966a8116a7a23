"""The auditor's workflow around findings: the Excel workbook, decisions imported from it, carried through re-runs.

Real `gongkai run` processes on bundled samples, a real workbook filled with openpyxl, real `gongkai review import`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

import cli_runs
from corpus import SAMPLE_INBOX
from gongkai.lake import Lake, part_files
from gongkai.reports.reviews import DECISION_HEADER, FINDINGS_SHEET, KEY_HEADERS, NOTE_HEADER, REVIEW_STATUSES

SAMPLES = ("004_88f4efaced47710b.txt", "gen_txt_tsv_unbalanced_2024.txt")  # a blank total; a broken balance


@pytest.fixture(scope="module")
def reviewed_lake(tmp_path_factory: pytest.TempPathFactory, prefect_server: str) -> dict:
    """A lake built from two samples, then: export, two decisions filled in and imported, a stale one imported,
    every file re-parsed (its staging parts removed, as a parser-version change does) in the second run."""
    root = tmp_path_factory.mktemp("reviews")
    inbox, lake_dir = root / "inbox", root / "lake"
    inbox.mkdir()
    for name in SAMPLES:
        shutil.copy(SAMPLE_INBOX / name, inbox / name)
    assert cli_runs.run(inbox, lake_dir, api_url=prefect_server).returncode == 0
    lake = Lake.at(lake_dir)
    workbook = load_workbook(lake.findings_workbook)
    sheet = workbook[FINDINGS_SHEET]
    header = [cell.value for cell in sheet[1]]
    column = {name: index + 1 for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    filled = {2: ("确认问题", "表三第一项与第二项之和不等于第三项与第四项之和"), 3: ("解析错误", None)}
    for row_number, (decision, note) in filled.items():
        sheet.cell(row=row_number, column=column[DECISION_HEADER], value=decision)
        sheet.cell(row=row_number, column=column[NOTE_HEADER], value=note)
    filled_path = root / "filled.xlsx"
    workbook.save(filled_path)
    keys = {
        row_number: tuple(rows[row_number - 2][column[h] - 1] for h in KEY_HEADERS.values()) for row_number in filled
    }
    imported = _review_import(filled_path, lake_dir)
    stale_csv = root / "stale.csv"  # a decision on a finding the file does not have (any more)
    stale_csv.write_text(
        "审核结论,审核意见," + ",".join(KEY_HEADERS.values()) + "\n"
        f"已说明,报告已说明,{keys[2][0]},T3_BALANCE,col=no_such_column\n",
        encoding="utf-8-sig",
    )
    imported_stale = _review_import(stale_csv, lake_dir)
    decisions = [p.read_bytes() for p in part_files(lake.review_decisions)]
    for table in ("reports", "report_cells", "findings", "report_sections", "narrative_facts"):
        for part in part_files(lake.staging_table(table)):
            part.unlink()  # every file is parsed again from the landed bytes
    rerun = cli_runs.run(inbox, lake_dir, api_url=prefect_server)
    return {
        "lake": lake,
        "inbox": inbox,
        "root": root,
        "header": header,
        "sheet_rows": rows,
        "keys": keys,
        "filled": filled,
        "imported": imported,
        "imported_stale": imported_stale,
        "rerun": rerun,
        "decisions": decisions,
    }


def _review_import(path: Path, lake: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "review", "import", str(path), "--lake", str(lake)],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_runs.cli_env(None),
    )


def _report_pages(lake: Lake) -> str:
    """The text of every report's page of the auditor site."""
    return "".join(page.read_text(encoding="utf-8") for page in sorted((lake.reports_dir / "reports").glob("*.html")))


def _in_force(lake: Lake) -> dict[tuple, tuple]:
    with duckdb.connect(str(lake.warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT file_id, rule_id, scope, review_status, review_note FROM int_findings_reviewed "
            "WHERE review_status IS NOT NULL"
        ).fetchall()
    return {row[:3]: row[3:] for row in rows}


def test_the_workbook_has_chinese_headers_a_frozen_filtered_header_and_a_decision_list(reviewed_lake: dict) -> None:
    workbook = load_workbook(reviewed_lake["lake"].findings_workbook)
    assert workbook.sheetnames == [FINDINGS_SHEET, "不通过表格的单元格", "报告"]
    sheet = workbook[FINDINGS_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["报告文件", "发布机关", "省"] and DECISION_HEADER in header and NOTE_HEADER in header
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"' + ",".join(REVIEW_STATUSES.values()) + '"'
    statuses = {row[header.index("状态")] for row in reviewed_lake["sheet_rows"]}
    assert statuses <= {"不通过", "无法判断"} and statuses
    links = {
        re.fullmatch(r'=HYPERLINK\("(reports/[0-9a-f]{16}\.html)","查看"\)', str(row[header.index("链接")]))
        for row in reviewed_lake["sheet_rows"]
    }
    assert None not in links and all((reviewed_lake["lake"].reports_dir / link[1]).is_file() for link in links)


def test_the_sources_of_problem_reports_are_copied_and_linked_from_their_locators(reviewed_lake: dict) -> None:
    lake: Lake = reviewed_lake["lake"]
    copies = {p.name: p.read_bytes() for p in (lake.reports_dir / "sources").iterdir()}
    originals = {hashlib.sha256((SAMPLE_INBOX / name).read_bytes()).hexdigest()[:16]: name for name in SAMPLES}
    assert {name.split(".")[0] for name in copies} == set(originals)
    assert all(copies[f"{prefix}.txt"] == (SAMPLE_INBOX / name).read_bytes() for prefix, name in originals.items())
    assert re.search(r'<a href="\.\./sources/[0-9a-f]{16}\.txt">第\d+行</a>', _report_pages(lake))


def test_imported_decisions_are_carried_into_findings_marts_report_and_the_next_workbook(reviewed_lake: dict) -> None:
    lake: Lake = reviewed_lake["lake"]
    assert reviewed_lake["imported"].returncode == 0, reviewed_lake["imported"].stderr
    assert "imported 2 decisions" in reviewed_lake["imported"].stdout
    assert reviewed_lake["rerun"].returncode == 0
    in_force = _in_force(lake)
    expected = {
        reviewed_lake["keys"][2]: ("confirmed", reviewed_lake["filled"][2][1]),
        reviewed_lake["keys"][3]: ("parse_error", None),
    }
    assert in_force == expected
    mart = pq.read_table(lake.marts / "mart_quality_by_region_year.parquet").to_pylist()
    top = [row for row in mart if row["region_level"] in ("province", "unresolved")]
    assert sum(row["review_confirmed"] for row in top) == 1 and sum(row["review_parse_error"] for row in top) == 1
    assert all(
        row["review_open"]
        + row["review_confirmed"]
        + row["review_parse_error"]
        + row["review_explained"]
        + row["review_ignored"]
        == row["failed"] + row["uncertain"]
        for row in mart
    )
    pages = _report_pages(lake)
    assert "审核：确认问题" in pages and reviewed_lake["filled"][2][1] in pages
    sheet = load_workbook(lake.findings_workbook)[FINDINGS_SHEET]
    header = [cell.value for cell in sheet[1]]
    prefilled = {
        tuple(row[header.index(h)] for h in KEY_HEADERS.values()): row[header.index(DECISION_HEADER)]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert prefilled[reviewed_lake["keys"][2]] == "确认问题" and prefilled[reviewed_lake["keys"][3]] == "解析错误"


def test_a_decision_whose_finding_is_gone_is_reported_stale_never_dropped(reviewed_lake: dict) -> None:
    lake: Lake = reviewed_lake["lake"]
    imported = reviewed_lake["imported_stale"]
    assert imported.returncode == 0 and "stale:" in imported.stdout
    with duckdb.connect(str(lake.warehouse), read_only=True) as con:
        stale = con.execute("SELECT rule_id, scope, review_status FROM int_review_decisions_stale").fetchall()
    assert stale == [("T3_BALANCE", "col=no_such_column", "explained")]
    html = lake.auditor_report.read_text(encoding="utf-8")
    assert "九、失效的审核结论（1）" in html and "报告已说明" in html


def test_an_unknown_decision_is_refused_and_nothing_is_recorded(reviewed_lake: dict) -> None:
    lake: Lake = reviewed_lake["lake"]
    before = part_files(lake.review_decisions)
    csv_path = reviewed_lake["root"] / "bad.csv"
    csv_path.write_text(
        "审核结论," + ",".join(KEY_HEADERS.values()) + "\n可能有问题,abc,T3_BALANCE,col=total\n", encoding="utf-8-sig"
    )
    refused = _review_import(csv_path, lake.root)
    assert refused.returncode == 2 and "可能有问题" in refused.stderr
    assert part_files(lake.review_decisions) == before


def test_decisions_survive_a_reparse_and_the_decision_log_is_append_only(reviewed_lake: dict) -> None:
    lake: Lake = reviewed_lake["lake"]
    assert reviewed_lake["rerun"].returncode == 0
    assert set(_in_force(lake)) == {reviewed_lake["keys"][2], reviewed_lake["keys"][3]}  # after the re-parse
    assert [p.read_bytes() for p in part_files(lake.review_decisions)] == reviewed_lake["decisions"]
    assert len(reviewed_lake["decisions"]) == 3  # the empty seed part and one part per import


def test_the_warehouse_accepts_exactly_the_review_statuses_the_code_knows() -> None:
    """review_status is tested against the review_status codes of the code_labels seed, generated from the code."""
    dbt_project = Path(__file__).resolve().parent.parent / "dbt_project"
    text = (dbt_project / "models" / "staging" / "_lake__models.yml").read_text(encoding="utf-8")
    block = text[text.index("- name: review_status") : text.index("- name: review_note")]
    assert "in_vocabulary:" in block and "vocabulary: review_status" in block
    with (dbt_project / "seeds" / "code_labels.csv").open(encoding="utf-8", newline="") as seed:
        labels = {row["code"]: row["label_zh"] for row in csv.DictReader(seed) if row["vocabulary"] == "review_status"}
    assert labels == REVIEW_STATUSES and list(labels) == list(REVIEW_STATUSES)
