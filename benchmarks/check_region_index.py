"""Dump everything the region index and the organisation tables hold, and what the resolver makes of a
generated publisher set, so that two versions of the index can be compared file by file.

Uses only the index's public surface, so the same script runs against an older checkout (``PYTHONPATH=<old
checkout>``; also one from before gongkai/ingest/ and gongkai/staging/, and one from before report_region, whose
parser resolved the region itself). Order is kept (look-up lists are dumped in their order), so an identical dump
means identical look-ups, resolutions and organisation keys.

Usage::

    .venv/bin/python benchmarks/generate_publishers.py 2000 /tmp/pubs --seed 11
    PYTHONPATH=/tmp/old .venv/bin/python benchmarks/check_region_index.py /tmp/pubs /tmp/before
    .venv/bin/python benchmarks/check_region_index.py /tmp/pubs /tmp/after
    diff -r /tmp/before /tmp/after && echo identical
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, NamedTuple

from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import read_document
from gongkai.readers.sniff import sniff
from gongkai.regions import organizations
from gongkai.regions.index import Unit, region_index
from gongkai.regions.resolver import Resolution

try:
    from gongkai.ingest.hints import SourceHints
except ImportError:  # an older checkout: gongkai/hints.py
    from gongkai.hints import SourceHints

# An older checkout's parser resolved the region itself; today's returns what it read (gongkai.staging.report_region).
_PARSER_RESOLVES = "resolution" in ParsedReport.__dataclass_fields__


def _ids(units: Iterable[Unit]) -> list[str]:
    return [u.region_id for u in units]


def _groups(mapping: Mapping[str, Iterable[Unit]]) -> list[tuple[str, list[str]]]:
    return [(key, _ids(units)) for key, units in mapping.items()]


def index_dump() -> dict[str, Any]:
    """Every unit (all fields) and every look-up of the index, in iteration order."""
    index = region_index()
    return {
        "units": [
            [
                u.region_id,
                u.level,
                u.name,
                u.province,
                u.prefecture,
                u.county,
                u.township,
                u.parent_id,
                sorted(u.vintages),
                [list(asdict(c).values()) for c in u.codes],
            ]
            for u in index.units.values()
        ],
        "unit_keys": list(index.units),
        "by_name": _groups(index.by_name),
        "by_short": _groups(index.by_short),
        "short_of": list(index.short_of.items()),
        "aliases_of": list(index.aliases_of.items()),
        "higher_names": _groups(index.higher_names),
        "provinces": _ids(index.provinces),
        "longest_name": index.longest_name,
        "by_code": list(index.by_code.items()),
    }


def tables_dump() -> dict[str, Any]:
    """The organisation tables (organizations._tables())."""
    t = organizations._tables()
    return {
        "organ_alias": [(k, a.alias_id) for k, a in t.organ_alias.items()],
        "successor": list(t.successor.items()),
        "by_gb": _groups(t.by_gb),
        "by_town_code": [(k, [(s, y, u.region_id) for s, y, u in v]) for k, v in t.by_town_code.items()],
        "town_successor": [(list(k), v) for k, v in t.town_successor.items()],
    }


class _Read(NamedTuple):
    """A parsed report, its region's resolution and the publisher's level."""

    report: ParsedReport
    resolution: Resolution
    admin_level: str | None


def _read(document: Any, source_uri: str, hints: SourceHints | None = None) -> _Read:
    if _PARSER_RESOLVES:
        report = parse_document(document, source_uri=source_uri, hints=hints)
        return _Read(report, report.resolution, report.admin_level)
    try:
        from gongkai.staging.report_region import report_region
    except ImportError:  # an older checkout: gongkai/report_region.py
        from gongkai.report_region import report_region

    report = parse_document(document, hints=hints)
    region = report_region(report, source_uri, hints)
    return _Read(report, region.resolution, region.admin_level)


def _resolution(read: _Read) -> dict[str, Any]:
    r = read.resolution
    return {
        "status": r.status,
        "confidence": r.confidence,
        "publisher_level": r.publisher_level,
        "unit": r.unit.region_id if r.unit else None,
        "region_code": r.region_code,
        "system": r.region_code_system,
        "chain": r.chain,
        "clues": r.clues_json(),
        "admin_level": read.admin_level,
        "org_type": read.report.org_type,
    }


def _key(read: _Read, region_code: str | None) -> dict[str, Any] | None:
    report = read.report
    key = organizations.organization_key(
        report.publisher, region_code, report.org_type, report.report_year, admin_level=read.admin_level
    )
    return asdict(key) if key else None


def report_dump(truth: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The resolution without and with a manifest code (the truth's, and a wrong one), and organisation keys."""
    content = (folder / "reports" / truth["file"]).read_bytes()
    document = read_document(content, sniff(content).media_type)
    code = truth["region_id"].split(":")[0]
    plain = _read(document, truth["source_uri"])
    hinted = _read(document, truth["source_uri"], SourceHints(region_code=code))
    wrong = _read(document, truth["source_uri"], SourceHints(region_code="110101"))
    return {
        "file": truth["file"],
        "plain": _resolution(plain),
        "hinted": _resolution(hinted),
        "wrong_hint": _resolution(wrong),
        "key": _key(plain, plain.resolution.region_code),
        "key_no_code": _key(plain, None),
        "key_truth_code": _key(plain, code),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a generate_publishers.py output folder")
    parser.add_argument("out", type=Path, help="folder to write index.json, tables.json, reports.jsonl into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "index.json").write_text(json.dumps(index_dump(), ensure_ascii=False, indent=0), encoding="utf-8")
    (args.out / "tables.json").write_text(json.dumps(tables_dump(), ensure_ascii=False, indent=0), encoding="utf-8")
    truths = [json.loads(line) for line in (args.folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(args.out / "reports.jsonl", "w", encoding="utf-8") as out:
        for truth in truths:
            out.write(json.dumps(report_dump(truth, args.folder), ensure_ascii=False) + "\n")
    print(f"wrote {args.out}: {len(truths)} reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
