"""Landing: files become Parquet rows keyed by the sha256 of their bytes, once, atomically."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from corpus import SAMPLE_INBOX, SEEDS, real_report
from gongkai.ingest import landing
from gongkai.ingest.discovery import Discovery, discover
from gongkai.lake import Lake, part_files
from gongkai.readers import sniff


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    return inbox


def _land_all(inbox: Path, lake: Lake) -> Discovery:
    found = discover(inbox, landing.landed_file_ids(lake), landing.DEFAULT_MAX_FILE_SIZE)
    for batch in landing.batched(found.new, 2):
        landing.land_batch(batch, lake, inbox)
    return found


def test_landing_writes_each_file_once_with_its_hash_and_bytes(tmp_path: Path) -> None:
    inbox, lake = _inbox(tmp_path), Lake.at(tmp_path / "lake")
    found = _land_all(inbox, lake)
    assert (found.seen, len(found.new)) == (5, 5)
    assert len(part_files(lake.raw)) == 3  # batches of 2
    raw = pq.read_table(lake.raw).to_pylist()
    by_name = {row["file_name"]: row for row in raw}
    seed = inbox / "003_5f15ad0c90ddf270.txt"
    row = by_name[seed.name]
    assert row["content"] == seed.read_bytes()
    assert row["file_id"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert row["size_bytes"] == seed.stat().st_size
    assert row["media_type"] == "text/plain"
    assert row["source_uri"] == f"file://{seed.resolve()}"
    assert row["landed_at"] is not None
    assert not list(lake.raw.glob(".*.tmp"))  # atomic writes leave no temporary files


def test_landing_again_adds_nothing_and_counts_duplicates(tmp_path: Path) -> None:
    inbox, lake = _inbox(tmp_path), Lake.at(tmp_path / "lake")
    _land_all(inbox, lake)
    shutil.copy(inbox / "000_75550300a700e9da.txt", inbox / "copy_of_000.txt")
    again = _land_all(inbox, lake)
    assert (again.seen, len(again.new), len(again.duplicates)) == (6, 0, 6)
    assert pq.read_table(lake.raw).num_rows == 5


def test_identical_files_in_one_run_land_once(tmp_path: Path) -> None:
    inbox, lake = _inbox(tmp_path), Lake.at(tmp_path / "lake")
    shutil.copy(inbox / "004_88f4efaced47710b.txt", inbox / "same.txt")
    found = _land_all(inbox, lake)
    assert (len(found.new), len(found.duplicates)) == (5, 1)
    assert "same bytes as" in found.duplicates[0][1]


def test_batches_are_bounded_by_bytes_as_well_as_files(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    found = discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE)
    sizes = [c.size_bytes for c in found.new]
    batches = list(landing.batched(found.new, max_files=100, max_bytes=max(sizes) + 1))
    assert sum(len(b) for b in batches) == 5 and len(batches) >= 3
    assert all(len(b) == 1 or sum(c.size_bytes for c in b) <= max(sizes) + 1 for b in batches)


def test_a_file_that_changes_after_discovery_is_skipped_not_landed(tmp_path: Path) -> None:
    inbox, lake = _inbox(tmp_path), Lake.at(tmp_path / "lake")
    found = discover(inbox, set(), landing.DEFAULT_MAX_FILE_SIZE)
    changed = found.new[0].path
    changed.write_bytes(changed.read_bytes() + b"\n")
    found.new[1].path.unlink()
    outcome = landing.land_batch(found.new, lake, inbox)
    assert outcome.landed == 3 and pq.read_table(outcome.part).num_rows == 3
    assert sorted((s.path, s.code) for s in outcome.skipped) == sorted(
        [(changed.name, "changed"), (found.new[1].path.name, "unreadable")]
    )


def test_media_type_comes_from_the_bytes_not_the_name() -> None:
    pdf_bytes = next(SAMPLE_INBOX.glob("*.pdf")).read_bytes()
    assert sniff(pdf_bytes).media_type == "application/pdf"  # whatever the file is called
    gb_text = "赤眉镇人民政府2023年政府信息公开工作年度报告".encode("gb18030")
    assert (sniff(gb_text).media_type, sniff(gb_text).encoding) == ("text/plain", "gb18030")


def test_html_inside_a_javascript_file_is_html() -> None:
    html_as_js = real_report("r040_shanghai_szfbgt_2019_embedded.js").read_bytes()
    assert sniff(html_as_js).media_type == "text/html"
