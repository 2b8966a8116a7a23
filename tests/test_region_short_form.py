"""The one short_form (gongkai.regions.names) with the rule of each caller: the resolver's index and organisation
links, the clue-table build (tools/regions/build_clues.py) and the publisher generator of the benchmarks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gongkai.regions.names import short_form
from tools.regions.build_clues import CLUE_SHORT_FORM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_publishers import PUBLISHER_SHORT_FORM, short_name  # noqa: E402


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("孟津区", "county", "孟津"),
        ("黄南藏族自治州", "prefecture", "黄南"),
        ("城区", "county", None),  # one character left
        ("北林区", "county", None),  # 林区 leaves one character; no other suffix is tried
        ("浦东新区", "county", "浦东"),
        ("井陉矿区", "county", "井陉矿"),  # 矿区 is no suffix of the resolver
        ("瀍河回族区", "county", "瀍河"),  # group words with 族 go before any suffix
        ("伊犁哈萨克自治州", "prefecture", "伊犁哈萨克"),  # without 族 only 维吾尔 is a group word
        ("鄂温克族自治旗", "county", "鄂温克"),  # the group is the name
        ("双江拉祜族佤族布朗族傣族自治县", "county", "双江"),
        ("新疆维吾尔自治区", "province", "新疆"),
        ("广西壮族自治区", "province", "广西"),
        ("河南省", "province", "河南"),
        ("城关镇", "township", None),  # townships have no short form
    ],
)
def test_the_resolvers_short_forms(name: str, level: str, short: str | None) -> None:
    assert short_form(name, level) == short


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("利通区", "利通"),
        ("黄南藏族自治州", "黄南"),
        ("鄂温克族自治旗", "鄂温克"),
        ("瀍河回族区", "瀍河"),
        ("城区", None),
        ("井陉矿区", "井陉"),  # 矿区 is a suffix of the clue table
        ("伊犁哈萨克自治州", "伊犁"),  # before 自治州 group words need no 族
        ("巴里坤哈萨克自治县", "巴里坤"),
        ("铜仁地区", "铜仁"),
    ],
)
def test_the_clue_tables_short_forms(name: str, short: str | None) -> None:
    assert short_form(name, rule=CLUE_SHORT_FORM) == short


def test_the_clue_table_drops_bare_group_words_only_before_autonomous_suffixes() -> None:
    assert short_form("阿蒙古区", rule=CLUE_SHORT_FORM) == "阿蒙古"
    assert short_form("阿蒙古自治县", rule=CLUE_SHORT_FORM) is None  # one character is left
    assert short_form("巴音郭楞蒙古自治州", rule=CLUE_SHORT_FORM) == "巴音郭楞"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("孟津区", "孟津"),
        ("赵县", "赵县"),  # nothing shorter: the full name
        ("碑林区", "碑林"),  # 林区 would leave one character: 区 is tried next
        ("融水苗族自治县", "融水"),  # a group word that would leave one character stays
        ("瀍河回族区", "瀍河回族"),  # group words go only before 自治县/旗/州/区
        ("浦东新区", "浦东新"),  # 新区 is no suffix of the generator
        ("内蒙古自治区", "内蒙古"),
        ("西双版纳傣族自治州", "西双版纳"),
        ("巴里坤哈萨克自治县", "巴里坤"),
    ],
)
def test_the_publisher_generators_short_forms(name: str, short: str) -> None:
    assert short_name(name) == short
    assert short_form(name, rule=PUBLISHER_SHORT_FORM) == (None if short == name else short)
