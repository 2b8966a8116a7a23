"""Organization identity across report years (gongkai.regions.organizations) on realistic publisher names.

Region codes are the 12-digit codes the resolver stores (NBS up to 2023, MCA from 2024). The last test reads the
real corpus and skips when it is absent.
"""

from __future__ import annotations

from corpus import real_report
from gongkai.regions.index import region_index
from gongkai.regions.organizations import ReportOrg, clean_publisher, load_aliases, organization_key, pair_reports, stem


def key(publisher: str | None, code: str | None, org_type: str | None, year: int | None, **kw) -> str:
    found = organization_key(publisher, code, org_type, year, **kw)
    assert found is not None
    return found.key


def test_government_report_under_people_gov_and_office_names_matches() -> None:
    names = [
        ("洛阳市孟津区人民政府", "people_gov", 2021),
        ("孟津区政府办公室", "gov_office", 2022),
        ("区人民政府", "people_gov", 2023),
        ("孟津区", "people_gov", 2023),
        ("区政府", "people_gov", 2023),
    ]
    keys = {key(name, "410308000000", org_type, year) for name, org_type, year in names}
    assert keys == {"410308000000|人民政府|people_gov"}
    office = organization_key("孟津区人民政府办公室", "410308000000", "gov_office", 2022)
    assert office.org_type == "people_gov" and office.alias_applied.startswith("gov_office: 人民政府办公室→人民政府")
    assert organization_key("孟津区人民政府", "410308000000", "people_gov", 2021).alias_applied is None


def test_mengjin_county_becomes_district_and_the_alias_is_named() -> None:
    before = organization_key("孟津县人民政府", "410322000000", "people_gov", 2020)
    after = organization_key("孟津区人民政府", "410308000000", "people_gov", 2021)
    assert before.key == after.key == "410308000000|人民政府|people_gov"
    assert before.alias_applied.startswith("rename2021_mengjin: 孟津县→孟津区（国务院2021年3月批复")
    pair = pair_reports([ReportOrg("a", before, 2020), ReportOrg("b", after, 2021)])[1]
    assert (pair.previous_report_id, pair.consecutive) == ("a", True)
    assert "rename2021_mengjin" in pair.alias_applied
    # a department of the old county, and an old name printed in a later year
    assert key("孟津县财政局", "410322000000", "department", 2019) == key(
        "孟津区财政局", "410308000000", "department", 2021
    )
    assert key("孟津县财政局", "410308000000", "department", 2021) == "410308000000|财政|department"


def test_changle_city_becomes_district() -> None:
    before = organization_key("长乐市人民政府", "350182000000", "people_gov", 2016)
    assert before.key == key("福州市长乐区人民政府", "350112000000", "people_gov", 2018)
    assert before.alias_applied.startswith("rename2017_changle: 长乐市→长乐区")


def test_renames_with_the_same_short_form_are_linked_from_the_reference_vintages() -> None:
    before = organization_key("偃师市人民政府", "410381000000", "people_gov", 2020)  # not in the alias table
    assert before.key == key("偃师区人民政府", "410307000000", "people_gov", 2021)
    assert before.alias_applied.startswith("region_lineage: 偃师市(410381)→偃师区(410307)")
    # counties of a renamed prefecture keep their identity too (那曲地区嘉黎县 542422 -> 那曲市嘉黎县 540621)
    assert key("嘉黎县财政局", "542422000000", "department", 2017) == key(
        "嘉黎县财政局", "540621000000", "department", 2018
    )


def test_a_rename_with_another_short_form_needs_the_alias_table() -> None:
    before = organization_key("那曲县人民政府", "542421000000", "people_gov", 2016)
    assert before.key == key("那曲市色尼区人民政府", "540602000000", "people_gov", 2019)
    assert before.alias_applied.startswith(
        "rename2017_nagqu: 那曲县→色尼区（《国务院关于同意西藏自治区撤销那曲地区设立地级那曲市的批复》"
    )


