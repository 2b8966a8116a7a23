"""The web intake's pure parts: URL lists and CSV manifests, links of a page, content checks, file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.ingest.hints import SourceHints, normalized_region_code
from gongkai.ingest.web.content import content_problem, file_name, promised_file
from gongkai.ingest.web.links import Link, is_attachment, is_pagination, is_report_link, page_links, same_site, site_of
from gongkai.ingest.web.manifest import ManifestError, Target, read_manifest

CAPTCHA = "<html><head><title>安全验证</title></head><body><p>请输入验证码后继续访问</p></body></html>".encode()


def test_a_plain_list_skips_blank_lines_and_comments_and_lists_each_url_once(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text(
        "# 孟津区\nhttp://WWW.Mengjin.gov.cn/ndbg/2022.pdf#page=2\n\n  https://a.gov.cn/x.html  \n"
        "http://www.mengjin.gov.cn/ndbg/2022.pdf\n",
        encoding="utf-8",
    )
    assert read_manifest(path) == [Target("http://www.mengjin.gov.cn/ndbg/2022.pdf"), Target("https://a.gov.cn/x.html")]


def test_a_csv_manifest_carries_publisher_region_code_and_year_hints(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "url,publisher,region_code,year\n"
        "http://www.mengjin.gov.cn/a.pdf,城关镇人民政府,410308,2022\n"
        "http://www.mengjin.gov.cn/b.pdf,,,\n",
        encoding="utf-8",
    )
    assert read_manifest(path) == [
        Target("http://www.mengjin.gov.cn/a.pdf", SourceHints("城关镇人民政府", "410308", 2022)),
        Target("http://www.mengjin.gov.cn/b.pdf", SourceHints()),
    ]


def test_chinese_headers_in_gb18030_as_excel_saves_them(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes(
        "网址,发布机关,区划代码,年度\nhttp://x.gov.cn/1.pdf,内乡县人民政府,411325000000,2021\n".encode("gb18030")
    )
    (target,) = read_manifest(path)
    assert target.hints == SourceHints("内乡县人民政府", "411325000000", 2021)
    assert normalized_region_code("411325000000") == "411325"
    assert normalized_region_code("410308100000") == "410308100"


def test_every_bad_line_is_named_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "url,region_code,year\nftp://x.gov.cn/a.pdf,,\nhttp://x.gov.cn/b.pdf,4103,\n"
        "http://x.gov.cn/c.pdf,,二〇二二\nhttp://x.gov.cn/ok.pdf,,2022\n",
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as raised:
        read_manifest(path)
    message = str(raised.value)
    assert "line 2: not an http(s) URL" in message
    assert "line 3: region code '4103' is not 6, 9 or 12 digits" in message
    assert "line 4: year '二〇二二' is not a year" in message
    assert "line 5" not in message


def test_links_are_absolute_without_fragments_and_embedded_viewers_give_their_file() -> None:
    page = (
        "<html><head><base href='http://www.mengjin.gov.cn/ndbg/'></head><body>"
        "<a href='2022/t1.html#top'>城关镇2022年政府信息公开工作年度报告</a>"
        "<a href='javascript:void(0)'>打印</a><a href='mailto:a@b.cn'>信箱</a>"
        "<iframe src='/pdfjs/web/viewer.html?file=/ndbg/files/2021.pdf'></iframe>"
        "<a href='/ndbg/files/fj.docx'>附件：年报.docx</a><a href='index_2.html'>下一页</a>"
        "</body></html>"
    ).encode()
    links = page_links(page, "http://www.mengjin.gov.cn/ndbg/index.html")
    assert [link.url for link in links] == [
        "http://www.mengjin.gov.cn/ndbg/2022/t1.html",
        "http://www.mengjin.gov.cn/ndbg/files/2021.pdf",
        "http://www.mengjin.gov.cn/ndbg/files/fj.docx",
        "http://www.mengjin.gov.cn/ndbg/index_2.html",
    ]
    report, embedded, attachment, pagination = links
    assert is_report_link(report) and not is_attachment(report)
    assert is_attachment(embedded) and is_attachment(attachment)
    assert is_pagination(pagination) and not is_pagination(Link("http://x/", "首页"))
    assert is_attachment(Link("http://x.gov.cn/download.jsp?id=3", "附件下载"))


def test_sites_group_the_hosts_of_one_government() -> None:
    assert site_of("www.mengjin.gov.cn") == site_of("xxgk.mengjin.gov.cn") == "mengjin.gov.cn"
    assert site_of("www.example.com") == "example.com" and site_of("127.0.0.1") == "127.0.0.1"
    assert same_site("http://www.mengjin.gov.cn/a", "http://xxgk.mengjin.gov.cn/b")
    assert not same_site("http://www.mengjin.gov.cn/a", "http://www.neixiang.gov.cn/a")
    assert not same_site("http://www.gansu.gov.cn/a", "http://www.qingyang.gov.cn/a")


def test_a_page_where_a_file_was_promised_is_a_failure_and_a_real_page_is_not() -> None:
    assert promised_file("http://x.gov.cn/a/年报.PDF") == "PDF"
    assert promised_file("http://x.gov.cn/dl?id=1", "application/msword") == "Word"
    assert promised_file("http://x.gov.cn/t1.html", "text/html; charset=utf-8") is None
    code, detail = content_problem("http://x.gov.cn/a.pdf", "text/html", CAPTCHA)
    assert code == "html_instead_of_file" and "安全验证" in detail
    assert content_problem("http://x.gov.cn/dl?id=1", "application/pdf", CAPTCHA)[0] == "html_instead_of_file"
    assert content_problem("http://x.gov.cn/t1.html", "text/html", CAPTCHA)[0] == "blocked_page"
    assert content_problem("http://x.gov.cn/a.pdf", "application/pdf", b"")[0] == "empty"
    assert content_problem("http://x.gov.cn/a.pdf", "application/pdf", b"%PDF-1.7\n...") is None
    long_page = (
        "<html><head><title>2022年年度报告</title></head><body><div>"
        + "政务公开工作。" * 400
        + "</div><a href='/login'>用户登录</a></body></html>"
    ).encode()
    assert content_problem("http://x.gov.cn/t1.html", "text/html", long_page) is None


def test_file_names_come_from_content_disposition_or_the_url() -> None:
    assert file_name("http://x.gov.cn/a/%E5%B9%B4%E6%8A%A5.pdf", None, b"%PDF-") == "年报.pdf"
    assert (
        file_name("http://x.gov.cn/detail?id=5", None, b"<html><body><p>x</p><div>y</div></body></html>")
        == "detail.html"
    )
    assert (
        file_name("http://x.gov.cn/dl?id=1", "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.docx", b"PK")
        == "报告.docx"
    )
    assert file_name("http://x.gov.cn/", None, b"%PDF-") == "index.pdf"
