"""Tables flattened to text (scraped pages that lost every cell boundary): decode only what is unambiguous.

The pingtan pages are read from the real corpus (tests/corpus.py); their tests skip when it is absent.
"""

from __future__ import annotations

import random
from decimal import Decimal

from corpus import real_report
from gongkai import keys
from gongkai.parsing.flattened import decode_joined
from gongkai.parsing.parser import parse_document
from gongkai.readers import read_document
from gongkai.staging.evaluate import CERTAIN


def _cells(report) -> dict[tuple[str, str], list]:
    rows: dict[tuple[str, str], list] = {}
    for cell in report.cells:
        rows.setdefault((cell.table_id, cell.row_key), []).append(cell)
    return rows


def test_real_flattened_page_decodes_only_rows_the_layout_splits_one_way() -> None:
    content = real_report("r011_pingtan_syq_2021.txt").read_bytes()
    rows = _cells(parse_document(read_document(content, "text/plain")))
    values = lambda key: [c.value for c in rows[("T3", key)]]  # noqa: E731
    # "1000001": seven digits for seven cells, one split only, and 1 = 1: accepted
    assert values("carried_out") == [Decimal(v) for v in (1, 0, 0, 0, 0, 0, 1)]
    assert rows[("T3", "carried_out")][0].locator.endswith("part 1")
    # "640020470" splits as 64|0|0|2|0|4|70 and as 6|40|0|2|0|4|70 …: the identities do not choose, it is flagged
    assert {c.value_status for c in rows[("T3", "new_received")]} == {"uncertain"}
    assert rows[("T3", "new_received")][0].value_raw == "640020470"
    assert rows[("T2_8", "admin_fee")][0].value == Decimal("24252.311082")


def test_signed_changes_stay_attached_to_their_row() -> None:
    content = real_report("r014_pingtan_syq_2020.txt").read_bytes()
    rows = _cells(parse_document(read_document(content, "text/plain")))
    assert [c.value for c in rows[("T2_8", "admin_fee")]] == [Decimal(35), Decimal(-15)]  # "行政事业性收费35-15"


def test_identities_confirm_the_only_split_and_never_choose_between_splits() -> None:
    assert decode_joined([("1000001", True)], 7, 7).parts == ["1", "0", "0", "0", "0", "0", "1"]
    assert decode_joined([("1000001", True)], 7, 7).total_holds is True
    inconsistent = decode_joined([("1000002", True)], 7, 7)  # the only split, but 1 != 2
    assert inconsistent.splits == 1 and inconsistent.total_holds is False
    two_add_up = decode_joined([("270020130", True)], 7, 7)  # 27|0|0|2|0|1|30 and 2|7|0|0|20|1|30 both add up
    assert two_add_up.parts is None and two_add_up.splits == 2
    assert decode_joined([("640020470", True)], 7, 7).parts is None  # only one adds up, but the layout allows more


def _flattened_report(rows: dict[str, list[int | None]]) -> str:
    """A fmt2021 T3 as a scraper flattens it: labels and values glued, blank cells gone."""
    body, group = "", None
    for row, values in rows.items():
        *group_label, label = keys.T3_ROW_LABELS[row].split(" ")
        if group_label and group_label != group:  # a group's label is printed before its first row
            label = group_label[0] + label
        group = group_label
        body += label + "".join("" if v is None else str(v) for v in values)
    return (
        "2022年政府信息公开工作年度报告\n"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        + body
        + "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持总计000000000000000"
        "五、存在的主要问题及改进情况无"
    )


def _score_flattened(values: list[int], seed: int) -> tuple[int, int, int]:
    """(cells checked, exact, wrong while certain) over 60 flattened T3 tables drawn from ``values``."""
    rng = random.Random(seed)
    checked = wrong = exact = 0
    for _ in range(60):
        rows = {}
        for row in keys.T3_ROWS_2021:
            applicants = [rng.choice(values) for _ in range(6)]
            total = sum(applicants) if rng.random() > 0.1 else None  # a blank total now and then
            rows[row] = applicants + [total]
        report = parse_document(read_document(_flattened_report(rows).encode(), "text/plain"))
        parsed = _cells(report)
        for row, printed in rows.items():
            # not strict: a row the parser missed (or read short) is skipped here and shows in `checked`
            for cell, truth in zip(parsed.get(("T3", row), []), printed, strict=False):
                checked += 1
                certain = cell.value_status not in ("uncertain", "missing") and cell.confidence >= CERTAIN
                right = (cell.value is None and truth is None) or (
                    cell.value == (None if truth is None else Decimal(truth))
                )
                exact += right
                wrong += certain and not right
    return checked, exact, wrong


def test_generated_flattened_tables_are_decoded_or_flagged_never_wrong() -> None:
    # with multi-digit values most rows split several ways: flagged, never guessed
    checked, _exact, wrong = _score_flattened([0, 0, 0, 1, 2, 5, 12, 30], seed=7)
    assert checked > 60 * 150 and wrong == 0
    # rows of single digits whose total is one digit split one way only: decoded
    checked, exact, wrong = _score_flattened([0, 0, 0, 0, 1], seed=8)
    assert wrong == 0 and exact / checked > 0.6
