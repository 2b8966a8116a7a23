"""Rebuild the committed region reference data under data_lake/reference/regions (see README.md here)."""
