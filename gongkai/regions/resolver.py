"""Resolve a report's publisher to an official region, with the clues that decided it and a confidence.

1. Read the official names printed in the publisher (and the signature): "钦北区长滩镇人民政府" gives the
   township 长滩镇 inside 钦北区. The innermost name is the *target*; its units are the candidates,
   kept only if the outer names printed are their ancestors.
2. Mask the target's own name, then score every candidate on the clues the report carries about its
   ancestors: county / prefecture / province names and short forms (strong zone > body), phone area
   code, postal code, website domain (text and source URL), 区委/县委/旗委 wording, 州 wording, and
   whether the unit existed in the report year; and a region code the source's manifest gives (strong, like a
   name in the strong zone).
3. Accept a single candidate, or the best one when it leads by ``MARGIN`` points with positive
   location evidence. Otherwise keep only what all leading candidates share (e.g. the city) and flag
   the report for review. A county named in the strong zone that does not contain the chosen unit is a
   conflict (flagged, never silently accepted), and so is a unit outside the region code the manifest gives.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from gongkai.ingest.hints import normalized_region_code
from gongkai.regions.clues import load_clues
from gongkai.regions.evidence import ReportText, Zones, county_wording, host_labels, says_zhou, zones_of
from gongkai.regions.index import LEVELS, RegionIndex, Unit, region_index
from gongkai.regions.names import county_kind
from gongkai.regions.organ import Organ, read_organ
from gongkai.regions.zones import as_divisions, read_zone

ACCEPT_CONFIDENCE = 0.75  # below this the finer levels stay empty and the report is flagged for review
MARGIN = 3.0  # points the best candidate must lead the next by

# Points per clue: (strong zone, body) for names; single values for the code-like clues.
_NAME_POINTS = {
    ("county", "name"): (10.0, 8.0),
    ("county", "short"): (5.0, 4.0),
    ("prefecture", "name"): (4.0, 3.0),
    ("prefecture", "short"): (3.0, 2.0),
    ("province", "name"): (1.0, 1.0),
    ("province", "short"): (1.0, 1.0),
}
_PHONE_POINTS = 4.0
_POSTAL_POINTS, _POSTAL_CITY_POINTS = 3.0, 1.0
_DOMAIN_POINTS = {("strong", "county"): 5.0, ("strong", "prefecture"): 3.0, ("strong", "province"): 1.0}
_WEAK_DOMAIN_POINTS = 1.0
_WORDING_AGREES, _WORDING_DISAGREES = 1.0, -3.0
_ZHOU_POINTS = 1.0
_VALID_YEAR, _INVALID_YEAR = 3.0, -2.0
_VARIANT_PENALTY = -2.0
# A region code hint (URL manifest): as many points as the more general of the hinted unit and the candidate's level
# would get for its name in the strong zone.
_HINT_POINTS = {"province": 1.0, "prefecture": 4.0, "county": 10.0, "township": 10.0}
_SHORT_FOLLOWERS = frozenset("省市州县区旗盟")  # "河南省" is not the short form of 河南县
_BODY_SHORT_MIN_COUNT = 2
_RELATIVE_WORDS = frozenset("省市县区州旗盟")
_ORGAN_WORDS = ("管理委员会", "管委会", "办事处")
# A name that is also an organ's ("林业局", "社会事务局", "农场"): NBS lists such non-administrative units.
_ORGAN_NAME = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|站|所|队|场|管委会|室|公司)$")
_LOCATION_KINDS = frozenset({"name", "short", "phone_area_code", "postal_code", "domain", "hint"})


@dataclass(frozen=True)
class Clue:
    """One piece of evidence for a candidate: what was seen, where, and how many points it gave."""

    kind: str  # name | short | phone_area_code | postal_code | domain | hint | wording | vintage | variant
    value: str
    where: str  # strong | body | text | source_uri | manifest | year
    points: float

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "where": self.where, "points": self.points}


@dataclass
class Scored:
    """A candidate unit with its score and the clues behind it."""

    unit: Unit
    clues: list[Clue] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(clue.points for clue in self.clues)

    @property
    def location_points(self) -> float:
        return sum(clue.points for clue in self.clues if clue.kind in _LOCATION_KINDS)


@dataclass
class Resolution:
    """The region a report is for, as far as the evidence carries it."""

    status: str  # resolved | partial | low_confidence | ambiguous | conflict | context_only | no_publisher
    confidence: float
    publisher_level: str | None  # admin level of the publisher: province | prefecture | county | township
    unit: Unit | None  # the deepest unit accepted (None: nothing accepted)
    region_code: str | None = None
    region_code_system: str | None = None
    chain: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(LEVELS))  # level -> official name
    clues: list[Clue] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)
    note: str = ""

    @property
    def needs_review(self) -> bool:
        """Flagged for review: not resolved to the publisher's own level with enough confidence."""
        return self.status != "resolved" or self.confidence < ACCEPT_CONFIDENCE

    def clues_json(self) -> str:
        """The evidence as stored in ``reports.region_clues``."""
        return json.dumps(
            {
                "status": self.status,
                "note": self.note,
                "clues": [c.as_dict() for c in self.clues],
                "candidates": [{"region_id": rid, "score": score} for rid, score in self.candidates],
            },
            ensure_ascii=False,
        )


