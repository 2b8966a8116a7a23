"""Tests of the committed region reference table (data_lake/reference/regions/regions.parquet).

They read the committed file only (no network, no rebuild).
"""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.regions import VINTAGES, find, load_regions
from gongkai.regions.reference import effective_vintages


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_regions().to_pylist()


def _only(cands: list[dict], **where) -> list[dict]:
    return [c for c in cands if all(c[k] == v for k, v in where.items())]


def test_schema():
    t = load_regions()
    assert t.column_names == [
        "region_id",
        "level",
        "name",
        "province",
        "prefecture",
        "county",
        "township",
        "parent_region_id",
        "code",
        "code_system",
        "first_year",
        "last_year",
        "gb2260_code",
    ]
    assert set(t.column("code_system").to_pylist()) == {"mca", "nbs"}
    assert set(t.column("level").to_pylist()) == {"province", "prefecture", "county", "township"}


def test_zequ_is_in_zeku_county():
    cands = find("泽曲镇")
    assert len(cands) == 1
    (c,) = cands
    assert (c["province"], c["prefecture"], c["county"], c["level"]) == (
        "青海省",
        "黄南藏族自治州",
        "泽库县",
        "township",
    )
    assert c["county"] != "河南蒙古族自治县"
    assert {x["code"] for x in c["codes"]} == {"632323100"}
    for year in (2016, 2020, 2023, 2025):
        assert len(find("泽曲镇", year)) == 1


def test_mengjin_chengguan_only_until_2023():
    def in_mengjin(year):
        return _only(find("城关镇", year), province="河南省", prefecture="洛阳市", county="孟津区")

    hit = in_mengjin(2022)
    assert len(hit) == 1
    assert hit[0]["code_system"] == "nbs" and hit[0]["code"] == "410308100"
    assert in_mengjin(2025) == []  # became 河图街道 (MCA 410308008) in 2023
    assert _only(find("河图街道", 2025), county="孟津区")[0]["code"] == "410308008"
    # before 2021 the same township sat in 孟津县
    assert _only(find("城关镇", 2019), county="孟津县")[0]["code"] == "410322100"
    assert len(find("城关镇")) >= 100  # ~112 distinct 城关镇 across 2016-2025


def test_mengjin_county_by_year():
    assert len(find("孟津县", 2019, level="county")) == 1
    assert find("孟津县", 2022) == []
    assert find("孟津区", 2019) == []
    (q,) = find("孟津区", 2022, level="county")
    assert q["gb2260_code"] == "410308" and q["prefecture"] == "洛阳市"
    assert len(find("孟津区", 2025)) == 1


def test_changtan_in_qinbei_has_both_code_systems(rows):
    (c,) = _only(find("长滩镇"), county="钦北区")
    codes = {(x["code_system"], x["code"]) for x in c["codes"]}
    assert codes == {("nbs", "450703106"), ("mca", "450703107")}
    # one region_id, two rows, one per code system
    mine = [r for r in rows if r["region_id"] == c["region_id"]]
    assert sorted(r["code_system"] for r in mine) == ["mca", "nbs"]
    # MCA's 450703106 is a different township (那蒙镇): the bare code is not a key
    other = [r for r in rows if r["code_system"] == "mca" and r["code"] == "450703106"]
    assert [r["name"] for r in other] == ["那蒙镇"]
    assert len(find("长滩镇", 2025)) == 5


@pytest.mark.parametrize(
    "name,province,prefecture,county",
    [
        ("上桥镇", "宁夏回族自治区", "吴忠市", "利通区"),
        ("赤眉镇", "河南省", "南阳市", "内乡县"),
    ],
)
def test_seed_townships_present(name, province, prefecture, county):
    for year in (2016, 2023, 2025):
        hit = _only(find(name, year), province=province, prefecture=prefecture, county=county)
        assert len(hit) == 1, (name, year)


def test_region_id_unique_per_unit_and_year(rows):
    # a unit has at most one row per code system and vintage
    seen = Counter()
    for r in rows:
        for y in VINTAGES:
            if r["first_year"] <= y <= r["last_year"]:
                seen[(r["region_id"], r["code_system"], y)] += 1
    assert max(seen.values()) == 1
    # ... and one level / name / parent for all its rows
    attrs = {}
    for r in rows:
        a = (r["level"], r["name"], r["parent_region_id"])
        assert attrs.setdefault(r["region_id"], a) == a, r["region_id"]


def test_parent_links_resolve(rows):
    by_id = {(r["code_system"], r["region_id"]): r for r in rows}
    parent_level = {
        "prefecture": {"province"},
        "county": {"province", "prefecture"},
        "township": {"prefecture", "county"},
    }
    for r in rows:
        if r["level"] == "province":
            assert r["parent_region_id"] is None
            continue
        p = by_id[(r["code_system"], r["parent_region_id"])]
        assert p["level"] in parent_level[r["level"]]
        assert p["province"] == r["province"]


def test_counts_per_level_plausible(rows):
    per = Counter()
    for r in rows:
        for y in VINTAGES:
            if r["first_year"] <= y <= r["last_year"]:
                per[(y, r["level"])] += 1
    for y in VINTAGES:
        assert 31 <= per[(y, "province")] <= 34
        assert 330 <= per[(y, "prefecture")] <= 340
        assert 2800 <= per[(y, "county")] <= 3050
        assert 38_000 <= per[(y, "township")] <= 44_000, y
    assert per[(2025, "township")] == 38_723
    for y in range(2020, 2024):
        assert 40_000 <= per[(y, "township")] <= 42_000


def test_gb2260_codes():
    t = load_regions().to_pylist()
    for r in t:
        if r["level"] == "township":
            assert r["gb2260_code"] is None
        else:
            assert len(r["gb2260_code"]) == 6 and r["gb2260_code"].isdigit()


def test_effective_vintages():
    assert effective_vintages(2022) == (2022,)
    assert effective_vintages(2024) == (2023, 2025)
    assert effective_vintages(2010) == (2016,)
    assert effective_vintages(2030) == (2025,)
