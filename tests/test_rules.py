"""The GX reconciliation suites and the findings they produce (real GX runs on contract-shaped tables)."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from gongkai import keys
from gongkai.contract import FINDINGS, REPORT_CELLS, REPORTS
from gongkai.rules import default_suites_dir, rule_catalogue, validate_cells
from gongkai.rules.suites import RECONCILIATION, load_suites, selected_rule

# a fmt2021 report that printed （六）其他处理 as one row
T3_2021_WITH_SINGLE_OTHER = tuple(keys.OTHER_ROW_2019 if r == keys.OTHER_ROWS_2021[0] else r
                                  for r in keys.T3_ROWS_2021 if r not in keys.OTHER_ROWS_2021[1:])


def table_keys(format_version: str, t3_rows: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """Every (table_id, row_key, col_key) a report of this format prints."""
    cells = [("T3", r, c) for r in (t3_rows or keys.t3_rows(format_version)) for c in keys.T3_COLS]
    cells += [("T4", r, c) for r in keys.T4_ROWS for c in keys.T4_COLS]
    for table, rows in keys.T2_ROWS_BY_FORMAT[format_version].items():
        cells += [(table, r, c) for r in rows for c in keys.T2_DEFAULT_COLS[format_version][table]]
    return cells


def report_cells(report_id: str, format_version: str, values: dict[str, object] | None = None,
                 blanks: frozenset[str] = frozenset(), omit_tables: frozenset[str] = frozenset(),
                 t3_rows: tuple[str, ...] | None = None) -> list[dict]:
    """A full T2/T3/T4 cell set: every cell 0 except ``values`` ('T3.new_received.total': 17) and ``blanks``."""
    values = values or {}
    rows = []
    for n, (table, row, col) in enumerate(table_keys(format_version, t3_rows)):
        if table in omit_tables:
            continue
        ref = f"{table}.{row}.{col}"
        if ref in blanks:
            value, raw, status = None, "\u2002", "blank"
        else:
            value = Decimal(str(values.get(ref, 0)))
            raw, status = str(values.get(ref, 0)), "zero" if value == 0 else "number"
        rows.append({"report_id": report_id, "table_id": table, "row_key": row, "col_key": col, "value": value,
                     "value_raw": raw, "value_status": status, "label_raw": row, "locator": f"line {n + 1} cell 1",
                     "confidence": 1.0})
    unknown = set(values) - {f"{t}.{r}.{c}" for t, r, c in table_keys(format_version, t3_rows)}
    assert not unknown, f"not a cell of this format: {unknown}"
    return rows


def tables(reports: list[tuple[str, str]], cells: list[dict], year: int | None = 2022) -> tuple[pa.Table, pa.Table]:
    report_rows = [{"report_id": rid, "format_version": fmt, "report_year": year, "year_source": "title"}
                   for rid, fmt in reports]
    return pa.Table.from_pylist(report_rows, schema=REPORTS), pa.Table.from_pylist(cells, schema=REPORT_CELLS)


def run(reports: list[tuple[str, str]], cells: list[dict], suites_dir: Path | None = None) -> dict:
    """validate_cells, as {(report_id, rule_id, scope): finding}."""
    findings = validate_cells(*tables(reports, cells), suites_dir=suites_dir)
    assert findings.schema.equals(FINDINGS, check_metadata=False)
    out = {(f["report_id"], f["rule_id"], f["scope"]): f for f in findings.to_pylist()}
    assert len(out) == findings.num_rows, "one finding per (report, rule, scope)"
    return out


def statuses(found: dict, report_id: str, rule_id: str) -> dict[str, str]:
    return {scope: f["status"] for (rid, rule, scope), f in found.items() if rid == report_id and rule == rule_id}


SEED_003 = {
    **{f"T3.new_received.{c}": v for c, v in zip(keys.T3_COLS, (0, 0, 0, 16, 0, 1, 17), strict=True)},
    **{f"T3.carried_in.{c}": v for c, v in zip(keys.T3_COLS, (0, 0, 0, 6, 0, 2, 8), strict=True)},
}


@pytest.fixture(scope="module")
def seed_003() -> dict:
    return run([("003", keys.FMT2019)], report_cells("003", keys.FMT2019, SEED_003))


def test_seed_003_balance_fails_in_three_columns(seed_003: dict) -> None:
    balance = statuses(seed_003, "003", "T3_BALANCE")
    assert balance == {f"col={c}": "FAIL" if c in ("social_welfare", "other_org", "total") else "PASS"
                       for c in keys.T3_COLS}
    total = seed_003[("003", "T3_BALANCE", "col=total")]
    assert (total["left_value"], total["right_value"], total["delta"]) == (Decimal(25), Decimal(0), Decimal(25))
    assert total["severity"] == "E"
    assert "第一项加第二项之和（17+8=25）不等于第三项加第四项之和（0+0=0），相差25" in total["message"]
    social = seed_003[("003", "T3_BALANCE", "col=social_welfare")]
    assert (social["left_value"], social["right_value"], social["delta"]) == (Decimal(22), Decimal(0), Decimal(22))
    evidence = json.loads(total["cells"])
    assert [c["cell"] for c in evidence] == ["T3.new_received.total", "T3.carried_in.total",
                                             "T3.outcome_total.total", "T3.carried_out.total"]
    assert evidence[0] == {"cell": "T3.new_received.total", "label": "一、本年新收政府信息公开申请数量 · 总计",
                           "value": "17", "raw": "17", "status": "number", "locator": evidence[0]["locator"]}
    assert evidence[0]["locator"].startswith("line ")


def test_seed_003_other_rules(seed_003: dict) -> None:
    assert set(statuses(seed_003, "003", "T3_ROW_TOTAL").values()) == {"PASS"}
    assert len(statuses(seed_003, "003", "T3_ROW_TOTAL")) == len(keys.T3_ROWS_2019)
    assert set(statuses(seed_003, "003", "T3_OUTCOME_TOTAL_2019").values()) == {"PASS"}
    assert statuses(seed_003, "003", "T3_OUTCOME_TOTAL") == {}       # a fmt2021 rule: not applicable, not emitted
    for rule_id in ("T4_REVIEW_TOTAL", "T4_LIT_DIRECT_TOTAL", "T4_LIT_AFTER_REVIEW_TOTAL"):
        assert len(statuses(seed_003, "003", rule_id)) == 1
        assert set(statuses(seed_003, "003", rule_id).values()) == {"PASS"}
    for rule_id, scope in (("T3_NONNEG_INT", "table=T3"), ("T4_NONNEG_INT", "table=T4"), ("T2_NONNEG", "table=T2")):
        assert statuses(seed_003, "003", rule_id) == {scope: "PASS"}
    passed = seed_003[("003", "T3_ROW_TOTAL", "row=new_received")]
    assert passed["left_value"] == passed["right_value"] == Decimal(17) and passed["delta"] == 0


def test_a_pass_keeps_its_cells_and_values_but_not_the_full_evidence(seed_003: dict) -> None:
    passed = json.loads(seed_003[("003", "T3_BALANCE", "col=natural_person")]["cells"])
    assert passed == [{"cell": f"T3.{row}.natural_person", "value": "0"}
                      for row in ("new_received", "carried_in", "outcome_total", "carried_out")]
    failed = json.loads(seed_003[("003", "T3_BALANCE", "col=other_org")]["cells"])
    assert {"label", "raw", "status", "locator"} <= set(failed[0])


def test_outcome_total_2019_sums_the_19_rows() -> None:
    values = {**SEED_003, "T3.granted.total": 10, "T3.other_processing.total": 5, "T3.outcome_total.total": 15,
              "T3.carried_out.total": 10}
    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, values))
    outcome = found[("r", "T3_OUTCOME_TOTAL_2019", "col=total")]
    assert outcome["status"] == "PASS" and outcome["left_value"] == 15
    assert len(json.loads(outcome["cells"])) == len(keys.OUT19) + 1
    assert found[("r", "T3_BALANCE", "col=total")]["status"] == "PASS"

    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, {**values, "T3.outcome_total.total": 16}))
    outcome = found[("r", "T3_OUTCOME_TOTAL_2019", "col=total")]
    assert (outcome["status"], outcome["left_value"], outcome["right_value"], outcome["delta"]) == (
        "FAIL", 15, 16, -1)
    assert "相差1" in outcome["message"]


def test_blank_operand_is_uncertain_with_lenient_verdict() -> None:
    # seed 004: the carried_out total is blank
    cells = report_cells("004", keys.FMT2021, {"T3.new_received.natural_person": 3, "T3.new_received.total": 3,
                                               "T3.granted.natural_person": 3, "T3.granted.total": 3,
                                               "T3.outcome_total.natural_person": 3, "T3.outcome_total.total": 3},
                         blanks=frozenset({"T3.carried_out.total"}))
    found = run([("004", keys.FMT2021)], cells)
    row_total = found[("004", "T3_ROW_TOTAL", "row=carried_out")]
    balance = found[("004", "T3_BALANCE", "col=total")]
    for finding in (row_total, balance):
        assert finding["status"] == "UNCERTAIN"
        assert finding["left_value"] is None and finding["right_value"] is None and finding["delta"] is None
        assert "「四、结转下年度继续办理 · 总计」为空白" in finding["message"]
        assert "若空白按0计" in finding["message"] and "可以通过" in finding["message"]
    blank = [c for c in json.loads(balance["cells"]) if c["cell"] == "T3.carried_out.total"]
    assert blank == [{"cell": "T3.carried_out.total", "label": "四、结转下年度继续办理 · 总计", "value": None,
                      "raw": "\u2002", "status": "blank", "locator": blank[0]["locator"]}]
    assert found[("004", "T3_BALANCE", "col=natural_person")]["status"] == "PASS"
    assert found[("004", "T3_OUTCOME_TOTAL", "col=total")]["status"] == "PASS"
    assert found[("004", "T3_NONNEG_INT", "table=T3")]["status"] == "UNCERTAIN"


def test_blank_operand_that_fails_even_as_zero() -> None:
    cells = report_cells("r", keys.FMT2021, {"T3.new_received.total": 5}, blanks=frozenset({"T3.carried_in.total"}))
    finding = run([("r", keys.FMT2021)], cells)[("r", "T3_BALANCE", "col=total")]
    assert finding["status"] == "UNCERTAIN"
    assert "相差5，仍不通过" in finding["message"]


def test_row_not_printed_is_uncertain_with_missing_evidence() -> None:
    t3_rows = tuple(r for r in keys.T3_ROWS_2021 if r != "carried_out")
    found = run([("r", keys.FMT2021)], report_cells("r", keys.FMT2021, t3_rows=t3_rows))
    assert set(statuses(found, "r", "T3_BALANCE").values()) == {"UNCERTAIN"}
    assert found[("r", "T3_ROW_TOTAL", "row=carried_out")]["status"] == "UNCERTAIN"
    missing = json.loads(found[("r", "T3_BALANCE", "col=total")]["cells"])[-1]
    assert missing == {"cell": "T3.carried_out.total", "label": "四、结转下年度继续办理 · 总计", "value": None,
                       "raw": None, "status": "missing", "locator": None}


def test_evidence_is_valid_json_for_any_printed_text() -> None:
    cells = report_cells("r", keys.FMT2021, {"T3.new_received.total": 17})
    odd = next(c for c in cells if (c["table_id"], c["row_key"], c["col_key"]) == ("T3", "new_received", "total"))
    odd.update(value_raw='"17"\\件\n', locator='p1 "表三" r1')
    finding = run([("r", keys.FMT2021)], cells)[("r", "T3_BALANCE", "col=total")]
    assert json.loads(finding["cells"])[0] | {"label": None} == {
        "cell": "T3.new_received.total", "label": None, "value": "17", "raw": '"17"\\件\n', "status": "number",
        "locator": 'p1 "表三" r1'}


def test_missing_table_and_unknown_format_are_not_assessable() -> None:
    cells = report_cells("no_t4", keys.FMT2021, omit_tables=frozenset({"T4"}))
    found = run([("no_t4", keys.FMT2021), ("old", keys.PRE2019)], cells)
    for rule_id in ("T4_REVIEW_TOTAL", "T4_LIT_DIRECT_TOTAL", "T4_LIT_AFTER_REVIEW_TOTAL", "T4_NONNEG_INT"):
        assert statuses(found, "no_t4", rule_id) == {"table=T4": "NOT_ASSESSABLE"}
        assert "没有找到表四" in found[("no_t4", rule_id, "table=T4")]["message"]
    assert set(statuses(found, "no_t4", "T3_BALANCE").values()) == {"PASS"}
    old = {(rule, scope): f["status"] for (rid, rule, scope), f in found.items() if rid == "old"}
    assert old.pop(("S_FORMAT_YEAR", "report")) == "FAIL"          # a 2022 report cannot be pre-2019
    assert set(old.values()) == {"NOT_ASSESSABLE"}
    assert {rule for rule, _ in old} | {"S_FORMAT_YEAR"} == {r["rule_id"] for r in rule_catalogue()}
    assert ("T3_BALANCE", "table=T3") in old and ("T2_NONNEG", "table=T2") in old
    assert "pre2019" in found[("old", "T3_BALANCE", "table=T3")]["message"]


def test_fmt2021_with_single_other_processing_row() -> None:
    values = {"T3.new_received.total": 4, "T3.new_received.other_org": 4, "T3.granted.total": 1,
              "T3.granted.other_org": 1, "T3.other_processing.total": 3, "T3.other_processing.other_org": 3,
              "T3.outcome_total.total": 4, "T3.outcome_total.other_org": 4}
    cells = report_cells("r", keys.FMT2021, values, t3_rows=T3_2021_WITH_SINGLE_OTHER)
    found = run([("r", keys.FMT2021)], cells)
    outcome = found[("r", "T3_OUTCOME_TOTAL", "col=total")]
    assert outcome["status"] == "PASS" and outcome["left_value"] == 4
    used = [c["cell"] for c in json.loads(outcome["cells"])]
    assert "T3.other_processing.total" in used and "T3.other_misc.total" not in used
    assert len(used) == len(keys.OUT19) + 1
    row_total = statuses(found, "r", "T3_ROW_TOTAL")
    assert "row=other_processing" in row_total and "row=other_misc" not in row_total
    assert set(row_total.values()) == {"PASS"}

    # the three sub-rows printed: other_processing plays no part
    found = run([("s", keys.FMT2021)], report_cells("s", keys.FMT2021, {"T3.other_misc.total": 2}))
    outcome = found[("s", "T3_OUTCOME_TOTAL", "col=total")]
    assert (outcome["status"], outcome["left_value"], outcome["right_value"]) == ("FAIL", 2, 0)
    assert "T3.other_misc.total" in outcome["cells"] and "other_processing" not in outcome["cells"]


def test_negative_t3_cell_fails_nonneg() -> None:
    cells = report_cells("r", keys.FMT2021, {"T3.granted.natural_person": -3, "T3.granted.total": "1.5"})
    finding = run([("r", keys.FMT2021)], cells)[("r", "T3_NONNEG_INT", "table=T3")]
    assert finding["status"] == "FAIL"
    assert "「（一）予以公开 · 自然人」为-3，小于0" in finding["message"]
    assert "「（一）予以公开 · 总计」为1.5，不是整数" in finding["message"]
    assert [c["cell"] for c in json.loads(finding["cells"])] == ["T3.granted.natural_person", "T3.granted.total"]


def test_t2_items_change_may_be_negative() -> None:
    values = {"T2_5.license.items_change": -8, "T2_8.admin_fee.items_prev_year": 3}
    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, values))
    assert found[("r", "T2_NONNEG", "table=T2")]["status"] == "PASS"
    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, {**values, "T2_5.license.decisions": -1}))
    finding = found[("r", "T2_NONNEG", "table=T2")]
    assert finding["status"] == "FAIL"
    assert [c["cell"] for c in json.loads(finding["cells"])] == ["T2_5.license.decisions"]


def test_t2_fee_may_be_fractional() -> None:
    found = run([("r", keys.FMT2021)], report_cells("r", keys.FMT2021, {"T2_8.admin_fee.fee_amount": "5949.088667"}))
    assert found[("r", "T2_NONNEG", "table=T2")]["status"] == "PASS"


def test_t4_total_mismatch_fails() -> None:
    values = {"T4.review.upheld": 2, "T4.review.corrected": 1, "T4.review.total": 4,
              "T4.lit_direct.pending": 1, "T4.lit_direct.total": 1}
    found = run([("r", keys.FMT2021)], report_cells("r", keys.FMT2021, values))
    review = found[("r", "T4_REVIEW_TOTAL", "row=review")]
    assert (review["status"], review["left_value"], review["right_value"], review["delta"]) == ("FAIL", 3, 4, -1)
    assert "结果维持、结果纠正、其他结果、尚未审结四项之和（2+1+0+0=3）不等于总计（4），相差1" in review["message"]
    assert found[("r", "T4_LIT_DIRECT_TOTAL", "row=lit_direct")]["status"] == "PASS"
    assert found[("r", "T4_LIT_AFTER_REVIEW_TOTAL", "row=lit_after_review")]["status"] == "PASS"


def test_batch_of_reports_keeps_report_and_rule_order() -> None:
    cells = report_cells("b", keys.FMT2021) + report_cells("a", keys.FMT2019, SEED_003)
    reports, cell_table = tables([("b", keys.FMT2021), ("a", keys.FMT2019), ("x", keys.NOT_A_REPORT)], cells)
    findings = validate_cells(reports, cell_table)
    assert findings.schema.equals(FINDINGS, check_metadata=False)
    ids = findings["report_id"].to_pylist()
    assert ids == sorted(ids, key=["b", "a", "x"].index)
    order = [r["rule_id"] for r in rule_catalogue()]
    rules_b = [f["rule_id"] for f in findings.to_pylist() if f["report_id"] == "b"]
    assert rules_b == sorted(rules_b, key=order.index)
    counts = findings.filter(pc.equal(findings["report_id"], "a"))["status"].value_counts().to_pylist()
    # seed 003's three T3 failures, and S_FORMAT_YEAR: a 2022 report in the 2019 format
    assert {c["values"]: c["counts"] for c in counts} == {"PASS": 4 + 23 + 7 + 3 + 3, "FAIL": 3 + 1}


def test_empty_batch() -> None:
    findings = validate_cells(*tables([], []))
    assert findings.num_rows == 0 and findings.schema.equals(FINDINGS, check_metadata=False)


def test_suites_json_is_what_runs(tmp_path: Path) -> None:
    suites_dir = tmp_path / "expectations"
    shutil.copytree(default_suites_dir(), suites_dir)
    path = suites_dir / f"{RECONCILIATION}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    balance = next(e for e in document["expectations"] if e["meta"]["rule_id"] == "T3_BALANCE")
    balance["meta"].update(rule_id="T3_NEW_EQ_CARRIED_OUT", description="本年新收等于结转下年度",
                           lhs=["new_received"], rhs=["carried_out"])
    balance["kwargs"]["row_condition"]["parameter"] = "T3_NEW_EQ_CARRIED_OUT"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    values = {**SEED_003, "T3.carried_out.total": 17}
    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, values), suites_dir=suites_dir)
    assert statuses(found, "r", "T3_BALANCE") == {}
    assert statuses(found, "r", "T3_NEW_EQ_CARRIED_OUT")["col=total"] == "PASS"
    assert statuses(found, "r", "T3_NEW_EQ_CARRIED_OUT")["col=social_welfare"] == "FAIL"
    assert "T3_NEW_EQ_CARRIED_OUT" in {r["rule_id"] for r in rule_catalogue(suites_dir)}

    # the comparison itself is GX's: an expectation that always holds turns the FAIL into PASS
    balance["kwargs"].update(column_B="lhs")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    found = run([("r", keys.FMT2019)], report_cells("r", keys.FMT2019, values), suites_dir=suites_dir)
    assert set(statuses(found, "r", "T3_NEW_EQ_CARRIED_OUT").values()) == {"PASS"}


def test_row_condition_must_select_its_rule(tmp_path: Path) -> None:
    suites_dir = tmp_path / "expectations"
    shutil.copytree(default_suites_dir(), suites_dir)
    path = suites_dir / f"{RECONCILIATION}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["expectations"][0]["kwargs"]["row_condition"]["parameter"] = "T3_ROW_TOTAL"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="row_condition"):
        load_suites(suites_dir)


def test_catalogue_and_suites_match_the_keys() -> None:
    catalogue = {r["rule_id"]: r for r in rule_catalogue()}
    assert set(catalogue) == {"T3_BALANCE", "T3_ROW_TOTAL", "T3_OUTCOME_TOTAL", "T3_OUTCOME_TOTAL_2019",
                              "T4_REVIEW_TOTAL", "T4_LIT_DIRECT_TOTAL", "T4_LIT_AFTER_REVIEW_TOTAL",
                              "T3_NONNEG_INT", "T4_NONNEG_INT", "T2_NONNEG", "S_FORMAT_YEAR"}
    assert all(r["severity"] == "E" and r["description"] for r in catalogue.values())
    assert catalogue["T3_BALANCE"]["description"] == "本列数据的勾稽关系：第一项加第二项之和，等于第三项加第四项之和"
    suites = load_suites()
    rules = {r.rule_id: r for r in suites.sum_rules}
    assert rules["T3_OUTCOME_TOTAL"].lhs == keys.OUT21 and rules["T3_OUTCOME_TOTAL_2019"].lhs == keys.OUT19
    assert rules["T3_ROW_TOTAL"].scopes == {keys.FMT2021: keys.T3_ROWS_2021, keys.FMT2019: keys.T3_ROWS_2019}
    assert rules["T3_ROW_TOTAL"].lhs == keys.T3_APPLICANT_COLS
    for document in suites.documents.values():
        for expectation in document["expectations"]:
            assert selected_rule(expectation) == expectation["meta"]["rule_id"]
            assert expectation["severity"] == {"E": "critical", "W": "warning", "I": "info"}[
                expectation["meta"]["severity"]]


@pytest.mark.parametrize(("year", "fmt", "status"), [
    (2022, keys.FMT2019, "FAIL"), (2022, keys.FMT2021, "PASS"), (2020, keys.FMT2019, "PASS"),
    (2020, keys.FMT2021, "FAIL"), (2016, keys.PRE2019, "PASS"), (2016, keys.FMT2021, "FAIL"),
    (None, keys.FMT2021, "NOT_ASSESSABLE"), (2022, keys.UNKNOWN, "NOT_ASSESSABLE"),
])
def test_format_must_fit_the_year(year: int | None, fmt: str, status: str) -> None:
    findings = validate_cells(*tables([("r", fmt)], [], year=year)).to_pylist()
    finding = next(f for f in findings if f["rule_id"] == "S_FORMAT_YEAR")
    assert (finding["status"], finding["severity"], finding["scope"]) == (status, "E", "report")
    if status == "FAIL":
        assert f"{year}年度报告" in finding["message"] and "实际使用" in finding["message"]
        evidence = {c["cell"]: c for c in json.loads(finding["cells"])}
        assert evidence["report_year"]["value"] == year and evidence["report_year"]["locator"] == "标题"