def resolve(text: ReportText, index: RegionIndex | None = None) -> Resolution:
    """Resolve one report (see the module docstring); a functional zone is read as the divisions it stands for."""
    zone_note = None
    for printed in (text.publisher, text.signature):
        found = read_zone(printed, text.report_year)
        if found:
            name, zone = found
            text = replace(
                text,
                publisher=as_divisions(text.publisher, name, zone) if text.publisher else None,
                signature=as_divisions(text.signature, name, zone) if text.signature else None,
            )
            zone_note = f"{name}是功能区，其辖区为{''.join(zone.divisions)}（功能区对照表，依据：{zone.source}）"
            break
    index = index or region_index()
    resolution = _resolve(text, index)
    if text.region_hint:
        resolution = _check_hint(resolution, text.region_hint, text.report_year, index)
    if zone_note:
        resolution.note = "；".join(filter(None, (zone_note, resolution.note)))
    return resolution


def hinted_units(code: str | None, index: RegionIndex) -> frozenset[str]:
    """The region_ids a region code hint names (any system, any vintage)."""
    return frozenset(index.by_code.get(normalized_region_code(code), ())) if code else frozenset()


def _agrees(unit: Unit, hinted: frozenset[str], index: RegionIndex) -> str | None:
    """The hinted region_id that is ``unit``, one of its ancestors, or one of its descendants."""
    lineage = {unit.region_id, *(a.region_id for a in index.ancestors(unit))}
    for rid in sorted(hinted):
        if rid in lineage or unit.region_id in {a.region_id for a in index.ancestors(index.units[rid])}:
            return rid
    return None


def _check_hint(resolution: Resolution, code: str, year: int | None, index: RegionIndex) -> Resolution:
    """A resolved unit outside the manifest's region code is a conflict; an unknown code is noted."""
    hinted = hinted_units(code, index)
    if not hinted:
        resolution.note = "；".join(filter(None, (resolution.note, f"清单给出的区划代码{code}不在区划表中")))
        return resolution
    unit = resolution.unit
    if resolution.status != "resolved" or unit is None or _agrees(unit, hinted, index):
        return resolution
    other = index.units[sorted(hinted)[0]]
    shared = _common_ancestor([unit, other], index)
    return _resolution(
        "conflict",
        0.5,
        resolution.publisher_level,
        shared,
        year,
        index,
        resolution.clues,
        [(unit.region_id, 0.0)] + resolution.candidates,
        f"清单给出的区划代码{code}（{other.name}）与报告文字确定的{unit.name}不一致",
    )


def _resolve(text: ReportText, index: RegionIndex) -> Resolution:
    organ = _best_organ(text, index)
    if organ is None or not organ.parts:
        return _resolve_from_context(text, organ, index)
    candidates = _candidates(organ, index)
    while not candidates and len(organ.parts) > 1 and _ORGAN_NAME.search(organ.parts[-1]):
        # The innermost "name" lies under none of the outer names printed: it is an organ word that NBS also uses
        # for a non-administrative unit ("莆田市林业局": 林业局 is such a unit elsewhere). Read it as the organ.
        organ = replace(organ, parts=organ.parts[:-1], remainder=organ.parts[-1] + organ.remainder)
        candidates = _candidates(organ, index)
    target = organ.parts[-1]  # organ.target: parts is never empty here
    zones = zones_of(text, masked_names=(target, organ.variants.get(target, target)))
    zones.hinted = hinted_units(text.region_hint, index)
    scored = sorted(
        (_score(u, zones, text.report_year, index, variant=target in organ.variants) for u in candidates),
        key=lambda s: (-s.total, s.unit.region_id),
    )
    publisher_level = _publisher_level(organ, scored)
    if not scored:
        return Resolution("no_publisher", 0.0, publisher_level, None, note=f"区划表中没有名为{target}的区划")
    resolution = _decide(scored, zones, publisher_level, text.report_year, index, printed=organ.parts)
    if target in organ.variants and resolution.status == "resolved":
        resolution.note = f"报告写作{organ.variants[target]}，按现名{target}匹配"
    if organ.unknown_township and resolution.status == "resolved":
        resolution.status = "partial"
        resolution.note = f"{organ.unknown_township}不在任何年份的区划表中，只确定到上级区划"
    return resolution


