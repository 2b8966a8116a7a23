"""Imported by every parse worker (see gongkai.staging.isolation) before it takes its first file: the readers and
the parser are imported and the region index is mapped and its look-ups read here, while the clock for a file is not
running."""

from gongkai.regions.index import region_index
from gongkai.staging.stage import parse_landed

region_index().warm()

__all__ = ["parse_landed"]
