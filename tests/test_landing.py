"""Landing: files become Parquet rows keyed by the sha256 of their bytes, once, atomically."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from gongkai import landing
from gongkai.lake import Lake, part_files
from gongkai.readers import sniff
from corpus import SAMPLE_INBOX, SEEDS



def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    return inbox


def _land_all(inbox: Path, lake: Lake) -> landing.Discovery:
    found = landing.discover(inbox, landing.landed_file_ids(lake))
    for batch in landing.batched(found.new, 2):
        landing.land_batch(batch, lake)
    return found


def test_landing_writes_each_file_once_with_its_hash_and_bytes(tmp_path: Path) -> None:
    inbox, lake = _inbox(tmp_path), Lake.at(tmp_path / "lake")
    found = _land_all(inbox, lake)
    assert (found.seen, len(found.new)) == (5, 5)
    assert len(part_files(lake.raw)) == 3                      # batches of 2
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
    assert not list(lake.raw.glob(".*.tmp"))                  # atomic writes leave no temporary files


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


def test_unreadable_file_is_reported_not_dropped(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / "dangling.txt").symlink_to(tmp_path / "does-not-exist")
    found = landing.discover(inbox, set())
    assert [p.name for p, _why in found.unreadable] == ["dangling.txt"]
    assert "cannot read file" in found.unreadable[0][1]


def test_media_type_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    pdf_named_txt = (SAMPLE_INBOX / "r001_huaian_hongze_qu_2023.pdf").read_bytes()
    assert sniff(pdf_named_txt).media_type == "application/pdf"
    gb_text = "赤眉镇人民政府2023年政府信息公开工作年度报告".encode("gb18030")
    assert (sniff(gb_text).media_type, sniff(gb_text).encoding) == ("text/plain", "gb18030")
    html_as_js = (SAMPLE_INBOX / "r040_shanghai_szfbgt_2019_embedded.js").read_bytes()
    assert sniff(html_as_js).media_type == "text/html"