def test_institutional_reform_renames_match_the_same_city_department() -> None:
    old = organization_key("莆田市国土资源局", "350300000000", "department", 2018)
    new = organization_key("莆田市自然资源局", "350300000000", "department", 2019)
    assert old.key == new.key == "350300000000|自然资源|department"
    assert old.alias_applied.startswith("reform2018_natural_resources: 国土资源局→自然资源局")
    assert new.alias_applied is None
    for before, after in [
        ("卫生和计划生育委员会", "卫生健康局"),
        ("环境保护局", "生态环境局"),
        ("农业委员会", "农业农村局"),
        ("安全生产监督管理局", "应急管理局"),
        ("文化广电新闻出版局", "文化和旅游局"),
        ("旅游局", "文化广电和旅游局"),
        ("卫计委", "卫生健康委员会"),
        ("国土资源局", "自然资源和规划局"),
    ]:
        assert key("孟津县" + before, "410322000000", "department", 2018) == key(
            "孟津区" + after, "410308000000", "department", 2021
        ), before
    assert key("孟津区民政局", "410308000000", "department", 2022) == key("民政局", "410322000000", "department", 2017)


def test_bodies_merged_in_the_reform_become_duplicates_of_one_organization() -> None:
    reports = [
        ReportOrg("qj", organization_key("莆田市质量技术监督局", "350300000000", "department", 2018), 2018, "b.txt"),
        ReportOrg("gs", organization_key("莆田市工商行政管理局", "350300000000", "department", 2018), 2018, "a.txt"),
        ReportOrg("sj", organization_key("莆田市市场监督管理局", "350300000000", "department", 2019), 2019, "c.txt"),
    ]
    pairs = {pair.report_id: pair for pair in pair_reports(reports)}
    assert pairs["sj"].previous_report_id == "gs" and pairs["sj"].duplicates == ("qj",)  # smallest tie-breaker
    assert pairs["qj"].same_year == ("gs",) and pairs["qj"].previous_report_id is None
    assert pairs == {pair.report_id: pair for pair in pair_reports(reversed(reports))}  # order does not matter


def test_two_departments_of_one_county_do_not_match() -> None:
    assert key("孟津区财政局", "410308000000", "department", 2021) != key(
        "孟津区教育局", "410308000000", "department", 2021
    )
    assert key("孟津区市场监督管理局", "410308000000", "department", 2021) != key(
        "孟津区市政管理局", "410308000000", "department", 2021
    )


def test_the_same_department_in_two_counties_does_not_match() -> None:
    assert key("孟津区财政局", "410308000000", "department", 2021) != key(
        "偃师区财政局", "410307000000", "department", 2021
    )
    assert key("城关镇人民政府", "410308100000", "people_gov", 2022) != key(
        "城关镇人民政府", "411325100000", "people_gov", 2022
    )


def test_subdistrict_office_spellings_match() -> None:
    keys = {
        key("昆明市官渡区人民政府六甲街道办事处", "530111009000", "subdistrict_office", 2024),
        key("官渡区六甲街道办事处", "530111008000", "subdistrict_office", 2022),
        key("官渡区六甲街道办", "530111000000", "department", 2021),  # org_type read as 办 -> department
        key("六甲街道", "530111008000", "subdistrict_office", 2023),
    }
    assert keys == {"530111000000/六甲街道|办事处|subdistrict_office"}