def _candidates(organ: Organ, index: RegionIndex) -> list[Unit]:
    """Units named like the target whose ancestors include every outer name printed.

    NBS also spells some units with their county glued in ("濮阳县习城乡") or with the organ word
    ("经济开发区管委会"); those spellings are tried too.
    """
    target, outer = organ.parts[-1], organ.parts[:-1]  # organ.target: the caller has checked parts
    stems = [target] + [target[: -len(word)] for word in _ORGAN_WORDS if target.endswith(word)]
    names = stems + ([outer[-1] + stem for stem in stems] if outer else [])
    return list(
        {
            u.region_id: u for name in names for u in index.named(name) if _printed_ancestors_agree(u, outer, index)
        }.values()
    )


def _best_organ(text: ReportText, index: RegionIndex) -> Organ | None:
    """The publisher or the signature, whichever prints more official names (they name the same organ)."""
    organs = [read_organ(name, index) for name in (text.publisher, text.signature) if name]
    if not organs:
        return None
    first = organs[0]
    for other in organs[1:]:
        if (
            other.target
            and (first.target is None or other.target == first.target)
            and len(other.parts) > len(first.parts)
        ):
            first = other
    return first


def _printed_ancestors_agree(unit: Unit, printed: list[str], index: RegionIndex) -> bool:
    names = {name for ancestor in index.ancestors(unit) for name in index.names_of(ancestor)}
    return all(part in names for part in printed)


def _publisher_level(organ: Organ, scored: list[Scored]) -> str | None:
    if organ.unknown_township:
        return "township"
    levels = {s.unit.level for s in scored}
    return levels.pop() if len(levels) == 1 else (scored[0].unit.level if scored else None)


def _score(
    unit: Unit, zones: Zones, year: int | None, index: RegionIndex, variant: bool = False, own_name: bool = False
) -> Scored:
    """The candidate's clues; ``own_name`` also counts its own name (context mode, where it is not masked)."""
    scored = Scored(unit)
    ancestors = index.ancestors(unit)
    for ancestor in ([unit] if own_name else []) + ancestors:
        scored.clues += _name_clues(ancestor, zones, index)
    scored.clues += _code_clues(unit, ancestors, zones)
    scored.clues += _hint_clues(unit, zones, index)
    scored.clues += _wording_clues(unit, ancestors, zones)
    if year is not None:
        valid = unit.valid_in(year)
        scored.clues.append(
            Clue("vintage", "当年存在" if valid else "当年不存在", str(year), _VALID_YEAR if valid else _INVALID_YEAR)
        )
    if variant:
        scored.clues.append(Clue("variant", unit.name, "publisher", _VARIANT_PENALTY))
    return scored


def _name_clues(ancestor: Unit, zones: Zones, index: RegionIndex) -> list[Clue]:
    """The ancestor's full name (best zone), else its short form, as seen in the masked text."""
    key = ancestor.level if ancestor.level in ("county", "prefecture", "province") else None
    if key is None:
        return []
    short = index.short_of.get(ancestor.region_id)
    for kind, names in (("name", index.full_names(ancestor)), ("short", (short,) if short else ())):
        for name in names:
            where = _where(name, zones, short=kind == "short", index=index)
            if where:
                strong, body = _NAME_POINTS[(key, kind)]
                return [Clue(kind, name, where, strong if where == "strong" else body)]
    return []


def _where(name: str, zones: Zones, *, short: bool, index: RegionIndex) -> str | None:
    if _occurs(name, zones.strong, short=short, index=index):
        return "strong"
    # a two-character short form in running text is often a plain word ("…号和政务…" is not 和政县)
    needed = _BODY_SHORT_MIN_COUNT if short and len(name) <= 2 else 1
    return "body" if _occurs(name, zones.body, short=short, index=index, times=needed) else None


