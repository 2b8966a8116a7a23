"""Canonical table, row and column keys and the codes of the contract's code columns, each with its Chinese label:
the public contract for BI users and tests, defined here once.

`make docs` generates from this file docs/keys.md and the warehouse's label seeds (dbt_project/seeds/cell_keys.csv
and code_labels.csv, which the dbt tests check the code columns against and the marts take their labels from).
"""

from __future__ import annotations

FMT2021 = "fmt2021"
FMT2019 = "fmt2019"
PRE2019 = "pre2019"
NOT_A_REPORT = "not_a_report"
UNKNOWN = "unknown"
FORMAT_LABELS = {
    FMT2021: "2021年版格式",
    FMT2019: "2019年版格式",
    PRE2019: "2019年以前格式",
    NOT_A_REPORT: "非年度报告",
    UNKNOWN: "未识别格式",
}

# ---- T3: 三、收到和处理政府信息公开申请情况 -------------------------------------------------
T3_COLS = (
    "natural_person",  # 自然人
    "commercial",  # 商业企业
    "research",  # 科研机构
    "social_welfare",  # 社会公益组织
    "legal_service",  # 法律服务机构
    "other_org",  # 其他
    "total",  # 总计
)
T3_APPLICANT_COLS = T3_COLS[:-1]

T3_COL_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

DENIED_ROWS = (
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
)
UNABLE_ROWS = ("unable_not_held", "unable_need_creation", "unable_still_unclear")
NOPROC_ROWS = ("noproc_petition", "noproc_repeat", "noproc_publication", "noproc_massive", "noproc_confirm")
OTHER_ROWS_2021 = ("other_no_correction", "other_fee_unpaid", "other_misc")
OTHER_ROW_2019 = "other_processing"

# The 21 (2021) or 19 (2019) mutually exclusive outcome rows.
OUT21 = ("granted", "partly_granted") + DENIED_ROWS + UNABLE_ROWS + NOPROC_ROWS + OTHER_ROWS_2021
OUT19 = ("granted", "partly_granted") + DENIED_ROWS + UNABLE_ROWS + NOPROC_ROWS + (OTHER_ROW_2019,)

T3_ROWS_2021 = ("new_received", "carried_in") + OUT21 + ("outcome_total", "carried_out")
T3_ROWS_2019 = ("new_received", "carried_in") + OUT19 + ("outcome_total", "carried_out")

T3_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开",
    "denied_state_secret": "（三）不予公开 1.属于国家秘密",
    "denied_law_prohibited": "（三）不予公开 2.其他法律行政法规禁止公开",
    "denied_security_stability": "（三）不予公开 3.危及“三安全一稳定”",
    "denied_third_party": "（三）不予公开 4.保护第三方合法权益",
    "denied_internal_affairs": "（三）不予公开 5.属于三类内部事务信息",
    "denied_process_info": "（三）不予公开 6.属于四类过程性信息",
    "denied_enforcement_file": "（三）不予公开 7.属于行政执法案卷",
    "denied_admin_query": "（三）不予公开 8.属于行政查询事项",
    "unable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unable_need_creation": "（四）无法提供 2.没有现成信息需要另行制作",
    "unable_still_unclear": "（四）无法提供 3.补正后申请内容仍不明确",
    "noproc_petition": "（五）不予处理 1.信访举报投诉类申请",
    "noproc_repeat": "（五）不予处理 2.重复申请",
    "noproc_publication": "（五）不予处理 3.要求提供公开出版物",
    "noproc_massive": "（五）不予处理 4.无正当理由大量反复申请",
    "noproc_confirm": "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理 1.申请人无正当理由逾期不补正",
    "other_fee_unpaid": "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
    "other_misc": "（六）其他处理 3.其他",
    "other_processing": "（六）其他处理",
    "outcome_total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}

# ---- T4: 四、政府信息公开行政复议、行政诉讼情况 ---------------------------------------------------
T4_ROWS = ("review", "lit_direct", "lit_after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T4_ROW_LABELS = {
    "review": "行政复议",
    "lit_direct": "行政诉讼·未经复议直接起诉",
    "lit_after_review": "行政诉讼·复议后起诉",
}
T4_COL_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# ---- T2: 二、主动公开政府信息情况 (第二十条 items) ------------------------------------------------
T2_ROW_LABELS = {
    "regulation": "规章",
    "normative_doc": "行政规范性文件",
    "license": "行政许可",
    "other_external_service": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "admin_fee": "行政事业性收费",
    "central_procurement": "政府集中采购",
}
T2_COL_LABELS = {
    "made": "本年制发件数",
    "repealed": "本年废止件数",
    "valid": "现行有效件数",
    "decisions": "本年处理决定数量",
    "fee_amount": "本年收费金额（单位：万元）",
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "published_total": "对外公开总数量",
    "items_prev_year": "上一年项目数量",
    "items_change": "本年增/减",
    "procurement_items": "采购项目数量",
    "procurement_amount": "采购总金额",
}

