"""Region clues of reports from the web: the publishing host (its label before .gov.cn, matched to the pinyin of
region names, built offline into clues.parquet) and the manifest's hints (a region code is strong; publisher and year
fill what the report does not print). Real cases, in the style of tests/test_region_resolver.py."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from corpus import SEEDS
from gongkai.ingest.hints import SourceHints
from gongkai.ingest.web.fetch import FetchSettings
from gongkai.ingest.web.intake import WebSources, fetch_sources, land_fetched
from gongkai.lake import Lake, part_files
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import read_document
from gongkai.readers.sniff import sniff
from gongkai.regions.evidence import ReportText
from gongkai.regions.resolver import Resolution, resolve
from gongkai.staging.report_region import report_region
from gongkai.staging.stage import parse_landed
from web_server import Route, serve

FILLER = "根据《中华人民共和国政府信息公开条例》规定，编制本报告。" * 3
# Seed 002 (孟津区城关镇, 2022) without the words naming its county and city: 111 城关镇 fit the text alone.
SEED_002 = next(path for path in SEEDS if path.name.startswith("002_")).read_text(encoding="utf-8")
CHENGGUAN = SEED_002.replace("孟津", "").replace("洛阳", "")


def text(
    publisher: str | None,
    body: str = FILLER,
    year: int | None = 2022,
    *,
    source_uri: str | None = None,
    region_hint: str | None = None,
) -> ReportText:
    return ReportText(None, publisher, None, body, source_uri, year, region_hint)


def chain(resolution) -> tuple[str | None, ...]:
    return tuple(resolution.chain[level] for level in ("province", "prefecture", "county", "township"))


def parsed(
    content: str, source_uri: str | None = None, hints: SourceHints | None = None
) -> tuple[ParsedReport, Resolution]:
    """The report parsed, and its region resolved with the file's source URI and hints, as staging does."""
    data = content.encode("utf-8")
    report = parse_document(read_document(data, sniff(data).media_type), hints=hints)
    return report, report_region(report, source_uri, hints).resolution


def test_the_host_of_a_fetched_report_reaches_the_resolver_through_landing_and_staging(tmp_path: Path) -> None:
    """The same bytes, fetched from 孟津's site, resolve to 孟津区城关镇; from a bare address they stay ambiguous."""
    with serve() as server:
        from_site = server.add(
            "/zwgk/ndbg/2022.txt", Route(CHENGGUAN.encode(), "text/plain"), host="www.mengjin.gov.cn"
        )
        manifest = tmp_path / "urls.txt"
        manifest.write_text(from_site + "\n", encoding="utf-8")
        lake = Lake.at(tmp_path / "lake")
        fetched = fetch_sources(
            WebSources(str(manifest), settings=FetchSettings(host_interval=0, proxy=server.proxy)), lake
        )
        land_fetched(fetched.to_land, lake)
    (raw,) = [row for part in part_files(lake.raw) for row in pq.read_table(part).to_pylist()]
    staged = parse_landed(raw)
    assert staged.report is not None
    assert staged.report["source_uri"] == from_site
    assert (staged.report["province"], staged.report["city"], staged.report["county"], staged.report["township"]) == (
        "河南省",
        "洛阳市",
        "孟津区",
        "城关镇",
    )
    assert staged.report["region_status"] == "resolved" and not staged.report["region_review"]
    clues = json.loads(staged.report["region_clues"])["clues"]
    assert {"kind": "domain", "value": "www.mengjin.gov.cn", "where": "source_uri", "points": 5.0} in clues

    elsewhere = parse_landed({**raw, "source_uri": "http://127.0.0.1:8080/ndbg/2022.txt"})
    assert elsewhere.report is not None and elsewhere.report["region_status"] == "ambiguous"
    assert elsewhere.report["county"] is None


def test_a_domain_never_overrides_what_the_text_says() -> None:
    """Seed 002 says 孟津城关 and 区委: served from 内乡's site it is still 孟津区城关镇 (内乡 is only a runner-up)."""
    _report, resolution = parsed(SEED_002, source_uri="http://www.neixiang.gov.cn/zwgk/2023/t1.html")
    assert chain(resolution) == ("河南省", "洛阳市", "孟津区", "城关镇")
    assert resolution.candidates[0][0] == "411325:内乡县/城关镇"


