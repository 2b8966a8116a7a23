"""Chinese administrative-division reference data (MCA 2025 + NBS 2016-2023).

See data_lake/reference/regions/PROVENANCE.md for sources, schema and the region_id rule.
"""

from gongkai.regions.reference import DEFAULT_PATH, VINTAGES, find, load_regions

__all__ = ["DEFAULT_PATH", "VINTAGES", "find", "load_regions"]
