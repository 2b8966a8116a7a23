"""Reports from the web, against a real HTTP server on 127.0.0.1 (tests/web_server.py) serving real report files:
what lands (raw parts, source_uri, fetch time, status), the fetch log's outcomes and reasons, conditional re-runs,
retries, limits, the crawl, politeness; and one `gongkai run --urls` end to end."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import cli_runs
from corpus import SEEDS
from docx_fixtures import build_report
from gongkai.ingest.web.fetch import FetchSettings
from gongkai.ingest.web.intake import MAX_FAILED_RUNS, WebIntake, WebSources, fetch_sources, land_fetched
from gongkai.lake import Lake, part_files
from html_fixtures import html_cases
from pdf_fixtures import fmt2021_report
from web_server import FixtureServer, Route, serve

MENGJIN = "www.mengjin.gov.cn"
CAPTCHA = "<html><head><title>安全验证</title></head><body><p>请输入验证码后继续访问</p></body></html>".encode()
LOGIN = "<html><head><title>用户登录</title></head><body><form><p>用户名</p><p>密码</p></form></body></html>".encode()


def seed_text(prefix: str) -> bytes:
    return next(path for path in SEEDS if path.name.startswith(prefix)).read_bytes()


# Seed 002 (城关镇, 孟津区) without the words that name its county and city: the text alone is ambiguous.
CHENGGUAN = seed_text("002_").decode().replace("孟津", "").replace("洛阳", "").encode()
PDF = fmt2021_report().content
DOCX = build_report().content
HTML_PAGE = html_cases()[0].content  # 淳安县人民政府's report page, the form's tables in the page


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


def settings(server: FixtureServer, **changes: float) -> FetchSettings:
    """Fast and impatient: the server is local."""
    values = {
        "read_timeout": 0.5,
        "retries": 2,
        "backoff": 0.05,
        "host_interval": 0.0,
        "max_bytes": 200_000,
        "workers": 4,
        "proxy": server.proxy,
    } | changes
    return FetchSettings(**values)  # type: ignore[arg-type]


def intake(lake: Lake, sources: WebSources) -> WebIntake:
    """One run's web intake: fetch, then land what is new."""
    fetched = fetch_sources(sources, lake)
    land_fetched(fetched.to_land, lake)
    return fetched


def raw_rows(lake: Lake) -> dict[str, dict]:
    """source_uri -> raw row (without the bytes)."""
    rows = [row for part in part_files(lake.raw) for row in pq.read_table(part).drop(["content"]).to_pylist()]
    return {row["source_uri"]: row for row in rows}


def log_rows(lake: Lake) -> list[dict]:
    return [row for part in part_files(lake.web_fetches) for row in pq.read_table(part).to_pylist()]


def last_run(lake: Lake) -> dict[str, dict]:
    rows = log_rows(lake)
    run_id = max(row["run_id"] for row in rows)
    return {row["url"]: row for row in rows if row["run_id"] == run_id}


