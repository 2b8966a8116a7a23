"""Checks of the synthetic report generator: run with ``python -m pytest benchmarks``."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from generate_reports import (
    INJECTION_BY_RULE,
    INJECTIONS,
    JACCARD_LIMIT,
    NOT_INJECTABLE,
    ONE_CELL,
    PIPE,
    SERIES_LENGTH,
    TSV,
    draw_series,
    generate,
    iter_cells,
    jaccard,
)
from gongkai import keys

N = 600
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:万元|元)?")
HEADING = re.compile(
    r"^(?:[一二三四五六]、|[1-6]、 ).*"
    r"(?:总体情况|主动公开政府信息情况|收到和处理|行政复议|问题|其他需要报告)"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    root = tmp_path_factory.mktemp("corpus")
    paths = generate(N, root / "inbox", seed=3, truth_dir=root / "truth", duplicates=5)
    return root / "inbox", root / "truth", paths


def _truths(truth_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(truth_dir.glob("*.truth.json"))]


def _sections(text: str) -> list[list[str]]:
    """Lines of the text split at the six section headings (index 0 is what precedes section 一)."""
    sections: list[list[str]] = [[]]
    for line in text.split("\n"):
        if HEADING.match(line) and len(sections) < 7:
            sections.append([])
        sections[-1].append(line)
    return sections


def _numbers(lines: list[str]) -> list[str]:
    """Every cell of the lines that is a number, in reading order, whatever the layout's separators."""
    tokens = (t.strip(" \u2002") for line in lines for t in re.split(r"[\t|]", line))
    return [t for t in tokens if NUMBER.fullmatch(t)]


def _cells(truth: dict, table_ids: tuple[str, ...]) -> list[str]:
    """The printed texts of the non-blank cells of these tables, in print order."""
    printed = truth["printed"]
    return [
        printed.get(t, {}).get(r, {}).get(c, v) for t, r, c, v in iter_cells(truth) if t in table_ids and v is not None
    ]


def test_text_carries_the_truth_values_in_order(corpus: tuple[Path, Path, list[Path]]) -> None:
    inbox, truth_dir, _ = corpus
    for truth in _truths(truth_dir):
        text = (inbox / truth["file"]).read_bytes().decode(truth["encoding"])
        sections = _sections(text)
        assert len(sections) == 7, truth["file"]
        assert _numbers(sections[2]) == _cells(truth, ("T2_1", "T2_5", "T2_6", "T2_8", "T2_9")), truth["file"]
        assert _numbers(sections[3]) == _cells(truth, ("T3",)), truth["file"]
        assert _numbers(sections[4]) == _cells(truth, ("T4",)), truth["file"]


def test_cell_inventory_matches_the_format(corpus: tuple[Path, Path, list[Path]]) -> None:
    for truth in _truths(corpus[1]):
        fmt = truth["format"]
        cells = list(iter_cells(truth))
        t3 = [(r, c) for t, r, c, _ in cells if t == "T3"]
        assert t3 == [(r, c) for r in keys.t3_rows(fmt) for c in keys.T3_COLS]
        t2 = {(t, r, c) for t, r, c, _ in cells if t.startswith("T2")}
        expected = {
            (t, r, c)
            for t, rows in keys.T2_ROWS_BY_FORMAT[fmt].items()
            for r in rows
            for c in keys.T2_DEFAULT_COLS[fmt][t]
        }
        assert t2 == expected
        assert sum(t == "T4" for t, *_ in cells) == 15


def test_tables_are_consistent_unless_an_anomaly_is_declared(corpus: tuple[Path, Path, list[Path]]) -> None:
    for truth in _truths(corpus[1]):
        t3 = {r: [None if v is None else int(v) for v in cols.values()] for r, cols in truth["tables"]["T3"].items()}
        blank_rows = {a["row"] for a in truth["anomalies"] if a["rule"] == "BLANK_TOTAL"}
        for row, values in t3.items():
            assert (values[6] is None) == (row in blank_rows)
            assert values[6] is None or sum(values[:6]) == values[6]
        outcomes = keys.OUT19 if truth["format"] == keys.FMT2019 else keys.OUT21
        lenient = {r: [v or 0 for v in vs] for r, vs in t3.items()}
        for c in range(6):
            assert sum(lenient[r][c] for r in outcomes) == lenient["outcome_total"][c]
        flows = [
            (
                lenient["new_received"][c] + lenient["carried_in"][c],
                lenient["outcome_total"][c] + lenient["carried_out"][c],
            )
            for c in range(6)
        ]
        broken = [keys.T3_COLS[c] for c, (inflow, outflow) in enumerate(flows) if inflow != outflow]
        declared = [a["cols"] for a in truth["anomalies"] if a["rule"] == "T3_BALANCE"]
        assert broken == ([col for col in declared[0] if col != "total"] if declared else [])
        t4 = [[int(v) for v in cols.values()] for cols in truth["tables"]["T4"].values()]
        assert all(sum(v[:4]) == v[4] for v in t4)


