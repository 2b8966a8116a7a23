"""Landed files -> staging tables: reports, report_cells, report_sections, narrative_facts and quarantine.

One raw part file is one unit of work. Its staging output is written as part files named after it,
so a retried or resumed batch replaces its own output and nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai import contract
from gongkai.ingest.hints import SourceHints
from gongkai.ingest.landing import batched
from gongkai.ingest.quarantine import quarantine_row
from gongkai.lake import Lake, part_files, read_columns, write_parquet_atomic
from gongkai.parsing.parser import PARSER_VERSION, ParsedReport, parse_document
from gongkai.readers import LimitExceeded, ReaderError, has_reader, read_document
from gongkai.regions.resolver import Resolution
from gongkai.staging.isolation import Failure, Limits, RunnerPool
from gongkai.staging.report_region import ReportRegion, report_region

_MAX_SCALE = 10  # DECIMAL(38,10): a printed figure with more decimals is kept as text, never rounded


@dataclass
class StagedBatch:
    """What staging one raw part produced."""

    reports: int = 0
    cells: int = 0
    quarantined: list[tuple[str, str, str, str]] = field(default_factory=list)  # (file name, stage, code, reason)
    workers_started: int = 0  # parse workers started (one, plus one after each file that had to be killed)
    formats: Counter = field(default_factory=Counter)
    region_statuses: Counter = field(default_factory=Counter)
    region_review: list[tuple[str, str, str]] = field(default_factory=list)  # (file name, status, note)
    worker: str = ""  # host:pid/thread that staged the part (a pool or Dask worker, or a thread)

    @property
    def files(self) -> int:
        """Files of the part that now have a staging outcome (a report or a quarantine row)."""
        return self.reports + len(self.quarantined)


def files_in_part(raw_part: Path) -> int:
    """How many files a raw part holds (from its Parquet footer; the content is not read)."""
    return pq.ParquetFile(raw_part).metadata.num_rows


def report_id_of(file_id: str) -> str:
    """A report's id: the first 16 hex digits of its file's sha256."""
    return file_id[:16]


def processed_file_ids(lake: Lake) -> set[str]:
    """Files that already have a staging outcome of this parser version: a report row or a quarantine row.

    Files staged or quarantined by an older parser version are not counted, so the next run tries them again
    (their raw part's staging parts are replaced as a whole).
    """
    ids: set[str] = set()
    for table_name in ("reports", "quarantine"):
        for part in part_files(lake.staging_table(table_name)):
            if "parser_version" not in pq.read_schema(part).names:
                continue  # written before quarantine rows had a version: try those files again
            table = read_columns(part, ["file_id", "parser_version"])
            ids.update(
                file_id
                for file_id, version in zip(
                    table["file_id"].to_pylist(), table["parser_version"].to_pylist(), strict=True
                )
                if file_id and version == PARSER_VERSION
            )
    return ids


def pending_parts(lake: Lake) -> list[Path]:
    """Raw parts holding files that were landed but not staged yet (new, or left by an interrupted run)."""
    done = processed_file_ids(lake)
    return [
        part
        for part in part_files(lake.raw)
        if not done.issuperset(read_columns(part, ["file_id"]).column("file_id").to_pylist())
    ]


def _cell_value(value: Decimal | None) -> tuple[Decimal | None, bool]:
    if value is None:
        return None, True
    exponent = value.as_tuple().exponent
    return (value, True) if isinstance(exponent, int) and -exponent <= _MAX_SCALE else (None, False)


def _report_row(parsed: ParsedReport, region: ReportRegion, raw: dict) -> dict:
    return {
        "report_id": report_id_of(raw["file_id"]),
        "file_id": raw["file_id"],
        "source_uri": raw["source_uri"],
        "file_name": raw["file_name"],
        "media_type": raw["media_type"],
        "title": parsed.title,
        "publisher": parsed.publisher,
        "publisher_source": parsed.publisher_source,
        "org_type": parsed.org_type,
        "admin_level": region.admin_level,
        **_region_columns(region.resolution),
        "report_year": parsed.report_year,
        "year_source": parsed.year_source,
        "published_on": dt.date.fromisoformat(parsed.published_on) if parsed.published_on else None,
        "format_version": parsed.format_version,
        "parse_status": parsed.parse_status,
        "parser_version": parsed.parser_version,
        "warnings": json.dumps([{"code": c, "detail": d} for c, d in parsed.warnings], ensure_ascii=False),
    }


def _region_columns(resolution: Resolution) -> dict:
    chain, unit = resolution.chain, resolution.unit
    return {
        "province": chain.get("province"),
        "city": chain.get("prefecture"),
        "county": chain.get("county"),
        "township": chain.get("township"),
        "region_id": unit.region_id if unit else None,
        "region_level": unit.level if unit else None,
        "region_code": resolution.region_code,
        "region_code_system": resolution.region_code_system,
        "region_status": resolution.status,
        "region_confidence": resolution.confidence,
        "region_review": resolution.needs_review,
        "region_clues": resolution.clues_json(),
    }


def _cell_rows(parsed: ParsedReport, report_id: str) -> list[dict]:
    rows = []
    for cell in parsed.cells:
        value, representable = _cell_value(cell.value)
        rows.append(
            {
                "report_id": report_id,
                "table_id": cell.table_id,
                "row_key": cell.row_key,
                "col_key": cell.col_key,
                "value": value,
                "value_raw": cell.value_raw,
                "value_status": cell.value_status if representable else "text",
                "label_raw": cell.label_raw,
                "locator": cell.locator,
                "confidence": cell.confidence,
            }
        )
    return rows


def _section_rows(parsed: ParsedReport, report_id: str) -> list[dict]:
    return [
        {
            "report_id": report_id,
            "section_key": section.section_key,
            "order_index": section.order_index,
            "heading": section.heading,
            "text": section.text,
            "locator": section.locator,
        }
        for section in parsed.sections
    ]


def _fact_rows(parsed: ParsedReport, report_id: str) -> list[dict]:
    rows = []
    for fact in parsed.narrative:
        value, representable = _cell_value(fact.value)
        rows.append(
            {
                "report_id": report_id,
                "fact_key": fact.fact_key,
                "value": value,
                "value_raw": fact.value_raw,
                "unit": fact.unit,
                "pattern": fact.pattern if representable else f"{fact.pattern}_unrepresentable",
                "section_key": fact.section_key,
                "sentence": fact.sentence,
                "locator": fact.locator,
            }
        )
    return rows


@dataclass
class StagedFile:
    """The staging rows of one landed file: a report with its cells, sections and facts, or a quarantine row."""

    report: dict | None = None
    cells: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    quarantine: dict | None = None


def _quarantined(raw: dict, stage: str, code: str, reason: str) -> StagedFile:
    return StagedFile(quarantine=quarantine_row(raw, stage, code, reason))


def _ignore(_stage: str) -> None:
    """The default progress callback of :func:`parse_landed`."""


def parse_landed(raw: dict, notify: Callable[[str], None] = _ignore) -> StagedFile:
    """One landed file -> its staging rows, or a quarantine row saying why not.

    Never raises, except MemoryError, which the isolating worker turns into a quarantine row of its own.
    ``notify`` is told each stage ("read", "parse") as it starts.
    """
    if not has_reader(raw["media_type"]):
        return _quarantined(raw, "read", "no_reader", f"no reader for media type {raw['media_type']}")
    notify("read")
    try:
        document = read_document(raw["content"], raw["media_type"])
    except MemoryError:
        raise
    except LimitExceeded as error:
        return _quarantined(raw, "read", "limit_exceeded", str(error))
    except ReaderError as error:
        return _quarantined(raw, "read", "unreadable_format", str(error))
    except Exception as error:  # a reader bug must not stop the run: the file is quarantined with the error
        return _quarantined(raw, "read", "reader_error", f"reader failed: {type(error).__name__}: {error}")
    notify("parse")
    try:
        hints = SourceHints.from_json(raw.get("source_hints"))  # absent in older parts
        parsed = parse_document(document, hints=hints)
        region = report_region(parsed, raw["source_uri"], hints)
    except MemoryError:
        raise
    except Exception as error:
        return _quarantined(raw, "parse", "parser_error", f"parser failed: {type(error).__name__}: {error}")
    report = _report_row(parsed, region, raw)
    report_id = report["report_id"]
    return StagedFile(
        report, _cell_rows(parsed, report_id), _section_rows(parsed, report_id), _fact_rows(parsed, report_id)
    )


# Parse workers import the parser and load the region index once, before their first file.
_PARSE_WORKERS: RunnerPool[dict, StagedFile] = RunnerPool(parse_landed, preload=("gongkai.staging.parse_worker",))


def prestart_parse_worker(limits: Limits) -> None:
    """Launch this thread's parse worker now (it imports the parser and maps the region index while the caller
    lands files); :func:`parse_isolated` in this thread then finds it ready or nearly so."""
    _PARSE_WORKERS.runner(limits).prestart()


_CHUNK_FILES = 32  # files handed to the worker at once, so it never waits for this process between two
_CHUNK_BYTES = 8 * 2**20  # ... and at most this much content per hand-over (plus one file)


def parse_isolated(records: list[dict], limits: Limits) -> Iterator[StagedFile]:
    """:func:`parse_landed` of each record, in order, in this thread's worker process within ``limits``; a file
    that exceeds them (or kills the worker) is quarantined with the reason, and the files after it go to a
    fresh worker."""
    runner = _PARSE_WORKERS.runner(limits)
    for chunk in batched(records, _CHUNK_FILES, _CHUNK_BYTES, size=lambda record: len(record["content"])):
        for record, outcome in zip(chunk, runner.run_many(chunk, first_stage="read"), strict=True):
            if isinstance(outcome, Failure):
                stage = "parse" if outcome.stage == "parse" else "read"
                yield _quarantined(record, stage, outcome.code, outcome.reason)
            else:
                yield outcome


DEFAULT_LIMITS = Limits()


def stage_raw_part(lake: Lake, raw_part: Path, limits: Limits = DEFAULT_LIMITS) -> StagedBatch:
    """Parse every file of one raw part (each file isolated, see :func:`parse_isolated`) into staging parts
    named after it. The rules run later, on the whole lake (gongkai.rules.check_lake)."""
    raw = pq.read_table(raw_part)
    reports, cells, sections, facts, quarantine = [], [], [], [], []
    started_before = _PARSE_WORKERS.runner(limits).started
    for staged in parse_isolated(raw.to_pylist(), limits):
        if staged.quarantine:
            quarantine.append(staged.quarantine)
        else:
            assert staged.report is not None  # a StagedFile holds a report or a quarantine row
            reports.append(staged.report)
            cells.extend(staged.cells)
            sections.extend(staged.sections)
            facts.extend(staged.facts)
    reports_table = pa.Table.from_pylist(reports, schema=contract.REPORTS)
    cells_table = pa.Table.from_pylist(cells, schema=contract.REPORT_CELLS)
    stem = raw_part.stem.removeprefix("part-")
    for name, table in (
        ("report_cells", cells_table),
        ("report_sections", pa.Table.from_pylist(sections, schema=contract.REPORT_SECTIONS)),
        ("narrative_facts", pa.Table.from_pylist(facts, schema=contract.NARRATIVE_FACTS)),
        ("quarantine", pa.Table.from_pylist(quarantine, schema=contract.QUARANTINE)),
        ("reports", reports_table),
    ):  # reports last: it marks the batch as staged
        write_parquet_atomic(table, lake.staging_table(name), stem=stem)
    return StagedBatch(
        reports=len(reports),
        cells=len(cells),
        quarantined=[(q["file_name"], q["stage"], q["reason_code"], q["reason"]) for q in quarantine],
        workers_started=_PARSE_WORKERS.runner(limits).started - started_before,
        formats=Counter(r["format_version"] for r in reports),
        region_statuses=Counter(r["region_status"] for r in reports),
        region_review=[
            (r["file_name"], r["region_status"], json.loads(r["region_clues"])["note"])
            for r in reports
            if r["region_review"]
        ],
        worker=f"{socket.gethostname()}:{os.getpid()}/{threading.get_ident()}",
    )