def manifest_site(server: FixtureServer) -> dict[str, str]:
    """Every case a URL list meets, by name -> URL."""
    attachment_page = (
        "<html><head><title>城关镇人民政府2021年政府信息公开工作年度报告</title></head><body>"
        "<h1>城关镇人民政府2021年政府信息公开工作年度报告</h1><p>发布时间：2022-01-20</p>"
        "<p>附件：<a href='/files/cgz2021.docx'>城关镇2021年年度报告.docx</a></p>"
        "<p><a href='http://www.other.gov.cn/files/x.pdf'>附件下载（外站）</a></p>"
        "</body></html>"
    ).encode()
    return {
        "pdf": server.add("/files/report.pdf", Route(PDF, "application/pdf")),
        "text": server.add("/ndbg/2022/chengguan.txt", Route(CHENGGUAN, "text/plain; charset=utf-8"), host=MENGJIN),
        "html": server.add("/ndbg/chunan.html", Route(HTML_PAGE)),
        "page_with_attachment": server.add("/ndbg/2021.html", Route(attachment_page)),
        "attachment": server.add("/files/cgz2021.docx", Route(DOCX, "application/msword")),
        "missing": server.url("/files/missing.pdf"),
        "flaky": server.add("/files/flaky.txt", Route(seed_text("001_"), "text/plain", fail_first=1)),
        "throttled": server.add(
            "/files/throttled.txt",
            Route(seed_text("000_"), "text/plain", fail_first=1, fail_status=429, headers={"Retry-After": "0"}),
        ),
        "slow": server.add("/files/slow.txt", Route(seed_text("003_"), "text/plain", delay=2.0)),
        "captcha": server.add("/files/captcha.pdf", Route(CAPTCHA, "text/html; charset=utf-8")),
        "disguised": server.add("/download?id=9", Route(CAPTCHA, "application/pdf")),
        "login": server.add("/ndbg/login.html", Route(LOGIN)),
        "empty": server.add("/files/empty.pdf", Route(b"", "application/pdf")),
        "big": server.add("/files/big.pdf", Route(b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf")),
        "big_unannounced": server.add(
            "/files/big2.pdf", Route(b"%PDF-1.4\n" + b"1" * 300_000, "application/pdf", declare_length=False)
        ),
        "moved": server.add("/old/report.txt", Route(redirect=server.url("/new/report.txt"))),
        "moved_to": server.add("/new/report.txt", Route(seed_text("004_"), "text/plain")),
    }


def write_manifest(path: Path, urls: dict[str, str], hints: dict[str, str] | None = None) -> Path:
    lines = ["url,publisher,region_code,year"] + [
        f"{url},{(hints or {}).get(name, ',,')}"
        for name, url in urls.items()
        if name != "moved_to" and name != "attachment"
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_urls_land_with_their_url_fetch_time_status_and_hints_and_failures_have_reasons(
    server: FixtureServer, tmp_path: Path
) -> None:
    site = manifest_site(server)
    manifest = write_manifest(tmp_path / "m.csv", site, {"text": "城关镇人民政府,410308,2022"})
    lake = Lake.at(tmp_path / "lake")
    fetched = intake(lake, WebSources(str(manifest), settings=settings(server)))

    raw = raw_rows(lake)
    landed = {"pdf", "text", "html", "page_with_attachment", "attachment", "flaky", "throttled", "moved"}
    assert set(raw) == {site[name] for name in landed}
    assert raw[site["pdf"]]["media_type"] == "application/pdf" and raw[site["pdf"]]["file_name"] == "report.pdf"
    assert raw[site["html"]]["media_type"] == "text/html"  # a real report page lands as HTML
    for row in raw.values():
        assert row["http_status"] == 200 and row["fetched_at"] is not None
        assert row["fetched_at"] <= row["landed_at"]
    # the page that embeds the report as an attachment lands, and so does the attachment, which names its page
    assert raw[site["attachment"]]["parent_uri"] == site["page_with_attachment"]
    assert raw[site["attachment"]]["media_type"].endswith("wordprocessingml.document")
    assert json.loads(raw[site["text"]]["source_hints"]) == {
        "publisher": "城关镇人民政府",
        "region_code": "410308",
        "year": 2022,
    }
    assert raw[site["pdf"]]["source_hints"] is None
    # a redirect lands under the URL that was listed; the log keeps where it ended
    log = last_run(lake)
    assert log[site["moved"]]["final_url"] == site["moved_to"] and log[site["moved"]]["outcome"] == "landed"
    # a 500 and a 429 (Retry-After: 0) were retried, with backoff
    assert (log[site["flaky"]]["attempts"], log[site["throttled"]]["attempts"]) == (2, 2)

    failed = {name: log[url] for name, url in site.items() if url in log and log[url]["outcome"] == "failed"}
    assert {name: row["reason_code"] for name, row in failed.items()} == {
        "missing": "not_found",
        "slow": "timeout",
        "captcha": "html_instead_of_file",
        "disguised": "html_instead_of_file",
        "login": "blocked_page",
        "empty": "empty",
        "big": "too_large",
        "big_unannounced": "too_large",
    }
    assert failed["missing"]["status"] == 404 and failed["missing"]["reason"].startswith("网址不存在")
    assert failed["slow"]["attempts"] == 3 and failed["slow"]["status"] is None  # 1 + 2 retries
    assert "安全验证" in failed["captcha"]["reason"] and failed["captcha"]["reason"].startswith("链接应为文件")
    assert "declared" in failed["big"]["reason"] and "stopped" in failed["big_unannounced"]["reason"]
    assert all(row["failed_runs"] == 1 for row in failed.values())
    assert fetched.outcomes == {"landed": 8, "failed": 8}
    assert {f["url"] for f in fetched.failures} == {site[name] for name in failed}
    assert not list(lake.web_spool.iterdir())  # landing empties the spool
    # the off-site attachment was not followed
    assert not server.requested("http://www.other.gov.cn/files/x.pdf") and fetched.off_site_links == 1


def test_a_second_run_asks_conditionally_lands_nothing_and_retries_only_the_failures(
    server: FixtureServer, tmp_path: Path
) -> None:
    site = manifest_site(server)
    manifest = write_manifest(tmp_path / "m.csv", site)
    lake = Lake.at(tmp_path / "lake")
    intake(lake, WebSources(str(manifest), settings=settings(server)))
    raw_before = raw_rows(lake)
    first_requests = len(server.requests)

    server.routes[("127.0.0.1", "/files/slow.txt")].delay = 0  # the slow server recovered
    del site["missing"]  # no longer listed: retried all the same
    again = intake(lake, WebSources(str(write_manifest(tmp_path / "m2.csv", site)), settings=settings(server)))

    log = last_run(lake)
    assert {url for url, row in log.items() if row["outcome"] == "landed"} == {site["slow"]}
    not_modified = {"pdf", "text", "html", "page_with_attachment", "attachment", "flaky", "throttled", "moved"}
    assert {url for url, row in log.items() if row["outcome"] == "not_modified"} == {site[n] for n in not_modified}
    for name in not_modified:  # every landed URL was asked with its validators and answered 304
        (request,) = server.requested(site[name])[-1:]
        assert request.headers.get("If-None-Match") and request.headers.get("If-Modified-Since")
        assert log[site[name]]["status"] == 304 and log[site[name]]["sha256"] == raw_before[site[name]]["file_id"]
    missing = server.url("/files/missing.pdf")
    assert log[missing]["via"] == "retry" and log[missing]["failed_runs"] == 2
    assert set(raw_rows(lake)) == set(raw_before) | {site["slow"]}  # only the recovered file is new
    assert again.outcomes["failed"] == 7 and again.bytes_fetched == len(seed_text("003_"))
    # the failures were the only full downloads of the second run (and the recovered file)
    full = [r for r in server.requests[first_requests:] if not r.headers.get("If-None-Match")]
    assert {r.path for r in full} >= {"/files/slow.txt", "/files/missing.pdf", "/files/captcha.pdf"}
    assert "/files/report.pdf" not in {r.path for r in full}


def test_a_url_that_keeps_failing_is_given_up_after_some_runs_unless_listed(
    server: FixtureServer, tmp_path: Path
) -> None:
    manifest = tmp_path / "urls.txt"
    manifest.write_text(server.url("/gone.pdf") + "\n", encoding="utf-8")
    lake = Lake.at(tmp_path / "lake")
    intake(lake, WebSources(str(manifest), settings=settings(server)))
    for _ in range(MAX_FAILED_RUNS):
        fetched = intake(lake, WebSources(None, settings=settings(server)))  # retried without being listed
    assert len(server.requested(server.url("/gone.pdf"))) == MAX_FAILED_RUNS
    assert fetched.given_up == [server.url("/gone.pdf")]
    intake(lake, WebSources(str(manifest), settings=settings(server)))  # listed again: tried again
    assert len(server.requested(server.url("/gone.pdf"))) == MAX_FAILED_RUNS + 1


def test_the_same_bytes_at_two_urls_land_once_under_the_first_listed(server: FixtureServer, tmp_path: Path) -> None:
    first = server.add("/a/report.pdf", Route(PDF, "application/pdf"))
    second = server.add("/b/report.pdf", Route(PDF, "application/pdf"))
    manifest = tmp_path / "urls.txt"
    manifest.write_text(f"{first}\n{second}\n", encoding="utf-8")
    lake = Lake.at(tmp_path / "lake")
    fetched = intake(lake, WebSources(str(manifest), settings=settings(server)))
    assert list(raw_rows(lake)) == [first]
    log = last_run(lake)
    assert log[second]["outcome"] == "duplicate" and first in log[second]["reason"]
    assert fetched.outcomes == {"landed": 1, "duplicate": 1}


def crawl_site(server: FixtureServer) -> dict[str, str]:
    """孟津's annual-report listing: two listing pages, a report page, an attachment page, a page embedding a PDF
    viewer, a text report, a dead link, a captcha where a PDF was linked, off-site links and a loop."""

    def page(title: str, body: str) -> bytes:
        return (
            f"<html><head><title>{title}</title></head><body><div class='nav'><a href='/'>首页</a>"
            f"<a href='/about.html'>关于我们</a></div>{body}</body></html>"
        ).encode()

    listing = page(
        "政府信息公开年报",
        "<ul>"
        "<li><a href='/ndbg/2022/t1.html'>淳安县人民政府2022年政府信息公开工作年度报告</a></li>"
        "<li><a href='/ndbg/2023/t2.html'>城关镇人民政府2023年政府信息公开工作年度报告</a></li>"
        "<li><a href='/ndbg/files/2022.txt'>城关镇2022年年度报告（文本）</a></li>"
        "<li><a href='http://www.other.gov.cn/ndbg/x.html'>某县2022年年度报告</a></li>"
        "</ul><a href='/ndbg/index_1.html'>下一页</a>",
    )
    listing_2 = page(
        "政府信息公开年报",
        "<ul>"
        "<li><a href='/ndbg/2021/t3.html'>2021年年度报告</a></li>"
        "<li><a href='/ndbg/2020/t4.html'>2020年年度报告</a></li>"
        "<li><a href='/ndbg/files/2019.pdf'>2019年年度报告</a></li>"
        "</ul><a href='/ndbg/index.html'>上一页</a>",
    )
    attachment_page = page(
        "城关镇人民政府2023年政府信息公开工作年度报告",
        "<h1>城关镇人民政府2023年政府信息公开工作年度报告</h1>"
        "<p>附件：<a href='/ndbg/files/cgz2023.docx'>城关镇2023年年度报告.docx</a></p>",
    )
    viewer_page = page(
        "2021年年度报告", "<h1>2021年年度报告</h1><iframe src='/pdfjs/viewer.html?file=/ndbg/files/2021.pdf'></iframe>"
    )
    return {
        "listing": server.add("/ndbg/index.html", Route(listing), host=MENGJIN),
        "listing_2": server.add("/ndbg/index_1.html", Route(listing_2), host=MENGJIN),
        "report_page": server.add("/ndbg/2022/t1.html", Route(HTML_PAGE), host=MENGJIN),
        "attachment_page": server.add("/ndbg/2023/t2.html", Route(attachment_page), host=MENGJIN),
        "attachment": server.add("/ndbg/files/cgz2023.docx", Route(DOCX, "application/octet-stream"), host=MENGJIN),
        "text": server.add("/ndbg/files/2022.txt", Route(CHENGGUAN, "text/plain; charset=utf-8"), host=MENGJIN),
        "viewer_page": server.add("/ndbg/2021/t3.html", Route(viewer_page), host=MENGJIN),
        "embedded": server.add("/ndbg/files/2021.pdf", Route(PDF, "application/pdf"), host=MENGJIN),
        "dead": f"http://{MENGJIN}/ndbg/2020/t4.html",
        "captcha": server.add("/ndbg/files/2019.pdf", Route(CAPTCHA), host=MENGJIN),
    }


def test_a_crawl_lands_report_pages_and_attachments_of_one_site_and_only_reads_listings(
    server: FixtureServer, tmp_path: Path
) -> None:
    site = crawl_site(server)
    lake = Lake.at(tmp_path / "lake")
    fetched = intake(lake, WebSources(crawl=(site["listing"],), settings=settings(server)))

    raw = raw_rows(lake)
    assert set(raw) == {
        site[name] for name in ("report_page", "attachment_page", "attachment", "text", "viewer_page", "embedded")
    }
    assert raw[site["attachment"]]["parent_uri"] == site["attachment_page"]
    assert raw[site["embedded"]]["parent_uri"] == site["viewer_page"]
    assert raw[site["report_page"]]["parent_uri"] == site["listing"]
    log = last_run(lake)
    assert {name: log[site[name]]["role"] for name in ("listing", "listing_2", "report_page", "attachment")} == {
        "listing": "listing",
        "listing_2": "listing",
        "report_page": "report_page",
        "attachment": "file",
    }
    assert {name: log[site[name]]["outcome"] for name in ("listing", "listing_2", "dead", "captcha")} == {
        "listing": "listing",
        "listing_2": "listing",
        "dead": "failed",
        "captcha": "failed",
    }
    assert log[site["captcha"]]["reason_code"] == "html_instead_of_file"
    assert log[site["embedded"]]["depth"] == 3 and log[site["listing_2"]]["depth"] == 1
    # same site only, the navigation is not followed, and the loop back to page 1 fetched nothing twice
    hosts_paths = {(r.host, r.path) for r in server.requests}
    assert ("www.other.gov.cn", "/ndbg/x.html") not in hosts_paths and (MENGJIN, "/about.html") not in hosts_paths
    assert (MENGJIN, "/") not in hosts_paths
    assert max(server.hits.values()) == 1
    assert fetched.off_site_links == 1 and fetched.outcomes == {"landed": 6, "listing": 2, "failed": 2}


def test_a_crawl_keeps_to_its_depth_and_count_limits(server: FixtureServer, tmp_path: Path) -> None:
    site = crawl_site(server)
    shallow = intake(
        Lake.at(tmp_path / "a"), WebSources(crawl=(site["listing"],), crawl_depth=1, settings=settings(server))
    )
    fetched = {url for url, _ in last_run(Lake.at(tmp_path / "a")).items()}
    assert fetched == {site[name] for name in ("listing", "report_page", "attachment_page", "text", "listing_2")}
    assert shallow.outcomes == {"listing": 2, "landed": 3}  # page 2 is read as a listing, not followed further
    small = intake(
        Lake.at(tmp_path / "b"), WebSources(crawl=(site["listing"],), crawl_max=3, settings=settings(server))
    )
    assert sum(small.outcomes.values()) == 3 and small.over_crawl_limit >= 2


def test_a_second_crawl_is_answered_with_304s_and_follows_the_links_it_remembers(
    server: FixtureServer, tmp_path: Path
) -> None:
    site = crawl_site(server)
    lake = Lake.at(tmp_path / "lake")
    intake(lake, WebSources(crawl=(site["listing"],), settings=settings(server)))
    parts_before = part_files(lake.raw)
    again = intake(lake, WebSources(crawl=(site["listing"],), settings=settings(server)))
    assert part_files(lake.raw) == parts_before
    assert again.outcomes == {"not_modified": 8, "failed": 2} and again.bytes_fetched < 1_000
    log = last_run(lake)
    assert log[site["embedded"]]["outcome"] == "not_modified" and log[site["embedded"]]["depth"] == 3


def test_requests_to_one_host_are_spaced_and_other_hosts_go_on_meanwhile(server: FixtureServer, tmp_path: Path) -> None:
    urls = [
        server.add(f"/r{i}.txt", Route(seed_text("000_") + str(i).encode(), "text/plain"), host=host)
        for host in ("www.a.gov.cn", "www.b.gov.cn")
        for i in range(4)
    ]
    manifest = tmp_path / "urls.txt"
    manifest.write_text("\n".join(urls) + "\n", encoding="utf-8")
    interval = 0.2
    lake = Lake.at(tmp_path / "lake")
    fetch_sources(WebSources(None, settings=settings(server)), lake)  # warm: imports, TLS context
    started = time.monotonic()
    fetch_sources(WebSources(str(manifest), settings=settings(server, host_interval=interval)), lake)
    elapsed = time.monotonic() - started
    for host in ("www.a.gov.cn", "www.b.gov.cn"):
        times = sorted(r.at for r in server.requests if r.host == host)
        assert len(times) == 4
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        # the limit holds when requests leave the client; arrival adds a little jitter on a busy machine
        assert min(gaps) >= interval * 0.75 and sum(gaps) >= 3 * interval * 0.95
    assert elapsed < 8 * interval  # the two hosts were fetched side by side (one after the other: 1.6 s)
    agent = server.requests[0].headers["User-Agent"]
    assert agent.startswith("Mozilla/5.0 (compatible; gongkai/") and "annual reports" in agent


def test_gongkai_run_urls_lands_parses_and_reports_the_web_sources(
    server: FixtureServer, tmp_path: Path, prefect_server: str
) -> None:
    """End to end: the host of a fetched report resolves its region; the summary and the auditor report list the
    failures; a second run lands nothing and tries the failure again."""
    text = server.add("/ndbg/2022/chengguan.txt", Route(CHENGGUAN, "text/plain; charset=utf-8"), host=MENGJIN)
    pdf = server.add("/files/report.pdf", Route(PDF, "application/pdf"))
    missing = server.url("/files/missing.pdf")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"url,publisher,region_code,year\n{text},,,\n{pdf},,,2022\n{missing},,,\n", encoding="utf-8")
    lake = tmp_path / "lake"
    argv = ["--urls", str(manifest), "--fetch-interval", "0"]
    done = cli_runs.run_web(lake, *argv, api_url=prefect_server, GONGKAI_HTTP_PROXY=server.proxy)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "web:           3 URLs: landed 2, not modified 0, duplicates 0, listings 0, failed 1" in done.stdout
    assert f"    {missing} [not_found]: 网址不存在" in done.stdout
    with duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True) as con:
        reports = dict(con.execute("select source_uri, county from reports").fetchall())
        clues = con.execute("select region_clues from reports where source_uri = ?", [text]).fetchone()[0]
    assert reports == {text: "孟津区", pdf: None}
    assert any(c["kind"] == "domain" and c["where"] == "source_uri" for c in json.loads(clues)["clues"])
    index = (lake / "reports" / "auditor_report.html").read_text(encoding="utf-8")
    failures = index.split('id="web-failures"', 1)[1].split("</section>", 1)[0]
    assert missing in failures and "网址不存在" in failures and "not_found" in failures

    again = cli_runs.run_web(lake, *argv, api_url=prefect_server, GONGKAI_HTTP_PROXY=server.proxy)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "web:           3 URLs: landed 0, not modified 2, duplicates 0, listings 0, failed 1" in again.stdout
    assert len(server.requested(missing)) == 2 and len(server.requested(pdf)) == 2
    assert cli_runs.summary(lake)["web"]["failures"][0]["url"] == missing


def test_the_run_summary_lists_twenty_failures_and_counts_the_rest(tmp_path: Path) -> None:
    from gongkai.run.summary import RunSummary, render_text

    fetched = WebIntake()
    fetched.outcomes.update({"landed": 3, "not_modified": 4, "failed": 25})
    fetched.failures = [
        {
            "url": f"http://x.gov.cn/{i:02d}.pdf",
            "code": "not_found",
            "status": 404,
            "parent": None,
            "reason": "网址不存在（HTTP 404/410）：HTTP 404 Not Found",
        }
        for i in range(25)
    ]
    fetched.off_site_links = 2
    summary = RunSummary(inbox=None, lake=Lake.at(tmp_path / "lake"))
    summary.record_web(fetched)
    printed = render_text(summary.as_dict()).splitlines()
    (line,) = [line for line in printed if line.startswith("web:")]
    assert line.startswith(
        "web:           32 URLs: landed 3, not modified 4, duplicates 0, listings 0, failed 25  (not_found 25)"
    )
    shown = [line for line in printed if line.startswith("    http://x.gov.cn/")]
    assert len(shown) == 20
    assert shown[0] == "    http://x.gov.cn/00.pdf [not_found]: 网址不存在（HTTP 404/410）：HTTP 404 Not Found"
    assert "    … and 5 more: see the auditor report" in printed
    assert "               2 off-site links not followed" in printed
    assert len(summary.as_dict()["web"]["failures"]) == 25
