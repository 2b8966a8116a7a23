"""The rulebook: GX suites in ``expectations/`` validated on the rule database of a lake, producing ``findings``."""

from gongkai.rules.check import CheckResult, check_lake
from gongkai.rules.suites import default_suites_dir, rule_catalogue

__all__ = ["CheckResult", "check_lake", "default_suites_dir", "rule_catalogue"]
