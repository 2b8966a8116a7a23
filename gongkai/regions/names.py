"""Short forms of official region names, as reports write them ("孟津" for 孟津区, "黄南" for 黄南藏族自治州)."""
from __future__ import annotations

# The 56 officially recognised ethnic groups, as they appear inside autonomous-area names.
ETHNIC_GROUPS = tuple(sorted((
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "各族",
    "维吾尔",   # 新疆维吾尔自治区 writes the group without 族
), key=len, reverse=True))

_SUFFIXES = {
    "province": ("维吾尔自治区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "盟", "市", "州"),
    "county": ("自治县", "自治旗", "新区", "林区", "特区", "县", "区", "市", "旗"),
}
MIN_SHORT_LENGTH = 2


def short_form(name: str, level: str) -> str | None:
    """The name without its level suffix and ethnic-group words, or None when that leaves under 2 characters.

    >>> short_form("黄南藏族自治州", "prefecture"), short_form("孟津区", "county"), short_form("城区", "county")
    ('黄南', '孟津', None)
    """
    suffixes = _SUFFIXES.get(level)
    if not suffixes:
        return None
    stem = name
    for suffix in suffixes:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    else:
        return None
    stem = _strip_ethnic_groups(stem)
    if stem.endswith("族") and len(stem) > MIN_SHORT_LENGTH:   # 鄂温克族自治旗: the group is the name
        stem = stem[:-1]
    return stem if len(stem) >= MIN_SHORT_LENGTH and stem != name else None


def _strip_ethnic_groups(stem: str) -> str:
    """Drop trailing ethnic-group words: 双江拉祜族佤族布朗族傣族 -> 双江."""
    changed = True
    while changed:
        changed = False
        for group in ETHNIC_GROUPS:
            if stem.endswith(group) and len(stem) > len(group):
                stem = stem[: -len(group)]
                changed = True
                break
    return stem


def county_kind(name: str) -> str | None:
    """Which party-committee word a county-level unit's reports use: 区 (区委), 县 (县委), 旗 (旗委), 市 (市委)."""
    for suffix in ("旗", "县", "区", "市"):
        if name.endswith(suffix):
            return suffix
    return None
