"""Derived tables of the region reference, kept as memory-mapped Arrow IPC files that load without parsing.

A cache file holds several named tables (one row; each column is a table as a list of structs, since an IPC file
has one schema). It is named ``<stem>-<digest>.arrow``, the digest being the SHA-256 of the files it is derived
from: the data (e.g. ``regions.parquet``) and the source of the modules that derive and store it, so that editing
either rebuilds it. It lives in ``$GONGKAI_CACHE`` when set, else next to the data (git-ignored). A missing file is
built, written to a temporary file and moved into place with ``os.replace`` (concurrent processes never read a
half-written file; the last writer wins with identical content), and older files of the same stem are removed.
Every process maps the same file: the pages are shared through the OS page cache, not copied.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa

CACHE_ENV = "GONGKAI_CACHE"

Tables = dict[str, pa.Table]


def cache_path(stem: str, sources: Iterable[Path], beside: Path) -> Path:
    """Where the tables derived from ``sources`` live: ``$GONGKAI_CACHE`` or the folder of ``beside``."""
    digest = hashlib.sha256(Path(__file__).read_bytes())  # the file format
    for source in sources:
        digest.update(source.read_bytes())
    folder = Path(os.environ.get(CACHE_ENV) or beside.parent)
    return folder / f"{stem}-{digest.hexdigest()[:20]}.arrow"


def cached_tables(path: Path, build: Callable[[], Tables]) -> Tables:
    """The tables at ``path``, built and written first when the file is missing."""
    if not path.is_file():
        write_tables(path, build())
    return read_tables(path)


def write_tables(path: Path, tables: Tables) -> None:
    """Write ``tables`` atomically to ``path`` and remove the stale files of the same stem."""
    path.parent.mkdir(parents=True, exist_ok=True)
    packed = pa.table({name: _as_list(table) for name, table in tables.items()})
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp makes it private
    try:
        with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, packed.schema) as writer:
            writer.write_table(packed)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    stem = path.name.rsplit("-", 1)[0]
    for stale in path.parent.glob(f"{stem}-*.arrow"):
        if stale != path:
            stale.unlink(missing_ok=True)


def read_tables(path: Path) -> Tables:
    """The tables of the file at ``path``, memory-mapped (zero-copy)."""
    batch = pa.ipc.open_file(pa.memory_map(str(path))).get_batch(0)
    return {name: pa.Table.from_struct_array(batch.column(name).flatten()) for name in batch.schema.names}


def _as_list(table: pa.Table) -> pa.ListArray:
    """A one-row list column holding ``table`` as structs."""
    rows = table.combine_chunks().to_struct_array().combine_chunks()
    return pa.ListArray.from_arrays(pa.array([0, table.num_rows], pa.int32()), rows)
