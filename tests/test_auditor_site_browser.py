"""The auditor site in a real browser: Debian's chromium, driven by Playwright (which downloads no browser here).

The index is opened from file:// as an auditor would: the search box, the filters, the pager, the links of the rule
table, a click through to a report's page and its locator links, with no request leaving the disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from gongkai.reports import write_auditor_report
from test_auditor_report import SEED003_FILE_ID, SOURCES, build_large_warehouse, build_warehouse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: install Debian's chromium (make system-deps)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _site(folder: Path, build: object, sources: dict[str, str] | None = None) -> Path:
    warehouse = folder / "warehouse.duckdb"
    build(warehouse)
    index = folder / "reports" / "auditor_report.html"
    for href in (sources or {}).values():  # the copies the locators open (reports/sources.py writes them)
        (index.parent / href).parent.mkdir(parents=True, exist_ok=True)
        (index.parent / href).write_bytes(b"%PDF-1.4 test copy")
    write_auditor_report(warehouse, index, {"files_seen": 3}, sources=sources)
    return index


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(tmp_path_factory.mktemp("small"), build_warehouse, SOURCES)


@pytest.fixture()
def page(browser: object, small_site: Path) -> Iterator[object]:
    """The small site's index, loaded; fails the test on a script error or any request that is not a local file."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(small_site.as_uri())
    tab.wait_for_selector("#report-rows tr")
    yield tab
    context.close()
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests


def _publishers(tab: object) -> list[str]:
    return tab.locator("#report-rows tr td:nth-child(3)").all_inner_texts()


def test_typing_in_the_search_box_filters_the_rows(page: object) -> None:
    assert sorted(_publishers(page)) == ["某县交通运输局", "某市生态环境局", "泽曲镇人民政府"]
    assert "共 3 份报告，符合条件的 3 份" in page.inner_text("#r-count")
    for text, expected in (
        ("交通", ["某县交通运输局"]),
        ("孟津", ["某市生态环境局"]),  # publisher, region
        ("003_5f15", ["泽曲镇人民政府"]),
        ("2021年政府信息", ["某县交通运输局", "某市生态环境局"]),
        ("不存在的机关", []),
    ):  # file name, title
        page.fill("#f-text", text)
        assert sorted(_publishers(page)) == expected, text
    assert page.inner_text("#p-info") == "没有符合条件的报告"
    page.fill("#f-text", "")
    assert len(_publishers(page)) == 3


def test_filters_narrow_the_rows_and_the_rule_table_sets_them(page: object) -> None:
    page.select_option("#f-year", "2021")
    assert sorted(_publishers(page)) == ["某县交通运输局", "某市生态环境局"]
    page.select_option("#f-status", "uncertain")
    assert _publishers(page) == ["某县交通运输局"]
    page.click("#f-reset")
    page.select_option("#f-province", "河南省")
    assert page.locator("#f-city option").all_inner_texts() == ["全部", "洛阳市"]
    assert _publishers(page) == ["某市生态环境局"]
    page.click("#f-reset")
    page.select_option("#f-severity", "W")
    assert _publishers(page) == ["泽曲镇人民政府"]
    page.click("#f-reset")
    page.click('a[data-filter-rule="T3_BALANCE"]')
    assert page.input_value("#f-rule") == "T3_BALANCE" and _publishers(page) == ["泽曲镇人民政府"]
    row = page.locator("#report-rows tr").first.locator("td").all_inner_texts()
    assert row[0] == "青海省 黄南藏族自治州 河南蒙古族自治县" and row[5:8] == ["3", "1", "0"]
    assert "确认问题 1" in row[-1]


def test_clicking_a_report_opens_its_page_whose_locators_open_the_source_copy(page: object, small_site: Path) -> None:
    page.fill("#f-text", "泽曲镇")
    page.click("#report-rows a")
    page.wait_for_url("**/reports/r003.html")
    assert page.inner_text("h1").startswith("泽曲镇人民政府")
    locator = page.locator("#findings a", has_text="第3页（距左72、距顶400磅）").first
    assert locator.get_attribute("href") == "../sources/5f15ad0c90ddf270.pdf#page=3"
    target = urlparse(locator.evaluate("a => a.href"))
    assert target.fragment == "page=3"
    assert Path(unquote(target.path)) == small_site.parent / SOURCES[SEED003_FILE_ID]
    assert Path(unquote(target.path)).read_bytes().startswith(b"%PDF")
    page.click("text=← 返回审计报告 · 报告一览")
    page.wait_for_selector("#report-rows tr")


def test_the_pager_walks_through_a_longer_list(browser: object, tmp_path: Path) -> None:
    index = _site(tmp_path, lambda path: build_large_warehouse(path, 250))
    tab = browser.new_page()
    tab.goto(index.as_uri())
    tab.wait_for_selector("#report-rows tr")
    seen = []
    for expected in ("第 1–100 份（第 1/3 页）", "第 101–200 份（第 2/3 页）", "第 201–250 份（第 3/3 页）"):
        assert tab.inner_text("#p-info") == expected
        seen += _publishers(tab)
        if not tab.is_disabled("#p-next"):
            tab.click("#p-next")
    assert len(seen) == 250 and tab.is_disabled("#p-next")
    tab.select_option("#f-sort", "fail")
    fails = [
        sum(int(n) for n in row.locator("td").all_inner_texts()[5:8])  # 不通过: 错误 + 警告 + 提示
        for row in tab.locator("#report-rows tr").all()
    ]
    assert tab.inner_text("#p-info").startswith("第 1–100 份") and fails == sorted(fails, reverse=True)
    tab.close()
