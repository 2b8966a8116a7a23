"""The URLs to fetch: a plain list (one URL a line; blank lines and ``#`` comments ignored) or a CSV manifest.

A CSV manifest has a header row with a ``url`` column and, optionally, ``publisher``, ``region_code`` (6, 9 or 12
digits) and ``year`` (Chinese headers 网址, 发布机关, 区划代码, 年度 work too). UTF-8 or GB18030 (what Excel saves in
China). A bad line stops nothing silently: :class:`ManifestError` lists every one with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from gongkai.ingest.hints import YEARS, SourceHints, region_code_problem
from gongkai.readers.sniff import decode_text

COLUMNS = {
    "url": "url",
    "网址": "url",
    "链接": "url",
    "publisher": "publisher",
    "发布机关": "publisher",
    "region_code": "region_code",
    "区划代码": "region_code",
    "year": "year",
    "年度": "year",
}


class ManifestError(ValueError):
    """The manifest cannot be used; the message lists every bad line."""


@dataclass(frozen=True)
class Target:
    """One URL to fetch, with what the manifest says about it."""

    url: str
    hints: SourceHints = SourceHints()


def normalize_url(url: str) -> str:
    """The URL as the fetch log keys it: scheme and host in lower case, no fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or None."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError as error:
        return f"not a URL: {error}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not an http(s) URL: {url!r}"
    if not parts.hostname or not port_ok:
        return f"no host in {url!r}"
    if any(char.isspace() for char in url):
        return f"spaces in {url!r} (percent-encode them as %20)"
    return None


def read_manifest(path: Path) -> list[Target]:
    """The targets of a URL list or CSV manifest, in order, each URL once (see the module docstring)."""
    decoded = decode_text(path.read_bytes())
    if decoded is None:
        raise ManifestError(f"{path}: not a text file (UTF-8 or GB18030)")
    lines = decoded[0].splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    header = [COLUMNS.get(name.strip().lower().lstrip("\ufeff"), "") for name in next(csv.reader([first]), [])]
    rows = _csv_rows(lines, header) if "url" in header else _list_rows(lines)
    targets: dict[str, Target] = {}
    errors = []
    for number, fields in rows:
        target = _target(fields)
        if isinstance(target, str):
            errors.append(f"line {number}: {target}")
        elif target.url in targets and targets[target.url].hints != target.hints:
            errors.append(f"line {number}: {target.url} is listed again with other hints")
        else:
            targets.setdefault(target.url, target)
    if errors:
        raise ManifestError(
            f"{path}: " + "; ".join(errors[:20]) + (f"; … {len(errors) - 20} more" if len(errors) > 20 else "")
        )
    return list(targets.values())


def _list_rows(lines: list[str]) -> list[tuple[int, dict[str, str]]]:
    return [
        (number, {"url": line.strip()})
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _csv_rows(lines: list[str], header: list[str]) -> list[tuple[int, dict[str, str]]]:
    rows = []
    started = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not started:  # the header row
            started = True
            continue
        values = next(csv.reader(io.StringIO(line)), [])
        rows.append((number, {column: value.strip() for column, value in zip(header, values, strict=False) if column}))
    return rows


def _target(fields: dict[str, str]) -> Target | str:
    """The target of one line, or what is wrong with it."""
    url = fields.get("url", "")
    problem = url_problem(url)
    if problem:
        return problem
    code = fields.get("region_code") or None
    if code and region_code_problem(code):
        return region_code_problem(code) or ""
    year_text = fields.get("year") or None
    year = int(year_text) if year_text and year_text.isdigit() else None
    if year_text and (year is None or year not in YEARS):
        return f"year {year_text!r} is not a year"
    return Target(normalize_url(url), SourceHints(fields.get("publisher") or None, code, year))
