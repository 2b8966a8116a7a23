"""The Chinese words the auditor's outputs (site and workbook) show for codes: statuses, severities, rule families.

Every mapping is defined here once; pages, the report list's data and the workbook all read them from here.
"""

from __future__ import annotations

from gongkai import keys

# Finding statuses, in the order the auditor reads them (worst first).
STATUS_LABELS = {
    "FAIL": "不通过",
    "UNCERTAIN": "无法判断",
    "PASS_LENIENT": "宽松通过",  # passes only when blank cells count as 0
    "NOT_ASSESSABLE": "不适用",
    "PASS": "通过",
}
SEVERITY_LABELS = {"E": "错误", "W": "警告", "I": "提示"}

# Rule families: the family column of a finding when the warehouse has one, else derived from the rule id.
FAMILY_LABELS = {
    "table": "表内勾稽",
    "structure": "报告结构",
    "narrative": "正文与表格",
    "cross_report": "跨年度",
    "other": "其他规则",
}
_FAMILY_PREFIXES = (  # the longest prefix first: XR_ before X_
    ("XR_", "cross_report"),
    ("T2_", "table"),
    ("T3_", "table"),
    ("T4_", "table"),
    ("X_", "table"),
    ("S_", "structure"),
    ("N_", "narrative"),
)

FORMAT_LABELS = {
    keys.FMT2021: "2021年版格式",
    keys.FMT2019: "2019年版格式",
    keys.PRE2019: "2019年以前格式",
    keys.NOT_A_REPORT: "非年度报告",
    keys.UNKNOWN: "未识别格式",
}
PARSE_STATUS_LABELS = {"complete": "完整", "partial": "部分解析", "no_tables": "未识别到表格"}
VALUE_STATUS_LABELS = {
    "number": "数字",
    "zero": "零",
    "blank": "空白",
    "placeholder": "占位符",
    "text": "文字",
    "missing": "缺失",
    "uncertain": "不确定",
}
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
LEVEL_LABELS = {"province": "省级", "prefecture": "地市级", "county": "县级", "township": "乡镇（街道）"}


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
