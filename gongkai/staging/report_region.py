"""A parsed report's region: the region resolver run on what the parser read, plus what is known of the file.

The parser (gongkai.parsing) and the region resolver (gongkai.regions) do not import each other
(tests/test_layering.py). Whoever has both a parsed report and its file (staging, the accuracy evaluation, the
benchmarks) resolves the region here: the file's source URI and its manifest's region code are clues the parser never
sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.ingest.hints import SourceHints
from gongkai.parsing.parser import ParsedReport
from gongkai.regions.evidence import ReportText
from gongkai.regions.resolver import Resolution, resolve


@dataclass(frozen=True)
class ReportRegion:
    """Where a report's publisher is."""

    resolution: Resolution
    admin_level: str | None  # the publisher's level: the resolver's, else what its printed name tells


def report_region(
    parsed: ParsedReport, source_uri: str | None = None, hints: SourceHints | None = None
) -> ReportRegion:
    """Resolve the region of ``parsed``; ``source_uri`` (where the file was published) and the region code of
    ``hints`` (the file's manifest) are region clues."""
    resolution = resolve(
        ReportText(
            parsed.title,
            parsed.publisher,
            parsed.signature,
            parsed.text,
            source_uri,
            parsed.report_year,
            region_hint=hints.region_code if hints else None,
        )
    )
    return ReportRegion(resolution, resolution.publisher_level or parsed.printed_level)