def _occurs(name: str, text: str, *, short: bool, index: RegionIndex, times: int = 1) -> bool:
    """``times`` occurrences that are not part of a longer name: 寿县 in 仁寿县 or 河南 in 河南省 do not count."""
    found, start = 0, text.find(name)
    while start >= 0:
        end = start + len(name)
        if short:
            ok = (end >= len(text) or text[end] not in _SHORT_FOLLOWERS) and not _inside_a_word(text, start, end)
        else:
            ok = not any(text[begin:end] in index.by_name for begin in range(max(0, start - 6), start))
        found += ok
        if found >= times:
            return True
        start = text.find(name, start + 1)
    return False


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """A two-character short form glued into a commoner word: "和政" in "党委和政府", "政务微信公众号和政务公开栏".

    The pair it forms with the next (or previous) character is then more frequent in the text than the short
    form itself; a place name keeps its neighbours rare ("孟津城关", "云上孟津").
    """
    if end - start != 2:
        return False
    own = text.count(text[start:end])
    after, before = text[end - 1 : end + 1], text[start - 1 : start + 1] if start else ""
    return (len(after) == 2 and text.count(after) > own) or (len(before) == 2 and text.count(before) > own)


def _code_clues(unit: Unit, ancestors: list[Unit], zones: Zones) -> list[Clue]:
    """Phone area code, postal code and website domain clues pointing at the unit or its ancestors."""
    clues_by_kind = load_clues()
    lineage = {a.region_id: a.level for a in [unit, *ancestors]}
    prefecture_code = next((a.region_id.split(":")[0] for a in ancestors if a.level == "prefecture"), None)
    found: list[Clue] = []
    for code in zones.phone_codes:
        if any(rid in lineage for rid, _ in clues_by_kind.get("phone_area_code", {}).get(code, ())):
            found.append(Clue("phone_area_code", code, "text", _PHONE_POINTS))
    for code in zones.postal_codes:
        targets = clues_by_kind.get("postal_code", {}).get(code, ())
        if any(rid in lineage for rid, _ in targets):
            found.append(Clue("postal_code", code, "text", _POSTAL_POINTS))
        elif prefecture_code and any(rid[:4] + "00" == prefecture_code for rid, _ in targets):  # same city
            found.append(Clue("postal_code", code, "text", _POSTAL_CITY_POINTS))
    seen_labels: set[str] = set()
    for host, where in zones.hosts:
        for label in host_labels(host):
            if label in seen_labels:
                continue
            for rid, strength in clues_by_kind.get("domain_label", {}).get(label, ()):
                if rid in lineage:
                    points = (
                        _DOMAIN_POINTS.get((strength, lineage[rid]), 0.0)
                        if strength == "strong"
                        else _WEAK_DOMAIN_POINTS
                    )
                    found.append(Clue("domain", host, where, points))
                    seen_labels.add(label)
                    break
    return found


def _hint_clues(unit: Unit, zones: Zones, index: RegionIndex) -> list[Clue]:
    """The manifest's region code, when it names the unit, one of its ancestors or one of its descendants."""
    rid = _agrees(unit, zones.hinted, index) if zones.hinted else None
    if rid is None:
        return []
    hinted = index.units[rid]
    general = min(hinted.level, unit.level, key=LEVELS.index)
    return [Clue("hint", f"{hinted.name}（区划代码）", "manifest", _HINT_POINTS[general])]


def _wording_clues(unit: Unit, ancestors: list[Unit], zones: Zones) -> list[Clue]:
    """区委/县委/旗委 must fit the county-level unit; 州、县 fits a unit inside a 州."""
    county = unit if unit.level == "county" else next((a for a in ancestors if a.level == "county"), None)
    clues = []
    wording = county_wording(zones.body)
    kind = county_kind(county.name) if county else None
    if wording and kind:
        clues.append(
            Clue(
                "wording",
                f"{wording}委/{wording}政府",
                "body",
                _WORDING_AGREES if wording == kind else _WORDING_DISAGREES,
            )
        )
    prefecture = next((a for a in ancestors if a.level == "prefecture"), None)
    if prefecture and prefecture.name.endswith("州") and says_zhou(zones.body):
        clues.append(Clue("wording", "州", "body", _ZHOU_POINTS))
    return clues