def test_mix_of_layouts_formats_encodings_and_anomalies(corpus: tuple[Path, Path, list[Path]]) -> None:
    truths = _truths(corpus[1])
    layouts = Counter(t["layout"] for t in truths)
    assert set(layouts) == {TSV, ONE_CELL, PIPE} and min(layouts.values()) > N * 0.1
    assert 0.12 < sum(t["format"] == keys.FMT2019 for t in truths) / N < 0.28
    assert 0.05 < sum(t["encoding"] == "gb18030" for t in truths) / N < 0.15
    rules = Counter(a["rule"] for t in truths for a in t["anomalies"])
    assert 0.02 < rules["T3_BALANCE"] / N < 0.09 and 0.01 < rules["BLANK_TOTAL"] / N < 0.06
    busy = sum(any(v not in ("0", None) for table, *_, v in iter_cells(t) if table == "T3") for t in truths)
    assert 0.1 < busy / N < 0.5
    fees = [t["tables"]["T2_8"]["admin_fee"]["fee_amount"] for t in truths if t["format"] == keys.FMT2021]
    assert any(len(f.partition(".")[2]) >= 5 for f in fees)


def test_encodings_and_publishers(corpus: tuple[Path, Path, list[Path]]) -> None:
    inbox, truth_dir, _ = corpus
    for truth in _truths(truth_dir):
        raw = (inbox / truth["file"]).read_bytes()
        if truth["encoding"] == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        text = raw.decode(truth["encoding"])
        org = truth["township"] or truth["publisher"]
        assert org in text
        if truth["title"] is not None:
            assert truth["title"] in text and str(truth["year"]) in truth["title"]


