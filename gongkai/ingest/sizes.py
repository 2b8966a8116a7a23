"""Byte sizes as people write them: ``2GB``, ``500 MB``, ``1.5G`` (binary units, as memory limits are given)."""

from __future__ import annotations

import re

_UNITS = {
    "": 1,
    "B": 1,
    "K": 2**10,
    "KB": 2**10,
    "M": 2**20,
    "MB": 2**20,
    "G": 2**30,
    "GB": 2**30,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def parse_size(text: str) -> int:
    """``'2GB'`` -> 2147483648; ValueError for anything else."""
    match = _SIZE.match(text)
    unit = match.group(2).upper() if match else None
    if match is None or unit not in _UNITS:
        raise ValueError(f"not a size: {text!r} (write e.g. 2GB, 500MB)")
    return int(float(match.group(1)) * _UNITS[unit])


def format_size(size: int) -> str:
    """2147483648 -> '2 GB', 1610612736 -> '1.5 GB', 524288000 -> '500 MB'."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