def _decide(
    scored: list[Scored],
    zones: Zones,
    publisher_level: str | None,
    year: int | None,
    index: RegionIndex,
    printed: list[str],
) -> Resolution:
    best = scored[0]
    margin = best.total - scored[1].total if len(scored) > 1 else None
    alternatives = [(s.unit.region_id, s.total) for s in scored[:5]]
    conflict = None if best.location_points > 0 else _conflicting_county(best.unit, zones, index, printed)
    if conflict:
        shared = _common_ancestor([best.unit, conflict], index)
        return _resolution(
            "conflict",
            0.5,
            publisher_level,
            shared,
            year,
            index,
            best.clues,
            alternatives,
            f"报告显著位置提到{conflict.name}，而唯一候选{best.unit.name}不在该县",
        )
    valid = year is None or best.unit.valid_in(year)
    # the only unit of that name existing in the report year's vintage, and no stronger evidence elsewhere
    only_valid = (
        year is not None
        and valid
        and sum(s.unit.valid_in(year) for s in scored) == 1
        and all(s.location_points <= best.location_points for s in scored[1:])
    )
    if margin is None or only_valid:
        confidence = (0.85 if valid else 0.6) + (0.1 if best.location_points > 0 else 0.0)
        return _resolution(
            "resolved", confidence, publisher_level, best.unit, year, index, best.clues, alternatives[1:]
        )
    if margin >= MARGIN and best.location_points > 0:
        confidence = 0.8 + 0.015 * min(margin, 10.0) - (0.0 if valid else 0.2)
        return _resolution(
            "resolved", confidence, publisher_level, best.unit, year, index, best.clues, alternatives[1:]
        )
    # what the leading candidates share, and never less than the best and the runner-up share
    leading = [s.unit for s in scored if best.total - s.total < MARGIN] or [best.unit]
    shared = _common_ancestor(leading if len(leading) > 1 else [best.unit, scored[1].unit], index)
    return _resolution(
        "ambiguous",
        0.5,
        publisher_level,
        shared,
        year,
        index,
        best.clues,
        alternatives,
        f"{len(leading)}个同名候选区划得分相差不足{MARGIN:g}分，只保留其共同的上级区划",
    )


def _conflicting_county(unit: Unit, zones: Zones, index: RegionIndex, printed: list[str]) -> Unit | None:
    """A county named in the strong zone when the township's own county is named nowhere (the publisher included)."""
    if unit.level != "township":
        return None  # a county-level publisher names its own county
    lineage = [unit, *index.ancestors(unit)]
    own = next((a for a in lineage if a.level == "county"), None)
    if (
        own is None
        or set(index.names_of(own)) & set(printed)
        or any(
            _occurs(name, zone, short=False, index=index)
            for name in index.full_names(own)
            for zone in (zones.strong, zones.body)
        )
    ):
        return None
    lineage_names = {name for member in lineage for name in index.names_of(member)}
    for name in index.higher_names:  # keys first: a name's units are built only when it occurs
        if name not in lineage_names and _occurs(name, zones.strong, short=False, index=index):
            counties = [u for u in index.higher_names[name] if u.level == "county"]
            if counties:
                return counties[0]
    return None


def _common_ancestor(units: list[Unit], index: RegionIndex) -> Unit | None:
    """The deepest unit that is, or is an ancestor of, every one of ``units``."""
    chains = [[u, *index.ancestors(u)] for u in units]
    shared = set.intersection(*({u.region_id for u in chain} for chain in chains)) if chains else set()
    return next((u for u in chains[0] if u.region_id in shared), None) if chains else None


def _resolution(
    status: str,
    confidence: float,
    publisher_level: str | None,
    unit: Unit | None,
    year: int | None,
    index: RegionIndex,
    clues: list[Clue],
    candidates: list[tuple[str, float]],
    note: str = "",
) -> Resolution:
    if status == "resolved" and confidence < ACCEPT_CONFIDENCE and unit is not None:
        # e.g. the only unit of that name did not exist in the report year: keep its parent, flag the report
        status, note = "low_confidence", note or f"{unit.name}在报告年度的区划表中不存在，只确定到上级区划"
        unit = index.units.get(unit.parent_id) if unit.parent_id else None
    chain: dict[str, str | None] = dict.fromkeys(LEVELS)
    code = system = None
    if unit is not None:
        for member in [unit, *index.ancestors(unit)]:
            chain[member.level] = member.name
        chosen = unit.code_for(year)
        code, system = chosen.code.ljust(12, "0"), chosen.code_system
    return Resolution(status, round(confidence, 3), publisher_level, unit, code, system, chain, clues, candidates, note)


