"""Checks of the synthetic report generator: run with ``python -m pytest benchmarks``."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from generate_reports import ONE_CELL, PIPE, TSV, generate, iter_cells
from gongkai import keys

N = 600
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:万元|元)?")
HEADING = re.compile(r"^(?:[一二三四五六]、|[1-6]、 ).*(?:总体情况|主动公开政府信息情况|收到和处理|行政复议|问题|其他需要报告)")


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
    return [printed.get(t, {}).get(r, {}).get(c, v) for t, r, c, v in iter_cells(truth) if t in table_ids and v is not None]


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
        expected = {(t, r, c) for t, rows in keys.T2_ROWS_BY_FORMAT[fmt].items() for r in rows
                    for c in keys.T2_DEFAULT_COLS[fmt][t]}
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
        flows = [(lenient["new_received"][c] + lenient["carried_in"][c], lenient["outcome_total"][c] + lenient["carried_out"][c])
                 for c in range(6)]
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
