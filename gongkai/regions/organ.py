"""Read the region names printed in a publisher's name: "钦北区长滩镇人民政府" -> [钦北区, 长滩镇] + "人民政府"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.regions.index import RegionIndex

_FILLER = "人民政府"  # 昆明市官渡区人民政府六甲街道办事处: the government between two names
# A township-like name only where an organ word follows (住房和城乡建设局 holds no township).
_TOWNSHIP_LIKE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:镇|乡|街道|苏木)(?=人民政府|政府|办事处|党委|$)")
# Spelling variants of a township's status word (乡 became 镇, 镇 became 街道 …) tried when the name is unknown.
_VARIANTS = (("乡", "镇"), ("镇", "乡"), ("镇", "街道"), ("乡", "街道"))
_SHORT_PREFIX_LENGTHS = (4, 3, 2)


@dataclass
class Organ:
    """The official names found at the start of a publisher's name, outermost first, and what follows them."""

    printed: str
    parts: list[str] = field(default_factory=list)
    remainder: str = ""
    variants: dict[str, str] = field(default_factory=dict)  # official name -> the spelling printed
    unknown_township: str | None = None  # a 镇/乡/街道 name found in no vintage
    short_prefix: str | None = None  # "平潭" of 平潭综合实验区 when no full name matched

    @property
    def target(self) -> str | None:
        """The innermost official name: the unit the publisher belongs to."""
        return self.parts[-1] if self.parts else None


def read_organ(printed: str, index: RegionIndex) -> Organ:
    """Segment ``printed`` into official names (longest match first) and the organ words after them."""
    organ = Organ(printed)
    position = 0
    while position < len(printed):
        name = _split_glued_name(_longest_name_at(printed, position, index), index)
        if name:
            organ.parts.append(name)
            position += len(name)
            continue
        if organ.parts and printed.startswith(_FILLER, position) and position + len(_FILLER) < len(printed):
            position += len(_FILLER)
            continue
        township = _TOWNSHIP_LIKE.match(printed, position)
        if township:
            variant = _known_variant(township.group(0), index)
            if variant:
                organ.parts.append(variant)
                organ.variants[variant] = township.group(0)
            else:
                organ.unknown_township = township.group(0)
            position = township.end()
            continue
        break
    organ.remainder = printed[position:]
    if not organ.parts:
        organ.short_prefix = next((printed[:n] for n in _SHORT_PREFIX_LENGTHS if printed[:n] in index.by_short), None)
    return organ


def _longest_name_at(text: str, position: int, index: RegionIndex) -> str | None:
    for length in range(min(index.longest_name, len(text) - position), 1, -1):
        candidate = text[position : position + length]
        # NBS spells some streets "城南街道办": not a match inside "城南街道办事处"
        if candidate in index.by_name and not (candidate.endswith("办") and text.startswith("事处", position + length)):
            return candidate
    return None


def _split_glued_name(name: str | None, index: RegionIndex) -> str | None:
    """NBS sometimes glues the county into a township's name ("四子王旗查干补力格苏木"): read the county first.

    Only when the glued unit really lies in that county ("城区街道" of 元氏县 is not 城区 + 街道).
    """
    if name is None:
        return None
    for cut in range(2, len(name) - 1):
        if (
            name[:cut] in index.higher_names
            and name[cut:] in index.by_name
            and any(unit.county == name[:cut] for unit in index.named(name))
        ):
            return name[:cut]
    return name


def _known_variant(name: str, index: RegionIndex) -> str | None:
    for old, new in _VARIANTS:
        if name.endswith(old):
            variant = name[: -len(old)] + new
            if variant in index.by_name:
                return variant
    return None