def test_townships_keep_their_identity_across_code_systems_and_county_renames() -> None:
    # NBS 450703106 (2023) and MCA 450703107 (2024) are the same 长滩镇
    assert key("钦北区长滩镇人民政府", "450703106000", "people_gov", 2023) == key(
        "长滩镇人民政府", "450703107000", "people_gov", 2024
    )
    old = organization_key("孟津县城关镇人民政府", "410322100000", "people_gov", 2020)
    assert (
        old.key
        == key("城关镇人民政府", "410308100000", "people_gov", 2022)
        == ("410308000000/城关镇|人民政府|people_gov")
    )
    assert "rename2021_mengjin" in old.alias_applied
    # a township named after its county, printed with and without the county
    assert (
        key("庆城镇人民政府", "621021100000", "people_gov", 2021)
        == key("庆城县庆城镇人民政府", "621021100000", "people_gov", 2022)
        == "621021000000/庆城镇|人民政府|people_gov"
    )
    # 撤乡设镇 (青龙满族自治县龙王庙乡 2016-2022, 龙王庙镇 from 2023), from the reference vintages
    new = key("青龙县龙王庙镇人民政府", "130321111000", "people_gov", 2023)
    xiang = organization_key("青龙满族自治县龙王庙乡", "130321201000", "people_gov", 2022)
    assert xiang.key == new and "龙王庙乡→龙王庙镇（撤乡设镇" in xiang.alias_applied
    # a code of the other code system names another township: the one printed wins; a variant spelling does not
    assert key("官渡区六甲街道办事处", "530111009000", "subdistrict_office", 2022) == key(
        "六甲街道办事处", "530111008000", "subdistrict_office", 2022
    )
    # 万宝乡: 洮南市
    assert organization_key("安图县万宝乡人民政府", "222426105000", "people_gov", 2022).place == "万宝镇"
    # a township resolved only to its county still gets the township from the name
    assert key("城关镇人民政府", "410308000000", "people_gov", 2022) == "410308000000/城关镇|人民政府|people_gov"


def test_unknown_region_gives_a_weak_key_paired_only_when_unambiguous() -> None:
    weak = organization_key("孟津县国土资源局", None, "department", 2018)
    assert weak.weak and weak.region_code is None and weak.key == "*/孟津县|自然资源|department"
    assert organization_key("示例镇人民政府", None, "people_gov", 2021).key == "*/示例镇|人民政府|people_gov"
    assert organization_key(None, None, None, 2021) is None
    assert organization_key(None, "350300000000", None, 2021).weak
    one = [
        ReportOrg("a", weak, 2018),
        ReportOrg("b", organization_key("孟津县自然资源局", None, "department", 2019), 2019),
    ]
    assert pair_reports(one)[1].previous_report_id == "a"
    two = [*one, ReportOrg("c", organization_key("孟津县国土资源局", None, "department", 2018), 2018)]
    assert pair_reports(two)[1].previous_report_id is None and pair_reports(two)[1].duplicates == ("a", "c")
    # resolved only to the province: the county printed is kept and the key is weak (鼓楼区 ×4 nationally)
    coarse = organization_key("鼓楼区人民政府", "320000000000", "people_gov", 2020)
    assert coarse.weak and coarse.key == "320000000000/鼓楼区|人民政府|people_gov"


def test_admin_level_truncates_a_finer_region_code() -> None:
    assert key("孟津区财政局", "410308100000", "department", 2022, admin_level="county") == (
        "410308000000|财政|department"
    )


def test_clean_publisher() -> None:
    assert clean_publisher("洪泽区人民政府（淮安市洪泽区人民政府办公室编制）") == "洪泽区人民政府"
    assert clean_publisher("中共孟津区委办公室 孟津区人民政府办公室") == "孟津区人民政府办公室"
    assert clean_publisher("中共孟津区委孟津区人民政府") == "孟津区人民政府"
    assert clean_publisher("孟津区 财政局2022年度政府信息公开工作年度报告") == "孟津区财政局"
    assert clean_publisher("ＸＸ区（试行）教育局") == "XX区教育局"
    assert stem("自然资源局") == stem("自然资源厅") == stem("自然资源委员会") == "自然资源"
    assert stem("卫生健康委") == "卫生健康" and stem("科委") == "科委"


def test_alias_table_rows_are_sourced_and_consistent_with_the_reference() -> None:
    aliases = load_aliases()
    index = region_index()
    assert aliases and all(a.source and a.new_name and all(a.old_names) for a in aliases)
    assert len({a.alias_id for a in aliases}) == len(aliases)
    rows_of: dict[str, set[str]] = {}
    for a in (a for a in aliases if a.kind != "region_rename"):
        for old in a.old_names:
            for name in (old, stem(old)):
                rows_of.setdefault(name, set()).add(a.alias_id)
    assert not {name: ids for name, ids in rows_of.items() if len(ids) > 1}, "an organ name maps to two alias rows"
    assert not set(rows_of) & {stem(a.new_name) for a in aliases}, "a successor name is itself renamed"
    for a in (a for a in aliases if a.kind == "region_rename"):
        old = index.units[f"{a.old_code}:{a.old_names[0]}"]
        new = index.units[f"{a.new_code}:{a.new_name}"]
        assert max(old.vintages) < min(new.vintages), a.alias_id


