"""Reconciliation rules: GX suites in ``expectations/`` checked on the report cells, producing ``findings``."""
from gongkai.rules.findings import validate_cells
from gongkai.rules.gx_runner import warm_up
from gongkai.rules.suites import default_suites_dir, rule_catalogue

__all__ = ["default_suites_dir", "rule_catalogue", "validate_cells", "warm_up"]
