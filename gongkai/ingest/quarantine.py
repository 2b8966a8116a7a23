"""Quarantine rows: a file that was found but could not be landed, read or parsed, with why.

Every row carries the file's sha256 (a file that cannot even be read is skipped by discovery instead)
and the parser version that gave up, so the next parser version tries the file again.
"""

from __future__ import annotations

import pyarrow as pa

from gongkai import contract
from gongkai.ingest.discovery import Candidate
from gongkai.ingest.landing import file_uri, oversize_reason
from gongkai.lake import Lake, write_parquet_atomic
from gongkai.parsing.parser import PARSER_VERSION
from gongkai.readers.sniff import sniff

# Why a file was quarantined: code -> the words an auditor reads (the row's `reason` holds the detail).
QUARANTINE_REASONS: dict[str, str] = {
    "too_large": "文件过大，未入湖",
    "no_reader": "不支持的文件类型",
    "unreadable_format": "文件无法读取（损坏、加密或格式不符）",
    "limit_exceeded": "文件结构超出安全上限（疑似恶意或损坏）",
    "reader_error": "读取程序出错",
    "parser_error": "解析程序出错",
    "timeout": "处理超时",
    "memory_limit": "超出内存上限",
    "worker_crashed": "处理进程意外终止",
}
STAGES: dict[str, str] = {"land": "入湖", "read": "读取", "parse": "解析"}

_SNIFF_BYTES = 1 << 16


def quarantine_row(landed: dict, stage: str, code: str, reason: str) -> dict:
    """A quarantine row for a landed file (a row of the raw table)."""
    assert stage in STAGES and code in QUARANTINE_REASONS, (stage, code)
    return {
        "file_id": landed["file_id"],
        "file_name": landed["file_name"],
        "source_uri": landed["source_uri"],
        "media_type": landed["media_type"],
        "stage": stage,
        "reason_code": code,
        "reason": reason,
        "parser_version": PARSER_VERSION,
    }


def is_quarantined(lake: Lake, candidate: Candidate) -> bool:
    """Whether a file too large to land was quarantined by an earlier run (its part is removed if it lands later)."""
    return lake.oversize_quarantine_part(candidate.file_id).exists()


def quarantine_oversize(lake: Lake, candidates: list[Candidate], max_file_size: int) -> int:
    """Record files too large to land, one part per file (written once; removed if the file lands later).

    Returns how many rows were written by this call (files quarantined by an earlier run are not rewritten).
    """
    written = 0
    for candidate in candidates:
        if is_quarantined(lake, candidate):
            continue
        part = lake.oversize_quarantine_part(candidate.file_id)
        try:
            with candidate.path.open("rb") as handle:
                head = handle.read(_SNIFF_BYTES)
        except OSError:
            head = b""
        row = quarantine_row(
            {
                "file_id": candidate.file_id,
                "file_name": candidate.path.name,
                "source_uri": file_uri(candidate.path),
                "media_type": sniff(head).media_type,
            },
            "land",
            "too_large",
            oversize_reason(candidate.size_bytes, max_file_size),
        )
        write_parquet_atomic(
            pa.Table.from_pylist([row], schema=contract.QUARANTINE), part.parent, part.stem.removeprefix("part-")
        )
        written += 1
    return written
