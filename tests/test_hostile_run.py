"""One real `gongkai run` over an inbox of hostile and odd entries mixed with valid reports (hostile_corpus.py).

The run must exit 0; every regular file must end in `reports` or `quarantine` (by sha256), every other
entry in the run summary's skipped list with its reason; nothing outside the inbox may be read; the
valid reports must come out cell for cell as in a clean run of them alone; a re-run must land nothing
and finish quickly; and no process may grow past the memory limit.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import duckdb
import pytest

import cli_runs
from gongkai.ingest.discovery import display_path
from gongkai.ingest.sizes import format_size
from gongkai.readers import sniff
from gongkai.staging.stage import parse_landed
from hostile_corpus import HostileCorpus, build_hostile_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_run import measure  # noqa: E402

TIME_LIMIT = "15"  # seconds per file: the corpus has a PDF that sends pdfminer into an endless loop
MEMORY_LIMIT = 2 * 2**30  # the default: no process of the run may grow past it
RERUN_SECONDS = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> HostileCorpus:
    return build_hostile_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_run(prefect_server: str, corpus: HostileCorpus, tmp_path_factory):
    """The run (timed and memory-sampled), the outside atimes before it, and a timed re-run."""
    lake = tmp_path_factory.mktemp("lake")
    atimes = corpus.outside_atimes()
    log = lake.parent / "hostile_run.log"
    argv = [
        "env",
        f"PREFECT_API_URL={prefect_server}",
        *cli_runs.command(
            corpus.inbox, lake, "--time-limit", TIME_LIMIT, "--memory-limit", format_size(MEMORY_LIMIT).replace(" ", "")
        ),
    ]
    usage = measure(argv, log, timeout_s=900)
    started = time.monotonic()
    rerun = cli_runs.run(corpus.inbox, lake, "--time-limit", TIME_LIMIT, api_url=prefect_server)
    return lake, usage, log.read_text(encoding="utf-8", errors="replace"), atimes, rerun, time.monotonic() - started


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ids(lake: Path, table: str) -> dict[str, str | None]:
    column = "reason_code" if table == "quarantine" else "format_version"
    with duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute(f"select file_id, {column} from {table}").fetchall())


def test_the_run_finishes_without_a_traceback(hostile_run) -> None:
    _lake, usage, output, _atimes, _rerun, _seconds = hostile_run
    assert usage.exit_code == 0 and not usage.timed_out, output[-3000:]
    assert "Traceback" not in output


def test_every_regular_file_is_a_report_or_quarantined_with_the_expected_reason(hostile_run, corpus) -> None:
    lake = hostile_run[0]
    reports, quarantine = _ids(lake, "reports"), _ids(lake, "quarantine")
    assert not set(reports) & set(quarantine)
    wrong = []
    for entry in (e for e in corpus.entries if e.kind == "file"):
        file_id = _sha256(corpus.inbox / os.fsdecode(entry.path))
        outcome = "report" if file_id in reports else quarantine.get(file_id, "missing")
        if outcome == "missing" or (entry.code is not None and outcome != entry.code):
            wrong.append((entry.note, entry.code, outcome))
    assert not wrong


def test_every_other_entry_is_listed_as_skipped_with_its_reason(hostile_run, corpus) -> None:
    summary = cli_runs.summary(hostile_run[0])
    listed = {entry["path"]: entry["code"] for entry in summary["skipped_entries"]}
    expected = {display_path(e.path): e.code for e in corpus.entries if e.kind == "skip"}
    assert listed == expected
    assert summary["skipped"] == len(expected) and sum(summary["skipped_by_reason"].values()) == len(expected)
    html = (hostile_run[0] / "reports" / "auditor_report.html").read_text(encoding="utf-8")
    assert "跳过的条目" in html and "链接指向收件箱之外" in html and "文件结构超出安全上限" in html


def test_nothing_outside_the_inbox_is_read(hostile_run, corpus) -> None:
    lake, _usage, _output, atimes, _rerun, _seconds = hostile_run
    assert corpus.outside_atimes() == atimes
    with duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True) as con:
        uris = [
            uri
            for (uri,) in con.execute(
                "select source_uri from reports union all select source_uri from quarantine"
            ).fetchall()
        ]
        texts = con.execute("""select string_agg(text, '') from report_sections union all
                               select string_agg(value_raw || label_raw, '') from report_cells union all
                               select string_agg(sentence, '') from narrative_facts union all
                               select string_agg(coalesce(title, '') || coalesce(publisher, ''), '') from reports
                               """).fetchall()
    inbox_uri = f"file://{corpus.inbox.resolve()}/"
    assert uris and all(uri.startswith(inbox_uri) for uri in uris)
    assert not any(corpus.sentinel in (text or "") for (text,) in texts)


def test_valid_reports_come_out_as_in_a_clean_run(hostile_run, corpus) -> None:
    """Each valid report's cells as the warehouse holds them equal what the parser makes of the file alone."""
    with duckdb.connect(str(hostile_run[0] / "warehouse.duckdb"), read_only=True) as con:
        stored = con.execute("""select r.file_id, c.table_id, c.row_key, c.col_key, c.value, c.value_raw,
                                       c.value_status, c.label_raw, c.locator, c.confidence
                                from report_cells c join reports r using (report_id)
                                order by r.file_id, c.table_id, c.row_key, c.col_key""").fetchall()
    by_file: dict[str, list[tuple]] = {}
    for row in stored:
        by_file.setdefault(row[0], []).append(row[1:])
    compared = 0
    for path in corpus.valid:
        content = (corpus.inbox / os.fsdecode(path)).read_bytes()
        file_id = hashlib.sha256(content).hexdigest()
        alone = parse_landed(
            {
                "file_id": file_id,
                "file_name": "alone",
                "source_uri": "file:///alone",
                "media_type": sniff(content).media_type,
                "content": content,
            }
        )
        assert alone.report is not None, path
        expected = sorted(
            (
                (
                    c["table_id"],
                    c["row_key"],
                    c["col_key"],
                    c["value"],
                    c["value_raw"],
                    c["value_status"],
                    c["label_raw"],
                    c["locator"],
                    c["confidence"],
                )
                for c in alone.cells
            ),
            key=lambda c: c[:3],
        )
        assert by_file.get(file_id, []) == expected, path
        compared += bool(expected)
    assert compared > 50


def test_a_rerun_lands_nothing_and_is_quick(hostile_run) -> None:
    lake, _usage, _output, _atimes, rerun, seconds = hostile_run
    assert rerun.returncode == 0, rerun.stderr
    summary = cli_runs.summary(lake)
    assert summary["landed"] == 0 and summary["parsed"] == 0 and summary["warehouse_current"] is True
    assert seconds < RERUN_SECONDS


def test_no_process_grows_past_the_memory_limit(hostile_run) -> None:
    usage = hostile_run[1]
    assert 0 < usage.max_process_rss_mb < MEMORY_LIMIT / 2**20
    assert usage.leftover_processes == 0