def _resolve_from_context(text: ReportText, organ: Organ | None, index: RegionIndex) -> Resolution:
    """No official name in the publisher: the regions the strong zone and the codes point at.

    A relative organ ("市生态环境局", "县人力资源和社会保障局") is its own government's: when exactly one
    unit of that kind leads, on at least two independent kinds of clue, it is resolved. Otherwise only the
    province the leading candidates share is claimed, and the report is flagged.
    """
    zones = zones_of(text)
    zones.hinted = hinted_units(text.region_hint, index)
    pool: dict[str, Unit] = {rid: index.units[rid] for rid in zones.hinted}
    if organ and organ.short_prefix:
        pool.update((u.region_id, u) for u in index.by_short[organ.short_prefix])
    for name in index.higher_names:
        if _occurs(name, zones.strong, short=False, index=index):
            pool.update((u.region_id, u) for u in index.higher_names[name])
    relative = _relative_level_word(organ)
    if relative == "省":
        pool.update(
            (u.region_id, u) for u in index.provinces if _occurs(u.name, zones.strong, short=False, index=index)
        )
    for host, _ in zones.hosts:
        for label in host_labels(host):
            pool.update(
                (rid, index.units[rid])
                for rid, strength in load_clues().get("domain_label", {}).get(label, ())
                if strength == "strong" and rid in index.units
            )
    if relative:  # the government a relative organ belongs to may only be named by its codes
        for kind, codes in (("phone_area_code", zones.phone_codes), ("postal_code", zones.postal_codes)):
            for code in codes:
                pool.update(
                    (rid, index.units[rid]) for rid, _ in load_clues().get(kind, {}).get(code, ()) if rid in index.units
                )
    if not pool:
        return Resolution("no_publisher", 0.0, None, None, note="发布机关和标题、落款、开头、联系方式中都没有区划名称")
    if relative:
        pool = {rid: u for rid, u in pool.items() if _fits_relative_word(u, relative)}
    scored = sorted(
        (_score(u, zones, text.report_year, index, own_name=True) for u in pool.values()),
        key=lambda s: (-s.total, s.unit.region_id),
    )
    if not scored:
        return Resolution("no_publisher", 0.0, None, None, note=f"正文中没有可对应的{relative}级区划")
    best = scored[0]
    alternatives = [(s.unit.region_id, s.total) for s in scored[:5]]
    margin = best.total - scored[1].total if len(scored) > 1 else None
    kinds = {clue.kind for clue in best.clues if clue.points > 0 and clue.kind in _LOCATION_KINDS}
    # organ is not None whenever relative is set (see _relative_level_word)
    # two independent kinds of clue agree, or the manifest's region code (strong) names it
    agreed = len(kinds) >= 2 or "hint" in kinds
    how = "多类线索一致" if len(kinds) >= 2 else "清单区划代码"
    if relative and organ is not None and (margin is None or margin >= MARGIN) and agreed:
        return _resolution(
            "resolved",
            0.8,
            best.unit.level,
            best.unit,
            text.report_year,
            index,
            best.clues,
            alternatives[1:],
            f"{organ.printed}：{how}指向的{relative}级区划",
        )
    leading = [s.unit for s in scored if best.total - s.total < MARGIN]
    shared = _common_ancestor(leading, index)
    # The candidates were guessed from context, so only the province they share is claimed.
    province = next((u for u in [shared, *index.ancestors(shared)] if u.level == "province"), None) if shared else None
    return _resolution(
        "context_only",
        0.5,
        None,
        province,
        text.report_year,
        index,
        best.clues,
        alternatives,
        "发布机关名称中没有正式区划名称，只确定线索一致的省份",
    )


def _fits_relative_word(unit: Unit, word: str) -> bool:
    """省 fits a province (自治区 and 直辖市 too); 市, 县, 区, 州, 旗, 盟 fit a prefecture or county named so."""
    if word == "省":
        return unit.level == "province"
    return unit.level in ("prefecture", "county") and unit.name.endswith(word)


def _relative_level_word(organ: Organ | None) -> str | None:
    """市 for "市生态环境局", 县 for "县人力资源和社会保障局", 省 for "自治区市场监督管理局"."""
    if organ is None or organ.parts or not organ.printed:
        return None
    if organ.printed.startswith("自治区"):
        return "省"
    return organ.printed[0] if organ.printed[0] in _RELATIVE_WORDS else None