def test_pairing_picks_the_latest_earlier_year_and_pairs_ten_thousand_reports() -> None:
    org = organization_key("莆田市统计局", "350300000000", "department", 2020)
    pairs = pair_reports(
        [
            ReportOrg("y2020", org, 2020),
            ReportOrg("y2017", org, 2017),
            ReportOrg("y2022", org, 2022),
            ReportOrg("none", org, None),
            ReportOrg("nokey", None, 2021),
        ]
    )
    assert [(p.report_id, p.previous_report_id, p.previous_year, p.consecutive) for p in pairs] == [
        ("y2020", "y2017", 2017, False),
        ("y2017", None, None, False),
        ("y2022", "y2020", 2020, False),
        ("none", None, None, False),
        ("nokey", None, None, False),
    ]
    publishers = ["财政局", "教育局", "国土资源局", "自然资源局", "人民政府", "人民政府办公室", "统计局", "公安局"]
    codes = ["410308000000", "410322000000", "350300000000", "530111008000", "450703106000"]
    many = [
        ReportOrg(
            f"r{i}",
            organization_key(publishers[i % 8], codes[i % 5], "department", 2015 + i % 9),
            2015 + i % 9,
            f"f{i % 7}",
        )
        for i in range(10_000)
    ]
    result = pair_reports(many)
    assert len(result) == 10_000 and sum(p.consecutive for p in result) > 5_000


REAL = {  # real corpus file -> (organization, year) as the parser reads them
    "r010_pingtan_syq_2019.txt": 2019,
    "r011_pingtan_syq_2021.txt": 2021,
    "r012_pingtan_xian_2011.txt": 2011,
    "r014_pingtan_syq_2020.txt": 2020,
    "r020_pingtan_gaj_2019.txt": 2019,
    "r021_pingtan_gaj_2024.txt": 2024,
    "r100_putian_shi_2008.txt": 2008,
    "r102_putian_szfbgs_2019.txt": 2019,
    "r105_putian_tjj_2020.txt": 2020,
}


def test_real_corpus_reports_pair_up() -> None:
    from gongkai.parsing.parser import parse_document
    from gongkai.readers import read_document
    from gongkai.readers.sniff import sniff
    from gongkai.staging.report_region import report_region

    rows = []
    for name, year in REAL.items():
        content = real_report(name).read_bytes()
        report = parse_document(read_document(content, sniff(content).media_type))
        assert report.report_year == year
        region = report_region(report)
        org = organization_key(
            report.publisher,
            region.resolution.region_code,
            report.org_type,
            report.report_year,
            admin_level=region.admin_level,
        )
        rows.append(ReportOrg(name, org, report.report_year, name))
    pairs = {p.report_id: p for p in pair_reports(rows)}
    # 平潭县人民政府 (2011) and 平潭综合实验区 (2019-2021, read as 平潭县) are one government
    assert pairs["r010_pingtan_syq_2019.txt"].previous_report_id == "r012_pingtan_xian_2011.txt"
    assert pairs["r011_pingtan_syq_2021.txt"].previous_report_id == "r014_pingtan_syq_2020.txt"
    assert pairs["r011_pingtan_syq_2021.txt"].consecutive
    assert pairs["r021_pingtan_gaj_2024.txt"].previous_report_id == "r020_pingtan_gaj_2019.txt"
    assert not pairs["r021_pingtan_gaj_2024.txt"].consecutive
    office = pairs["r102_putian_szfbgs_2019.txt"]  # 莆田市人民政府办公室 2019 after 莆田市 2008
    assert office.previous_report_id == "r100_putian_shi_2008.txt" and office.alias_applied.startswith("gov_office")
    assert pairs["r105_putian_tjj_2020.txt"].previous_report_id is None
