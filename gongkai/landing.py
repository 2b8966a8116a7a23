"""Land raw report files as Parquet rows: content-hashed, idempotent, atomic, in bounded batches."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.contract import RAW
from gongkai.lake import Lake, part_files, write_parquet_atomic
from gongkai.readers.sniff import sniff

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Candidate:
    """A file found in the inbox, with the hash of its bytes."""

    path: Path
    file_id: str
    size_bytes: int


@dataclass(frozen=True)
class Discovery:
    """What the inbox holds relative to the lake."""

    seen: int                       # files found in the inbox
    new: list[Candidate]            # to land, one per distinct content
    duplicates: list[tuple[Path, str]]   # (path, why): same bytes as a landed file or as another new file
    unreadable: list[tuple[Path, str]]   # (path, OS error): could not be read at all


def file_uri(path: Path) -> str:
    """The source URI of a local file, readable as printed (Chinese names are not percent-encoded)."""
    return f"file://{path.resolve()}"


def iter_files(inbox: Path) -> Iterator[Path]:
    """Every regular file below ``inbox`` in a stable order, hidden files and folders skipped."""
    for folder, subfolders, names in os.walk(inbox):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def landed_file_ids(lake: Lake) -> set[str]:
    """The ids of every file already in ``<lake>/raw`` (reads only the id column)."""
    ids: set[str] = set()
    for part in part_files(lake.raw):
        ids.update(pq.read_table(part, columns=["file_id"]).column("file_id").to_pylist())
    return ids


def discover(inbox: Path, already_landed: set[str]) -> Discovery:
    """Hash every inbox file and split them into new, duplicate and unreadable."""
    new: dict[str, Candidate] = {}
    duplicates: list[tuple[Path, str]] = []
    unreadable: list[tuple[Path, str]] = []
    seen = 0
    for path in iter_files(inbox):
        seen += 1
        try:
            file_id, size = file_sha256(path), path.stat().st_size
        except OSError as error:
            unreadable.append((path, f"cannot read file: {error.strerror or error}"))
            continue
        if file_id in already_landed:
            duplicates.append((path, "already landed (same sha256)"))
        elif file_id in new:
            duplicates.append((path, f"same bytes as {new[file_id].path.name} in this run"))
        else:
            new[file_id] = Candidate(path, file_id, size)
    return Discovery(seen, list(new.values()), duplicates, unreadable)


def batched(items: list, size: int) -> Iterable[list]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def land_batch(candidates: list[Candidate], lake: Lake) -> Path | None:
    """Write one raw part file holding these files' bytes; returns its path (None for no files).

    The part is named after the batch's first file id, so a retried batch replaces its own part.
    """
    if not candidates:
        return None
    landed_at = datetime.now(timezone.utc)
    rows: dict[str, list] = {name: [] for name in RAW.names}
    for candidate in candidates:
        content = candidate.path.read_bytes()
        if hashlib.sha256(content).hexdigest() != candidate.file_id:
            raise RuntimeError(f"{candidate.path} changed while the run was landing it")
        rows["file_id"].append(candidate.file_id)
        rows["file_name"].append(candidate.path.name)
        rows["source_uri"].append(file_uri(candidate.path))
        rows["size_bytes"].append(len(content))
        rows["media_type"].append(sniff(content).media_type)
        rows["landed_at"].append(landed_at)
        rows["content"].append(content)
    table = pa.Table.from_pydict(rows, schema=RAW)
    return write_parquet_atomic(table, lake.raw, stem=candidates[0].file_id[:16])
