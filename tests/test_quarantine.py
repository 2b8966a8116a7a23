"""Quarantine rows always name their file, say why in a code and words, and are retried by a newer parser."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow.parquet as pq

from corpus import SEEDS
from gongkai.ingest import landing
from gongkai.ingest.discovery import discover
from gongkai.ingest.quarantine import QUARANTINE_REASONS, quarantine_oversize
from gongkai.lake import Lake
from gongkai.parsing.parser import PARSER_VERSION
from gongkai.staging import stage as staging
from gongkai.staging.isolation import Limits

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


def _land(inbox: Path, lake: Lake) -> Path:
    found = discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE)
    part = landing.land_batch(found.new, lake, inbox).part
    assert part is not None
    return part


def test_bad_files_are_quarantined_by_sha256_with_code_reason_and_version(tmp_path: Path) -> None:
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(SEEDS[0].read_bytes())
    (inbox / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    batch = staging.stage_raw_part(lake, _land(inbox, lake), Limits(seconds=60))
    rows = {row["file_name"]: row for row in pq.read_table(lake.staging_table("quarantine")).to_pylist()}
    assert batch.reports == 1 and set(rows) == {"photo.png", "broken.pdf"}
    assert rows["photo.png"]["file_id"] == hashlib.sha256((inbox / "photo.png").read_bytes()).hexdigest()
    assert (rows["photo.png"]["stage"], rows["photo.png"]["reason_code"]) == ("read", "no_reader")
    assert (rows["broken.pdf"]["stage"], rows["broken.pdf"]["reason_code"]) == ("read", "unreadable_format")
    assert all(row["parser_version"] == PARSER_VERSION and row["reason"] for row in rows.values())
    assert staging.pending_parts(lake) == []


def test_a_file_quarantined_by_an_older_parser_is_tried_again(tmp_path: Path) -> None:
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    (inbox / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    raw_part = _land(inbox, lake)
    staging.stage_raw_part(lake, raw_part, Limits(seconds=60))
    quarantine_part = lake.staging_table("quarantine") / raw_part.name
    table = pq.read_table(quarantine_part)
    older = table.set_column(
        table.schema.get_field_index("parser_version"), "parser_version", [["text-0.0.1"] * table.num_rows]
    )
    pq.write_table(older, quarantine_part)
    assert staging.pending_parts(lake) == [raw_part]


def test_a_file_too_large_to_land_is_quarantined_once_and_lands_when_allowed(tmp_path: Path) -> None:
    inbox, lake = tmp_path / "inbox", Lake.at(tmp_path / "lake")
    inbox.mkdir()
    (inbox / "big.txt").write_bytes(SEEDS[0].read_bytes())
    limit = SEEDS[0].stat().st_size - 1
    found = discover(inbox, set(), limit)
    assert quarantine_oversize(lake, found.oversize, limit) == 1
    assert quarantine_oversize(lake, found.oversize, limit) == 0  # already there: not rewritten
    [row] = pq.read_table(lake.staging_table("quarantine")).to_pylist()
    assert (row["stage"], row["reason_code"], row["media_type"]) == ("land", "too_large", "text/plain")
    assert row["reason"].startswith("file is ") and "landing limit" in row["reason"]
    allowed = discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE)
    landing.land_batch(allowed.new, lake, inbox)
    assert not lake.oversize_quarantine_part(row["file_id"]).exists()


def test_the_contract_accepts_exactly_the_codes_the_code_defines() -> None:
    """reason_code is tested against the quarantine_reason codes of the code_labels seed, generated from the code."""
    text = (DBT_PROJECT / "models" / "staging" / "_lake__models.yml").read_text(encoding="utf-8")
    block = text[text.index("- name: reason_code") : text.index("- name: reason\n")]
    assert "in_vocabulary:" in block and "vocabulary: quarantine_reason" in block
    with (DBT_PROJECT / "seeds" / "code_labels.csv").open(encoding="utf-8", newline="") as seed:
        codes = {row["code"] for row in csv.DictReader(seed) if row["vocabulary"] == "quarantine_reason"}
    assert codes == set(QUARANTINE_REASONS)
