"""The findings' messages: each rule in plain Chinese words for auditors, with the figures that decided it."""
from __future__ import annotations

from typing import NamedTuple

from gongkai import keys
from gongkai.rules.suites import CellRule, Rule, SumRule

FORMAT_WORDS = {
    keys.FMT2021: "2021年版",
    keys.FMT2019: "2019年版",
    keys.PRE2019: "2019年以前的报告",
    keys.NOT_A_REPORT: "不是政府信息公开工作年度报告",
    keys.UNKNOWN: "未能识别",
}
_MAX_LISTED = 5


class SumOperands(NamedTuple):
    """The operand-frame columns a sum rule's message is written from."""

    scope_label: str
    lhs_terms: str          # e.g. '17+8'; '空' for a blank operand
    rhs_terms: str
    lhs_text: str           # the sums (blanks counted as 0) and |lhs - rhs|
    rhs_text: str
    gap_text: str
    lhs_count: int
    rhs_count: int
    complete: bool
    null_labels: list[str]


def not_assessable_format(rule: Rule, format_version: str) -> str:
    formats = "、".join(FORMAT_WORDS.get(f, f) for f in rule.formats)
    return (f"{rule.description}。本规则只适用于{formats}格式的报告，本报告的格式为「{format_version}」"
            f"（{FORMAT_WORDS.get(format_version, '未能识别')}），无法检查")


def not_assessable_table(rule: Rule) -> str:
    return f"{rule.description}。报告中没有找到{rule.table_words}，无法检查"


def sum_message(rule: SumRule, row: SumOperands, equal: bool) -> str:
    """One scope of a sum rule, given GX's verdict on it (blanks counted as 0)."""
    lhs = _side(rule.lhs_words, row.lhs_terms, row.lhs_text, row.lhs_count)
    rhs = _side(rule.rhs_words, row.rhs_terms, row.rhs_text, row.rhs_count)
    verdict = f"{lhs}等于{rhs}" if equal else f"{lhs}不等于{rhs}，相差{row.gap_text}"
    head = f"{rule.description}。{row.scope_label}："
    if row.complete:
        return head + verdict
    return (f"{head}{_listing(row.null_labels)}为空白、缺失或无法识别，无法判断。"
            f"若空白按0计，{verdict}，{'可以通过' if equal else '仍不通过'}")


def cell_pass(rule: CellRule, n_cells: int) -> str:
    return f"{rule.description}。检查了{n_cells}个数据，都符合要求"


def cell_fail(rule: CellRule, problems: list[str]) -> str:
    listed = "；".join(problems[:_MAX_LISTED]) + (f"；等{len(problems)}个" if len(problems) > _MAX_LISTED else "")
    return f"{rule.description}。有{len(problems)}个数据不符合要求：{listed}"


def cell_uncertain(rule: CellRule, n_cells: int, null_labels: list[str]) -> str:
    return (f"{rule.description}。{_listing(null_labels)}为空白、缺失或无法识别，无法判断。"
            f"若空白按0计，其余{n_cells - len(null_labels)}个数据都符合要求，可以通过")


def _side(words: str, terms: str, total: str, n_terms: int) -> str:
    """e.g. '第一项加第二项之和（17+8=25）', or '总计（0）' for a single term."""
    return f"{words}（{terms}）" if n_terms == 1 else f"{words}（{terms}={total}）"


def _listing(labels: list[str]) -> str:
    """'「a」、「b」', shortened to the first few with a count."""
    listed = "、".join(f"「{label}」" for label in labels[:_MAX_LISTED])
    return listed + (f"等{len(labels)}个数据" if len(labels) > _MAX_LISTED else "")
