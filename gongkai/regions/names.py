"""Short forms of official region names, as reports write them ("孟津" for 孟津区, "黄南" for 黄南藏族自治州)."""

from __future__ import annotations

from dataclasses import dataclass

# The 56 officially recognised ethnic groups (plus 各, as in 各族自治县) as they stand inside autonomous-area names,
# without 族.
ETHNIC_GROUPS = (
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
)
MULTI_CHAR_GROUPS = tuple(g for g in ETHNIC_GROUPS if len(g) > 1)
AUTONOMOUS_SUFFIXES = ("自治县", "自治州", "自治旗", "自治区")

LEVEL_SUFFIXES = {
    "province": ("维吾尔自治区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "盟", "市", "州"),
    "county": ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "市", "旗"),
}
MIN_SHORT_LENGTH = 2


@dataclass(frozen=True)
class ShortFormRule:
    """How a caller shortens names. The defaults are the resolver's; the reference-data build
    (tools/regions/build_clues.py) and the publisher generator (benchmarks/generate_publishers.py) pass their own.
    """

    suffixes: tuple[str, ...] | None = None  # tried in order, first match wins; None: LEVEL_SUFFIXES[level]
    bare_groups: tuple[str, ...] = ("维吾尔",)  # group words that are dropped without 族 too (伊犁哈萨克自治州)
    bare_only_autonomous: bool = False  # ... but only before 自治县/州/旗/区
    groups_only_autonomous: bool = False  # drop group words only before 自治县/州/旗/区 (瀍河回族区 keeps 回族)
    keep_two: bool = False  # never cut below 2 characters: such a suffix gives way to the next
    # (碑林区 -> 碑林), such a group word stays (融水苗族自治县 -> 融水)


RESOLVER_SHORT_FORM = ShortFormRule()


def short_form(name: str, level: str | None = None, rule: ShortFormRule = RESOLVER_SHORT_FORM) -> str | None:
    """The name without its level suffix and ethnic-group words, or None when that leaves under 2 characters.

    >>> short_form("黄南藏族自治州", "prefecture"), short_form("孟津区", "county"), short_form("城区", "county")
    ('黄南', '孟津', None)
    """
    suffixes = rule.suffixes if rule.suffixes is not None else LEVEL_SUFFIXES.get(level or "", ())
    keep = MIN_SHORT_LENGTH if rule.keep_two else 1
    cut = _drop_suffix(name, suffixes, keep)
    if cut is None:
        return None
    stem, suffix = cut
    autonomous = suffix in AUTONOMOUS_SUFFIXES
    if autonomous or not rule.groups_only_autonomous:
        bare = rule.bare_groups if autonomous or not rule.bare_only_autonomous else ()
        stem = _drop_groups(stem, bare, keep)
    return stem if len(stem) >= MIN_SHORT_LENGTH and stem != name else None


def _drop_suffix(name: str, suffixes: tuple[str, ...], min_stem: int) -> tuple[str, str] | None:
    """(stem, suffix) for the first suffix that leaves at least ``min_stem`` characters, or None."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= min_stem:
            return name[: -len(suffix)], suffix
    return None


def _drop_groups(stem: str, bare: tuple[str, ...], keep: int) -> str:
    """Drop trailing ethnic-group words (with 族, or bare when listed) while ``keep`` characters stay in front:
    双江拉祜族佤族布朗族傣族 -> 双江. A group word that stays loses a final 族 (鄂温克族自治旗 -> 鄂温克).
    """
    while (start := _trailing_group(stem, bare)) is not None:
        if start < keep:
            return stem[:-1] if stem.endswith("族") and len(stem) > MIN_SHORT_LENGTH else stem
        stem = stem[:start]
    return stem


def _trailing_group(stem: str, bare: tuple[str, ...]) -> int | None:
    """Where the longest group word ending ``stem`` starts, or None."""
    starts = [len(stem) - len(group) - 1 for group in ETHNIC_GROUPS if stem.endswith(group + "族")]
    starts += [len(stem) - len(group) for group in bare if stem.endswith(group)]
    return min(starts, default=None)


def county_kind(name: str) -> str | None:
    """Which party-committee word a county-level unit's reports use: 区 (区委), 县 (县委), 旗 (旗委), 市 (市委)."""
    for suffix in ("旗", "县", "区", "市"):
        if name.endswith(suffix):
            return suffix
    return None
