"""The region resolver on the seed and real reports and on short texts that isolate one clue each.

The real reports are read from the real corpus (tests/corpus.py); their tests skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import SEEDS, real_report, real_truths
from gongkai.parsing.parser import ParsedReport, parse_document
from gongkai.readers import read_document
from gongkai.readers.sniff import sniff
from gongkai.regions.evidence import ReportText
from gongkai.regions.resolver import resolve
from gongkai.staging.report_region import ReportRegion, report_region

CHAIN = ("province", "prefecture", "county", "township")


def parsed(path: Path) -> tuple[ParsedReport, ReportRegion]:
    """The report at ``path`` parsed, and its region resolved, as staging does (no source URI, no hints)."""
    content = path.read_bytes()
    report = parse_document(read_document(content, sniff(content).media_type))
    return report, report_region(report)


def seed(prefix: str) -> Path:
    return next(path for path in SEEDS if path.name.startswith(prefix))


def chain_of(region: ReportRegion) -> tuple[str | None, ...]:
    return tuple(region.resolution.chain[level] for level in CHAIN)


@pytest.mark.parametrize(
    ("prefix", "expected", "year"),
    [
        ("000_", ("宁夏回族自治区", "吴忠市", "利通区", "上桥镇"), 2022),
        ("001_", ("河南省", "南阳市", "内乡县", "赤眉镇"), 2023),
        ("002_", ("河南省", "洛阳市", "孟津区", "城关镇"), 2022),
        ("003_", ("青海省", "黄南藏族自治州", "泽库县", "泽曲镇"), 2022),
        ("004_", ("广西壮族自治区", "钦州市", "钦北区", "长滩镇"), 2021),
    ],
)
def test_seeds_resolve_to_their_township_and_year(prefix: str, expected: tuple[str, ...], year: int) -> None:
    report, region = parsed(seed(prefix))
    assert chain_of(region) == expected
    assert report.report_year == year
    assert region.resolution.status == "resolved" and not region.resolution.needs_review
    assert region.admin_level == "township" and report.org_type == "people_gov"


def test_the_2022_chengguan_town_is_the_one_that_existed_then() -> None:
    _report, region = parsed(seed("002_"))
    resolution = region.resolution
    assert resolution.unit.region_id == "410308:孟津区/城关镇"
    # 孟津区城关镇 became 河图街道 in 2023: only the NBS code of the report year exists
    assert (resolution.region_code, resolution.region_code_system) == ("410308100000", "nbs")
    clues = {(c.kind, c.value) for c in resolution.clues}
    assert ("short", "孟津") in clues and ("wording", "区委/区政府") in clues
    # the other 城关镇 that scored are listed as competing candidates
    assert len(resolution.candidates) >= 3


def test_changtan_gets_the_code_of_the_report_year_system() -> None:
    _report, region = parsed(seed("004_"))
    resolution = region.resolution
    assert resolution.region_code == "450703106000"  # NBS (2021 report); MCA's 450703106 is 那蒙镇
    assert resolution.unit.code_for(2025).code == "450703107"


def test_signature_date_is_the_publication_date_not_the_year() -> None:
    report, _region = parsed(seed("004_"))
    assert (report.report_year, report.published_on) == (2021, "2022-01-17")


# Real reports: the region each publisher is for, from the hand-labelled truth (tests/truth/real/).
REAL = {truth["file"]: truth["region"] for truth in real_truths() if truth["region"]["province"]}


@pytest.mark.parametrize("name", sorted(REAL), ids=lambda name: name[:4])
def test_real_reports_resolve_to_their_county(name: str) -> None:
    _report, region = parsed(real_report(name))
    expected = tuple(REAL[name][level] for level in ("province", "prefecture", "county"))
    assert chain_of(region)[:3] == expected and not region.resolution.needs_review


def test_a_functional_zone_resolves_to_the_division_it_stands_for_and_keeps_its_name() -> None:
    report, region = parsed(real_report("r020_pingtan_gaj_2019.txt"))
    assert report.publisher == "平潭综合实验区公安局"
    assert chain_of(region)[:3] == ("福建省", "福州市", "平潭县")
    assert "功能区" in region.resolution.note and "国函〔2011〕142号" in region.resolution.note


def test_departments_resolve_to_their_government_region_with_their_own_type() -> None:
    report, region = parsed(real_report("r018_pingtan_czj_2009.txt"))
    assert (report.org_type, region.admin_level) == ("department", "county")
    assert region.resolution.unit.region_id == "350128:平潭县"


def text(
    publisher: str | None,
    body: str,
    year: int | None = 2022,
    *,
    title: str | None = None,
    signature: str | None = None,
    source_uri: str | None = None,
) -> ReportText:
    return ReportText(title, publisher, signature, body, source_uri, year)


FILLER = "根据《中华人民共和国政府信息公开条例》规定，编制本报告。" * 3


def test_a_generic_town_name_without_clues_is_flagged_not_guessed() -> None:
    resolution = resolve(text("城关镇人民政府", FILLER))
    assert resolution.status == "ambiguous" and resolution.needs_review
    assert resolution.chain["township"] is None and resolution.chain["county"] is None
    assert len(resolution.candidates) == 5


def test_the_source_url_domain_picks_the_county() -> None:
    body = FILLER + "在县委、县政府的领导下开展工作。"
    resolution = resolve(text("城关镇人民政府", body, source_uri="http://www.neixiang.gov.cn/zwgk/2023/t1.html"))
    assert resolution.chain["county"] == "内乡县" and not resolution.needs_review
    assert any(c.kind == "domain" and c.where == "source_uri" for c in resolution.clues)


def test_phone_area_code_and_wording_pick_the_county() -> None:
    # 洛阳 (0379) has several 城关镇 over the years; 区委 and the 2022 vintage leave only 孟津区's
    body = FILLER + "在区委、区政府的正确领导下。联系电话：0379-67912345"
    resolution = resolve(text("城关镇人民政府", body))
    assert (resolution.chain["prefecture"], resolution.chain["county"]) == ("洛阳市", "孟津区")
    assert not resolution.needs_review
    assert {c.kind for c in resolution.clues} >= {"phone_area_code", "wording"}


def test_the_year_picks_the_unit_that_existed() -> None:
    body = FILLER + "孟津城关镇政务公开工作。"
    before = resolve(text("城关镇人民政府", body + "在县委、县政府的领导下。", 2019))
    after = resolve(text("城关镇人民政府", body + "在区委、区政府的领导下。", 2022))
    assert before.unit.region_id == "410322:孟津县/城关镇"
    assert after.unit.region_id == "410308:孟津区/城关镇"


def test_the_publishers_own_name_is_masked_and_province_words_are_not_county_short_forms() -> None:
    # 河南县 (河南蒙古族自治县, 青海) must not be read as 河南省, nor its own name as a clue
    resolution = resolve(text("河南县教育局", FILLER + "按照黄南州和河南县的部署。"))
    assert resolution.chain["county"] == "河南蒙古族自治县"
    assert resolution.chain["prefecture"] == "黄南藏族自治州"
    assert resolution.publisher_level == "county"


def test_a_county_named_in_the_strong_zone_that_does_not_contain_the_town_is_a_conflict() -> None:
    resolution = resolve(text("泽曲镇人民政府", "河南县" + FILLER, title="河南县泽曲镇2022年政府信息公开工作年度报告"))
    assert resolution.status == "conflict" and resolution.needs_review
    assert resolution.chain["township"] is None and resolution.chain["county"] is None
    assert resolution.chain["prefecture"] == "黄南藏族自治州"  # what both readings share


def test_a_town_not_in_any_vintage_keeps_its_county_and_is_flagged() -> None:
    resolution = resolve(text("利通区不存在镇人民政府", FILLER))
    assert resolution.status == "partial" and resolution.needs_review
    assert resolution.chain["county"] == "利通区" and resolution.chain["township"] is None


def test_a_publisher_without_any_place_is_unresolved() -> None:
    resolution = resolve(text("审计局", FILLER))
    assert resolution.status == "no_publisher" and resolution.unit is None and resolution.needs_review


def test_a_unit_that_did_not_exist_in_the_report_year_keeps_only_its_parent() -> None:
    # 孟津区城关镇 existed 2021-2023 (then 河图街道); a 2025 report naming it is not silently accepted
    resolution = resolve(text("孟津区城关镇人民政府", FILLER, 2025))
    assert resolution.status == "low_confidence" and resolution.needs_review
    assert resolution.chain["county"] == "孟津区" and resolution.chain["township"] is None


def test_a_lead_won_on_year_and_wording_alone_claims_nothing_the_runner_up_does_not_share() -> None:
    # 禾丰镇 exists in several counties; 县委 wording and the vintage alone are no location evidence
    resolution = resolve(text("禾丰镇人民政府", FILLER + "在县委、县政府的正确领导下。", 2023))
    assert resolution.needs_review and resolution.chain["township"] is None and resolution.chain["county"] is None


def test_a_township_printed_under_its_former_status_word_matches_the_unit() -> None:
    # 内乡县余关乡 is 余关镇 in the table: matched through the variant, with the spelling noted
    resolution = resolve(text("内乡县余关乡人民政府", FILLER, 2023))
    assert resolution.unit.region_id.endswith("内乡县/余关镇")
    assert "余关乡" in resolution.note and any(c.kind == "variant" for c in resolution.clues)


def test_an_organ_word_that_nbs_also_lists_as_a_unit_is_read_as_the_organ() -> None:
    # NBS lists non-administrative units named 林业局 elsewhere; under 莆田市 it is the city's forestry bureau.
    text = "莆田市林业局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真贯彻落实《条例》。\n"
    report = parse_document(read_document(text.encode(), "text/plain"))
    region = report_region(report)
    assert report.publisher == "莆田市林业局"
    assert chain_of(region)[:3] == ("福建省", "莆田市", None) and not region.resolution.needs_review
