"""Tests of the committed region clue table (data_lake/reference/regions/clues.parquet).

They read the committed files only (no network, no rebuild).
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from gongkai.regions import load_regions
from gongkai.regions.clues import CLUE_KINDS, DEFAULT_CLUES_PATH, load_clues


@pytest.fixture(scope="module")
def clues() -> dict:
    return load_clues()


def _ids(entries: list[tuple[str, str]]) -> set[str]:
    return {region_id for region_id, _ in entries}


def test_schema_and_order():
    t = pq.read_table(DEFAULT_CLUES_PATH)
    assert t.column_names == ["clue_kind", "clue_value", "region_id", "level", "strength", "source"]
    assert set(t.column("clue_kind").to_pylist()) == set(CLUE_KINDS)
    assert set(t.column("strength").to_pylist()) == {"strong", "weak"}
    assert set(t.column("level").to_pylist()) <= {"province", "prefecture", "county"}
    rows = t.to_pylist()
    order = {k: i for i, k in enumerate(CLUE_KINDS)}
    keys = [(order[r["clue_kind"]], r["clue_value"], r["region_id"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # sorted, one row per key


def test_every_region_id_is_in_regions_table():
    t = pq.read_table(DEFAULT_CLUES_PATH)
    regions = load_regions()
    level_of = dict(zip(regions.column("region_id").to_pylist(), regions.column("level").to_pylist(), strict=True))
    for region_id, level in zip(t.column("region_id").to_pylist(), t.column("level").to_pylist(), strict=True):
        assert level_of.get(region_id) == level, region_id


def test_value_formats(clues):
    assert all(v.startswith("0") and v.isdigit() and len(v) in (3, 4) for v in clues["phone_area_code"])
    assert all(v.isdigit() and len(v) == 6 for v in clues["postal_code"])
    assert all(v.isascii() and v.isalpha() and v.islower() for v in clues["domain_label"])


def test_phone_luoyang(clues):
    assert clues["phone_area_code"]["0379"] == [("410300:洛阳市", "strong")]


def test_phone_shared_code_hubei(clues):
    # 0728: three county-level cities directly under 湖北省 share the code
    assert _ids(clues["phone_area_code"]["0728"]) == {"429004:仙桃市", "429005:潜江市", "429006:天门市"}
    assert {s for _, s in clues["phone_area_code"]["0728"]} == {"weak"}


def test_phone_hainan(clues):
    ids = _ids(clues["phone_area_code"]["0898"])
    assert {"460100:海口市", "460200:三亚市"} <= ids
    assert all(i.startswith("46") for i in ids)


def test_phone_old_prefecture_names_follow_to_today(clues):
    assert "420600:襄阳市" in _ids(clues["phone_area_code"]["0710"])  # listed as 襄樊市
    assert "520600:铜仁市" in _ids(clues["phone_area_code"]["0856"])  # listed as 铜仁地区
    assert clues["phone_area_code"]["010"] == [("110000:北京市", "strong")]


def test_domain_mengjin_old_and_new_unit_strong(clues):
    assert clues["domain_label"]["mengjin"] == [("410308:孟津区", "strong"), ("410322:孟津县", "strong")]
    assert clues["domain_label"]["mengjinqu"] == [("410308:孟津区", "strong")]


def test_domain_litong_and_initials(clues):
    assert clues["domain_label"]["litong"] == [("640302:利通区", "strong")]
    assert clues["domain_label"]["litongqu"] == [("640302:利通区", "strong")]
    assert ("640302:利通区", "weak") in clues["domain_label"]["ltq"]
    assert {s for _, s in clues["domain_label"]["ltq"]} == {"weak"}


def test_domain_ambiguous_label_is_weak(clues):
    chaoyang = clues["domain_label"]["chaoyang"]
    assert {"110105:朝阳区", "220104:朝阳区", "211300:朝阳市"} <= _ids(chaoyang)
    assert {s for _, s in chaoyang} == {"weak"}


def test_domain_short_form_drops_ethnic_words(clues):
    assert clues["domain_label"]["huangnan"] == [("632300:黄南藏族自治州", "strong")]
    assert "632324:河南蒙古族自治县" in _ids(clues["domain_label"]["henan"])
    assert {s for _, s in clues["domain_label"]["henan"]} == {"weak"}  # also 河南省


def test_postal_mengjin_and_wuzhong(clues):
    # region.csv: 河南省,洛阳市,孟津县,…,471100 and 宁夏回族自治区,吴忠市,利通区,…,751100
    assert clues["postal_code"]["471100"] == [("410308:孟津区", "weak"), ("410322:孟津县", "weak")]
    assert "640302:利通区" in _ids(clues["postal_code"]["751100"])
    # the source also gives 西吉县 (宁夏) 042200, 吉县 (山西)'s code: that row is dropped
    assert all(i.startswith("14") for i in _ids(clues["postal_code"]["042200"]))


def test_missing_file_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="build_clues"):
        load_clues(tmp_path / "nope.parquet")
