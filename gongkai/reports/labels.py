"""The Chinese words the auditor's outputs (site and workbook) show for codes: statuses, severities, rule families.

The pages, the report list's data and the workbook read every mapping from here. The words of the contract's code
columns (formats, cell value statuses, finding statuses, severities, rule families, region levels) are defined once
with their codes in gongkai.keys, which the warehouse's label seeds are generated from as well; this module passes
them on and adds the auditor's own.
"""

from __future__ import annotations

from gongkai import keys
from gongkai.keys import FORMAT_LABELS as FORMAT_LABELS
from gongkai.keys import REGION_LEVEL_LABELS as REGION_LEVEL_LABELS
from gongkai.keys import SEVERITY_LABELS as SEVERITY_LABELS
from gongkai.keys import VALUE_STATUS_LABELS as VALUE_STATUS_LABELS

# Finding statuses, in the order the auditor reads them (worst first).
_WORST_FIRST = ("FAIL", "UNCERTAIN", "PASS_LENIENT", "NOT_ASSESSABLE", "PASS")
STATUS_LABELS = {status: keys.FINDING_STATUS_LABELS[status] for status in _WORST_FIRST}

# Rule families: the family column of a finding when the warehouse has one, else derived from the rule id.
FAMILY_LABELS = keys.RULE_FAMILY_LABELS | {"other": "其他规则"}
_FAMILY_PREFIXES = (  # the longest prefix first: XR_ before X_
    ("XR_", "cross_report"),
    ("T2_", "table"),
    ("T3_", "table"),
    ("T4_", "table"),
    ("X_", "table"),
    ("S_", "structure"),
    ("N_", "narrative"),
)

PARSE_STATUS_LABELS = {"complete": "完整", "partial": "部分解析", "no_tables": "未识别到表格"}
REGION_STATUS_LABELS = {
    "resolved": "已确定",
    "partial": "部分确定",
    "low_confidence": "把握不足",
    "ambiguous": "多个候选",
    "conflict": "线索矛盾",
    "context_only": "发布机关无区划名",
    "no_publisher": "未找到发布机关区划",
}
UNKNOWN_YEAR = "（未知）"


def rule_family(rule_id: str | None, family: str | None = None) -> str:
    """A rule's family key: ``family`` when the finding carries one, else from the rule id's prefix."""
    if family:
        return family
    return next((name for prefix, name in _FAMILY_PREFIXES if (rule_id or "").startswith(prefix)), "other")


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def status_css(status: str) -> str:
    """The CSS class of a status: 'PASS_LENIENT' -> 'pass-lenient'; 'other' for an unknown status."""
    return status.lower().replace("_", "-") if status in STATUS_LABELS else "other"