def test_deterministic_and_duplicates(corpus: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    inbox, truth_dir, paths = corpus
    again = generate(20, tmp_path, seed=3, start=10)
    for path in again:
        assert path.read_bytes() == (inbox / path.name).read_bytes()
    copies = json.loads((truth_dir / "duplicates.json").read_text(encoding="utf-8"))
    assert len(copies) == 5 and len(paths) == N + 5
    for copy, original in copies.items():
        assert (inbox / copy).read_bytes() == (inbox / original).read_bytes()


# ---- series mode (bench_rules.py) ----------------------------------------------------------------
SERIES = len(INJECTIONS) + 1  # every injection once, and one more series


def _by_series(truth_dir: Path) -> dict[int, list[dict]]:
    series: dict[int, list[dict]] = {}
    for truth in _truths(truth_dir):
        series.setdefault(truth["series"], []).append(truth)
    return {s: sorted(ts, key=lambda t: t["series_position"]) for s, ts in series.items()}


def _ints(cells: dict[str, str | None]) -> list[int]:
    return [int(v) for v in cells.values()]


@pytest.fixture(scope="module")
def clean_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("series")
    generate(SERIES * SERIES_LENGTH, root / "inbox", seed=5, truth_dir=root / "truth", series=True)
    return root / "truth"


@pytest.fixture(scope="module")
def injected_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injected")
    generate(SERIES * SERIES_LENGTH, root / "inbox", seed=5, truth_dir=root / "truth", series=True, inject=1.0)
    return root / "truth"


def test_every_rule_is_injected_or_explained() -> None:
    from gongkai.rules.suites import default_suites_dir, load_expectations

    rules = {e["meta"]["rule_id"] for e in load_expectations(default_suites_dir())}
    assert len(rules) == 59
    assert set(INJECTION_BY_RULE) | set(NOT_INJECTABLE) == rules
    assert not set(INJECTION_BY_RULE) & set(NOT_INJECTABLE)
    assert all(rule in rules for i in INJECTIONS for _, rule in i.expected)


def test_a_clean_series_is_consistent_within_and_across_years(clean_series: Path) -> None:
    publishers = set()
    for series in _by_series(clean_series).values():
        assert [t["year"] for t in series] == [2019, 2020, 2021, 2022, 2023]
        assert [t["format"] for t in series] == [keys.FMT2019] * 2 + [keys.FMT2021] * 3
        assert len({t["publisher"] for t in series}) == 1 and not any(t["expect_fail"] for t in series)
        publishers.add(series[0]["publisher"] + (series[0]["county"] or ""))
        for before, after in zip(series, series[1:], strict=False):
            assert after["tables"]["T3"]["carried_in"] == before["tables"]["T3"]["carried_out"]  # XR_CARRY
            t2a, t2b = before["tables"]["T2_1"], after["tables"]["T2_1"]
            if after["format"] == keys.FMT2021 and before["format"] == keys.FMT2021:  # XR_VALID
                for row in ("regulation", "normative_doc"):
                    made, repealed, valid = _ints(t2b[row])
                    assert valid == int(t2a[row]["valid"]) + made - repealed
            if after["format"] == before["format"] == keys.FMT2019:  # XR_ITEMS_2019, XR_PUBTOTAL_2019
                for table_id in ("T2_5", "T2_6", "T2_8"):
                    for row, cells in after["tables"][table_id].items():
                        previous = before["tables"][table_id][row]
                        assert int(cells["items_prev_year"]) == int(previous["items_prev_year"]) + int(
                            previous["items_change"]
                        )
                for row in ("regulation", "normative_doc"):
                    assert int(t2b[row]["published_total"]) >= int(t2a[row]["published_total"])
            assert after["series_position"] == before["series_position"] + 1
        for truth in series:
            t3 = {r: _ints(c) for r, c in truth["tables"]["T3"].items()}
            outcomes = keys.OUT19 if truth["format"] == keys.FMT2019 else keys.OUT21
            for c in range(7):
                assert t3["new_received"][c] + t3["carried_in"][c] == t3["outcome_total"][c] + t3["carried_out"][c]
                assert sum(t3[r][c] for r in outcomes) == t3["outcome_total"][c]
            assert all(sum(v[:6]) == v[6] and min(v) >= 0 for v in t3.values())
            t4 = {r: _ints(c) for r, c in truth["tables"]["T4"].items()}
            assert all(v[3] == 0 and sum(v[:4]) == v[4] for v in t4.values())  # nothing pending
            assert t3["new_received"][6] + t3["carried_in"][6] or not any(v[4] for v in t4.values())  # X_T4
            regulation = truth["tables"]["T2_1"]["regulation"].values()
            assert truth["publisher_kind"] == "prefecture_gov" or all(v == "0" for v in regulation)  # T2_REG_LEVEL
            if truth["format"] == keys.FMT2021:
                assert len(truth["tables"]["T2_8"]["admin_fee"]["fee_amount"].partition(".")[2]) <= 4
            else:
                amount = truth["printed"].get("T2_9", {}).get("central_procurement", {}).get("procurement_amount")
                assert amount is None or amount.endswith("元")  # T2_19_PROC_UNIT
            deadline = {"county_dept": "01-31", "county_gov": "03-31", "prefecture_gov": "03-31"}.get(
                truth["publisher_kind"], "02-20"
            )
            published = truth["published_on"]
            assert f"{truth['year'] + 1}-01-01" <= published <= f"{truth['year'] + 1}-{deadline}"
    assert len(publishers) == SERIES  # every series is a publisher of its own


def test_consecutive_texts_are_not_duplicates() -> None:
    for series in range(SERIES):
        items = draw_series(5, series, 0.0)
        for before, after in zip(items, items[1:], strict=False):
            for section in ("s1", "s5"):
                assert jaccard("".join(getattr(before.text, section)), "".join(getattr(after.text, section))) < 0.9
            assert jaccard("".join(before.text.s5), "".join(after.text.s5)) < JACCARD_LIMIT + 0.05


def test_narrative_states_what_the_tables_count(clean_series: Path) -> None:
    inbox = clean_series.parent / "inbox"
    for truth in _truths(clean_series):
        text = (inbox / truth["file"]).read_bytes().decode(truth["encoding"]).replace(",", "，")
        total = {r: int(c["total"]) for r, c in truth["tables"]["T3"].items()}
        if total["new_received"] + total["carried_in"]:
            assert (
                f"共收到政府信息公开申请{total['new_received']}件，上年结转{total['carried_in']}件，"
                f"办结{total['outcome_total']}件" in text
            )
            assert f"结转下年度继续办理{total['carried_out']}件" in text
        else:
            assert "未收到政府信息公开申请" in text
        breakdown = re.search(
            r"共主动公开政府信息(\d+)条，其中工作动态(\d+)条，"
            r"通知公告(\d+)条，财政预决算信息(\d+)条",
            text,
        )
        assert breakdown and int(breakdown[1]) == sum(int(breakdown[i]) for i in (2, 3, 4))


def test_injections_expect_their_rules_where_they_are_put(injected_series: Path) -> None:
    series_truths = _by_series(injected_series)
    for number, series in series_truths.items():
        injection = INJECTIONS[number % len(INJECTIONS)]
        targets = [t for t in series if t["injection"]]
        assert [t["injection"]["rule"] for t in targets] == [injection.rule]
        target = targets[0]
        assert target["year"] in injection.years
        for offset in (0, 1):
            wanted = sorted(rule for o, rule in injection.expected if o == offset)
            position = target["series_position"] + offset
            if position < len(series):
                assert series[position]["expect_fail"] == wanted, (injection.rule, offset)
        assert all(
            not t["expect_fail"]
            for t in series
            if t["series_position"] not in (target["series_position"], target["series_position"] + 1)
        )


def test_series_are_deterministic(injected_series: Path, tmp_path: Path) -> None:
    again = generate(7, tmp_path, seed=5, start=23, series=True, inject=1.0)
    inbox = injected_series.parent / "inbox"
    for path in again:
        assert path.read_bytes() == (inbox / path.name).read_bytes()


def test_default_mode_prints_no_regulation(corpus: tuple[Path, Path, list[Path]]) -> None:
    """T2_REG_LEVEL: townships and county departments make no 规章, so their 规章 row is 0."""
    for truth in _truths(corpus[1]):
        assert set(truth["tables"]["T2_1"]["regulation"].values()) == {"0"}