def test_an_ambiguous_pinyin_label_is_a_weak_clue() -> None:
    """chaoyang is 朝阳区 (北京, 长春), 朝阳县, 朝阳市 and 潮阳区: one point, which decides nothing."""
    resolution = resolve(text("八里庄街道办事处", source_uri="http://www.chaoyang.gov.cn/zwgk/nb.html"))
    assert resolution.status == "ambiguous" and resolution.chain["county"] is None
    (domain,) = [clue for clue in resolution.clues if clue.kind == "domain"]
    assert domain.points == 1.0
    assert [rid for rid, _ in resolution.candidates[:2]] == ["110105:朝阳区/八里庄街道", "110108:海淀区/八里庄街道"]


def test_a_province_subdomain_names_only_the_province() -> None:
    resolution = resolve(text("城关镇人民政府", source_uri="http://xxgk.gansu.gov.cn/ndbg/2022.html"))
    assert resolution.status == "ambiguous" and resolution.chain["county"] is None
    assert all(clue.points == 1.0 for clue in resolution.clues if clue.kind == "domain")


def test_a_region_code_hint_is_a_strong_clue() -> None:
    """The manifest says 410308 (孟津区), 12 digits or 6: the generic 城关镇 resolves; with 411325, to 内乡县's."""
    for code in ("410308", "410308000000"):
        resolution = resolve(text("城关镇人民政府", region_hint=code))
        assert chain(resolution) == ("河南省", "洛阳市", "孟津区", "城关镇") and not resolution.needs_review
        assert any(c.kind == "hint" and c.where == "manifest" and c.points == 10.0 for c in resolution.clues)
    assert resolve(text("城关镇人民政府", region_hint="411325")).chain["county"] == "内乡县"
    # a township's own code (NBS 2021-2023)
    assert resolve(text("城关镇人民政府", region_hint="410308100000")).unit.region_id == "410308:孟津区/城关镇"


def test_a_region_code_hint_that_contradicts_the_text_is_a_conflict() -> None:
    """Seed 001 is 内乡县赤眉镇; a manifest that says 孟津区 is wrong somewhere: flagged, only 河南省 kept."""
    seed_001 = next(path for path in SEEDS if path.name.startswith("001_")).read_text(encoding="utf-8")
    _report, resolution = parsed(seed_001, hints=SourceHints(region_code="410308"))
    assert resolution.status == "conflict" and resolution.needs_review
    assert chain(resolution) == ("河南省", None, None, None)
    assert "410308（孟津区）" in resolution.note
    unknown = resolve(text("城关镇人民政府", region_hint="999999"))
    assert "999999不在区划表中" in unknown.note and unknown.status == "ambiguous"


def test_a_relative_organ_resolves_to_the_region_code_it_is_given() -> None:
    resolution = resolve(text("市生态环境局", region_hint="410300"))
    assert resolution.status == "resolved" and chain(resolution)[:2] == ("河南省", "洛阳市")
    assert "清单区划代码" in resolution.note


def test_publisher_and_year_hints_fill_only_what_the_report_does_not_print() -> None:
    untitled = CHENGGUAN.replace("城关镇人民政府2022年政府信息公开工作年度报告", "政府信息公开工作年度报告").replace(
        "城关镇人民政府", "本机关"
    )
    hints = SourceHints(publisher="城关镇人民政府", region_code="410308", year=2022)
    report, resolution = parsed(untitled, hints=hints)
    assert (report.publisher, report.publisher_source) == ("城关镇人民政府", "manifest")
    assert chain(resolution) == ("河南省", "洛阳市", "孟津区", "城关镇")
    printed, _resolution = parsed(SEED_002, hints=SourceHints(publisher="某某单位", year=2021))
    assert (printed.publisher, printed.publisher_source) == ("城关镇人民政府", "title")
    assert (printed.report_year, printed.year_source) == (2022, "title")
    assert ("YEAR_HINT_DISAGREES", "year 2022 from the title; the manifest says 2021") in printed.warnings