# Which table holds which rows, and the default columns of each table by format.
T2_TABLE_ROWS = {
    "T2_1": ("regulation", "normative_doc"),
    "T2_5": ("license", "other_external_service"),
    "T2_6": ("penalty", "coercion"),
    "T2_8": ("admin_fee",),
    "T2_9": ("central_procurement",),
}
T2_DEFAULT_COLS = {
    FMT2021: {
        "T2_1": ("made", "repealed", "valid"),
        "T2_5": ("decisions",),
        "T2_6": ("decisions",),
        "T2_8": ("fee_amount",),
    },
    FMT2019: {
        "T2_1": ("new_made", "new_published", "published_total"),
        "T2_5": ("items_prev_year", "items_change", "decisions"),
        "T2_6": ("items_prev_year", "items_change", "decisions"),
        "T2_8": ("items_prev_year", "items_change"),
        "T2_9": ("procurement_items", "procurement_amount"),
    },
}
# Rows each format prints (2021 dropped other_external_service and T2_9).
T2_ROWS_BY_FORMAT = {
    FMT2021: {
        "T2_1": ("regulation", "normative_doc"),
        "T2_5": ("license",),
        "T2_6": ("penalty", "coercion"),
        "T2_8": ("admin_fee",),
    },
    FMT2019: T2_TABLE_ROWS,
}
# Columns that may legitimately be negative (本年增/减).
SIGNED_COLS = frozenset({"items_change"})

TABLE_LABELS = {
    "T2_1": "表二 第二十条第（一）项",
    "T2_5": "表二 第二十条第（五）项",
    "T2_6": "表二 第二十条第（六）项",
    "T2_8": "表二 第二十条第（八）项",
    "T2_9": "表二 第二十条第（九）项",
    "T3": "表三 收到和处理政府信息公开申请情况",
    "T4": "表四 政府信息公开行政复议、行政诉讼情况",
}
TABLE_IDS = tuple(TABLE_LABELS)

# ---- Codes of the contract's code columns -------------------------------------------------------------------
# report_cells.value_status.
VALUE_STATUS_LABELS = {
    "number": "数字",
    "zero": "零",
    "blank": "空白",
    "placeholder": "占位符",
    "text": "文字",
    "missing": "缺失",
    "uncertain": "不确定",
}
# findings.status. PASS_LENIENT: passes only when blank cells count as 0 (docs/formats.md#blanks); NOT_ASSESSABLE:
# the rule does not apply.
FINDING_STATUS_LABELS = {
    "PASS": "通过",
    "PASS_LENIENT": "宽松通过",
    "FAIL": "不通过",
    "UNCERTAIN": "无法判断",
    "NOT_ASSESSABLE": "不适用",
}
FINDING_STATUSES = tuple(FINDING_STATUS_LABELS)
# findings.severity (every rule of expectations/ has one).
SEVERITY_LABELS = {"E": "错误", "W": "警告", "I": "提示"}
# findings.family.
RULE_FAMILY_LABELS = {
    "table": "表内勾稽",
    "structure": "报告结构",
    "narrative": "正文与表格",
    "cross_report": "跨年度",
}
RULE_FAMILIES = tuple(RULE_FAMILY_LABELS)
# Administrative levels, top down: reports.admin_level and region_level, dim_region.region_level.
REGION_LEVEL_LABELS = {"province": "省级", "prefecture": "地市级", "county": "县级", "township": "乡镇（街道）"}
# region_level in the marts and dim_region: the levels, and `unresolved` for the group of the reports whose region
# was not resolved, whose region_id and name are UNRESOLVED_REGION (the dbt var unresolved_region).
MART_LEVEL_LABELS = REGION_LEVEL_LABELS | {"unresolved": "未识别"}
UNRESOLVED_REGION = "（未识别）"


def t3_rows(format_version: str) -> tuple[str, ...]:
    """The T3 row keys a report of this format prints."""
    return T3_ROWS_2019 if format_version == FMT2019 else T3_ROWS_2021


def row_col_labels(table_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """The row and the column labels of a table's cells, each in printed order."""
    if table_id == "T3":
        return T3_ROW_LABELS, T3_COL_LABELS
    if table_id == "T4":
        return T4_ROW_LABELS, T4_COL_LABELS
    return T2_ROW_LABELS, T2_COL_LABELS


def label_of(table_id: str, row_key: str, col_key: str) -> str:
    """Chinese label of a cell as auditors read it, e.g. '（七）总计 · 总计'."""
    rows, cols = row_col_labels(table_id)
    return f"{rows.get(row_key, row_key)} · {cols.get(col_key, col_key)}"


def printed_cells(format_version: str) -> list[tuple[str, str, str]]:
    """Every cell key (table_id, row_key, col_key) of tables 三, 四 and 二 that a fmt2021 or fmt2019 report prints."""
    cells = [("T3", row, col) for row in t3_rows(format_version) for col in T3_COLS]
    cells += [("T4", row, col) for row in T4_ROWS for col in T4_COLS]
    for table_id, rows in T2_ROWS_BY_FORMAT[format_version].items():
        cells += [(table_id, row, col) for row in rows for col in T2_DEFAULT_COLS[format_version][table_id]]
    return cells


def canonical_cells() -> list[tuple[str, str, str]]:
    """Every cell key either format prints, once, ordered by table (TABLE_IDS), then row, then column (label order)."""

    def position(cell: tuple[str, str, str]) -> tuple[int, int, int]:
        table_id, row, col = cell
        rows, cols = row_col_labels(table_id)
        return TABLE_IDS.index(table_id), list(rows).index(row), list(cols).index(col)

    return sorted({cell for fmt in (FMT2021, FMT2019) for cell in printed_cells(fmt)}, key=position)
