"""Land raw report files as Parquet rows: content-hashed, idempotent, atomic, in bounded batches."""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from gongkai.contract import RAW
from gongkai.ingest.discovery import Candidate, Skipped, display_name
from gongkai.ingest.sizes import format_size
from gongkai.lake import Lake, part_files, read_columns, write_parquet_atomic
from gongkai.readers.sniff import sniff

DEFAULT_MAX_FILE_SIZE = 200 * 2**20  # bytes; larger files are quarantined, not landed (reports are < 50 MB)
DEFAULT_MAX_PART_BYTES = 256 * 2**20  # a raw part holds at most this much content (plus one file)

PARTS_PER_WORKER = 4  # raw parts per staging worker, so that the workers finish close together

Item = TypeVar("Item")


@dataclass
class LandedBatch:
    """One landing task's outcome: the raw part written, and files that could not be landed after all."""

    part: Path | None
    landed: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # changed or vanished since discovery


def file_uri(path: Path) -> str:
    """The source URI of a local file, readable as printed (Chinese names are not percent-encoded)."""
    return f"file://{path.resolve()}"


def oversize_reason(size: int, max_file_size: int) -> str:
    """The quarantine reason of a file too large to land."""
    return f"file is {format_size(size)}, over the {format_size(max_file_size)} landing limit"


def landed_file_ids(lake: Lake) -> set[str]:
    """The ids of every file already in ``<lake>/raw`` (reads only the id column)."""
    ids: set[str] = set()
    for part in part_files(lake.raw):
        ids.update(read_columns(part, ["file_id"]).column("file_id").to_pylist())
    return ids


def _size_bytes(candidate: Any) -> int:
    """The default size of a batched item: its ``size_bytes`` (a :class:`Candidate`)."""
    return candidate.size_bytes


def files_per_part(new_files: int, workers: int, max_files: int) -> int:
    """Files per raw part (one staging task each) so that ``workers`` processes all have work for any corpus size:
    about PARTS_PER_WORKER parts per worker, never more than ``max_files`` files in one part."""
    wanted_parts = max(1, workers) * PARTS_PER_WORKER
    return max(1, min(max_files, math.ceil(new_files / wanted_parts)))


def batched(
    items: Sequence[Item],
    max_files: int,
    max_bytes: int = DEFAULT_MAX_PART_BYTES,
    size: Callable[[Item], int] = _size_bytes,
) -> Iterator[list[Item]]:
    """Consecutive batches of at most ``max_files`` files whose sizes (``size`` of each) add up to at most
    ``max_bytes`` (a single larger file makes a batch of its own)."""
    batch: list[Item] = []
    total = 0
    for item in items:
        if batch and (len(batch) >= max_files or total + size(item) > max_bytes):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += size(item)
    if batch:
        yield batch


def _read_unchanged(candidate: Candidate, inbox: Path) -> bytes | Skipped:
    """The file's bytes, or why they cannot be landed now (changed or gone since it was hashed)."""
    shown = _relative(candidate.path, inbox)
    try:
        content = candidate.path.read_bytes()
    except OSError as error:
        return Skipped(shown, "unreadable", error.strerror or str(error))
    if hashlib.sha256(content).hexdigest() != candidate.file_id:
        return Skipped(shown, "changed")
    return content


def _relative(path: Path, inbox: Path) -> str:
    """A landed file's path as the run summary shows it: relative to the inbox, escaped."""
    return display_name(os.path.relpath(path, inbox.resolve()))


@dataclass(frozen=True)
class RawFile:
    """One file to land: its bytes, where it came from, and (for a file fetched from the web) how."""

    file_id: str  # sha256 of ``content``
    file_name: str
    source_uri: str
    content: bytes
    fetched_at: datetime | None = None
    http_status: int | None = None
    parent_uri: str | None = None
    source_hints: str | None = None  # JSON (gongkai.ingest.hints.SourceHints)


def write_raw_part(files: list[RawFile], lake: Lake) -> Path | None:
    """Write one raw part holding ``files``, named after the first file id so that a retried batch replaces its own
    part (None when there is nothing to write); a file landed after an earlier over-size quarantine loses that row.
    Folder files and fetched files land through here alike."""
    if not files:
        return None
    landed_at = datetime.now(UTC)
    rows: dict[str, list] = {name: [] for name in RAW.names}
    for raw in files:
        rows["file_id"].append(raw.file_id)
        rows["file_name"].append(raw.file_name)
        rows["source_uri"].append(raw.source_uri)
        rows["size_bytes"].append(len(raw.content))
        rows["media_type"].append(sniff(raw.content).media_type)
        rows["landed_at"].append(landed_at)
        rows["content"].append(raw.content)
        rows["fetched_at"].append(raw.fetched_at)
        rows["http_status"].append(raw.http_status)
        rows["parent_uri"].append(raw.parent_uri)
        rows["source_hints"].append(raw.source_hints)
    part = write_parquet_atomic(pa.Table.from_pydict(rows, schema=RAW), lake.raw, stem=files[0].file_id[:16])
    for raw in files:
        lake.oversize_quarantine_part(raw.file_id).unlink(missing_ok=True)
    return part


def land_batch(candidates: list[Candidate], lake: Lake, inbox: Path) -> LandedBatch:
    """Land one batch of folder files as a raw part (:func:`write_raw_part`). A file that changed or vanished since
    discovery is skipped (the next run picks it up)."""
    files: list[RawFile] = []
    outcome = LandedBatch(part=None)
    for candidate in candidates:
        content = _read_unchanged(candidate, inbox)
        if isinstance(content, Skipped):
            outcome.skipped.append(content)
            continue
        files.append(RawFile(candidate.file_id, candidate.path.name, file_uri(candidate.path), content))
    outcome.part = write_raw_part(files, lake)
    outcome.landed = len(files)
    return outcome
