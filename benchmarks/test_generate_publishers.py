"""Checks of the publisher generator: run with ``python -m pytest benchmarks``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from generate_publishers import CLUES_PATH, KINDS, generate, short_name
from gongkai.parsing.parser import parse_document
from gongkai.readers import read_document, sniff
from gongkai.regions.reference import find

N = 300
SEED = 5
NAME_FIELD = {"township": "township", "county": "county", "prefecture": "prefecture", "province": "province"}
YEAR_PRINTED = {"title_year", "period_statement", "lead_year"}  # where the parser is told to look for the year


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("publishers")
    generate(N, out, seed=SEED)
    records = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records


def _text(out: Path, record: dict) -> str:
    return (out / "reports" / record["file"]).read_bytes().decode(record["encoding"])


def test_same_seed_same_output(corpus: tuple[Path, list[dict]], tmp_path: Path) -> None:
    out, records = corpus
    again = generate(20, tmp_path, seed=SEED, start=40)
    assert again == records[40:60]
    for record in again:
        name = record["file"]
        assert (tmp_path / "reports" / name).read_bytes() == (out / "reports" / name).read_bytes()


def test_every_region_exists_and_is_valid_in_the_report_year(corpus: tuple[Path, list[dict]]) -> None:
    for record in corpus[1]:
        level = record["admin_level"]
        candidates = {c["region_id"]: c for c in find(record[NAME_FIELD[level]], record["report_year"], level=level)}
        assert record["region_id"] in candidates, record["file"]
        unit = candidates[record["region_id"]]
        assert unit["province"] == record["province"], record["file"]
        if level in ("township", "county"):
            assert unit["county"] == record["county"], record["file"]


def test_parser_reads_year_and_tables(corpus: tuple[Path, list[dict]]) -> None:
    out, records = corpus
    for record in records:
        content = (out / "reports" / record["file"]).read_bytes()
        report = parse_document(read_document(content, sniff(content).media_type))
        assert report.cells, record["file"]
        if YEAR_PRINTED & set(record["clues"]):
            assert report.report_year == record["report_year"], record["file"]


def test_mix_of_publishers_and_clues(corpus: tuple[Path, list[dict]]) -> None:
    records = corpus[1]
    assert {r["org_type"] for r in records} == {org_type for org_type, *_ in KINDS.values()}
    townships = [r for r in records if r["admin_level"] == "township"]
    assert sum(r["same_name_count"] > 1 for r in townships) / len(townships) >= 0.25
    assert 0.02 <= sum(r["ambiguous_by_design"] for r in records) / N <= 0.09
    assert any(r["report_year"] == 2024 for r in records) and any(r["report_year"] == 2019 for r in records)
    clues = Counter(c for r in records for c in r["clues"])
    for clue in (
        "title_prefixed",
        "title_organ",
        "title_no_organ",
        "no_title",
        "signature_full",
        "portal_url",
        "address_full",
        "party_wording",
        "city_in_body",
        "misleading_neighbour",
        "source_uri",
    ):
        assert clues[clue] > 0, clue
    assert 0.05 < sum(r["encoding"] == "gb18030" for r in records) / N < 0.15
    if CLUES_PATH.is_file():
        assert clues["postal_code"] > 0 and clues["phone_area_code"] > 0


def test_clues_are_what_the_text_carries(corpus: tuple[Path, list[dict]]) -> None:
    out, records = corpus
    for record in records:
        text = _text(out, record)
        assert record["source_uri"] is None or record["source_uri"] not in text
        assert ("gov.cn" in text) == bool({"portal_url", "portal_url_initials"} & set(record["clues"])), record["file"]
        if "signature_date" in record["clues"]:
            assert record["published_on"].startswith(str(record["report_year"] + 1)), record["file"]
        if record["ambiguous_by_design"]:
            assert record["same_name_count"] > 1
            for name in (record["county"], record["prefecture"]):
                assert not name or name not in text, record["file"]


def test_without_the_clue_table_no_host_postal_or_phone(tmp_path: Path) -> None:
    records = generate(40, tmp_path, seed=SEED, clues_path=tmp_path / "absent.parquet")
    assert len(list((tmp_path / "reports").glob("pub_*.txt"))) == 40
    for record in records:
        assert not {"portal_url", "portal_url_initials", "source_uri", "postal_code", "phone_area_code"} & set(
            record["clues"]
        )


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("孟津区", "孟津"),
        ("赵县", "赵县"),
        ("黄南藏族自治州", "黄南"),
        ("西双版纳傣族自治州", "西双版纳"),
        ("鄂温克族自治旗", "鄂温克"),
        ("巴里坤哈萨克自治县", "巴里坤"),
        ("广西壮族自治区", "广西"),
        ("神农架林区", "神农架"),
        ("碑林区", "碑林"),
        ("融水苗族自治县", "融水"),
        ("瀍河回族区", "瀍河回族"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short
