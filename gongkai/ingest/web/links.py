"""The links of a web page, and what each is: an attachment (a report file), a link to a report page, pagination of a
listing; which site a host belongs to; and whether a page is a listing or a report page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

from gongkai.ingest.web.content import FILE_EXTENSIONS, url_extension
from gongkai.ingest.web.manifest import normalize_url, url_problem
from gongkai.readers.html import decode_html

_SPACES = re.compile(r"\s+")
_ATTACHMENT_WORDS = re.compile(r"附件|下载")
_PAGE_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".xhtml"})
_REPORT_WORDS = re.compile(r"年度报告|年报|公开工作报告")
# Pagination of a listing: 下一页, 尾页, 2, 第3页, >>, 更多 (not 首页: that is often the site's home page)
_PAGINATION = re.compile(
    r"^(?:下一?页|上一?页|尾页|末页|最后一页|更多>*|>+|»|\d{1,4}|第\s*\d{1,4}\s*页"
    r"|\[\d{1,4}\])$"
)
# Headings of the national form (docs/formats.md#skeleton): a page that prints them is a report, whatever it links to.
_FORM_CUES = ("主动公开政府信息情况", "收到和处理政府信息公开申请", "政府信息公开行政复议")
LISTING_MIN_REPORT_LINKS = 3
_SECOND_LEVEL = frozenset({"gov", "com", "net", "org", "edu", "ac"})


@dataclass(frozen=True)
class Link:
    """A link of a page: absolute URL without fragment, and its anchor text ('' for an embedded frame)."""

    url: str
    text: str = ""


def page_links(content: bytes, base_url: str) -> list[Link]:
    """Every http(s) link of a page (``<a>``, ``<area>``, frames, embedded objects and pdf.js ``?file=``), in page
    order, each URL once."""
    try:
        root = lxml.html.document_fromstring(decode_html(content).text)
    except (etree.ParserError, ValueError):
        return []
    base = next((urljoin(base_url, b.get("href", "")) for b in root.iter("base") if b.get("href")), base_url)
    found: dict[str, Link] = {}
    for element in root.iter("a", "area", "iframe", "frame", "embed", "object"):
        href = element.get("href") or element.get("src") or element.get("data")
        if not href or href.strip().lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urljoin(base, href.strip())
        viewer_file = parse_qs(urlsplit(url).query).get("file")  # pdf.js: viewer.html?file=/x.pdf
        if element.tag != "a" and viewer_file:
            url = urljoin(url, viewer_file[0])
        if url_problem(url):
            continue
        text = _SPACES.sub(" ", element.text_content() if element.tag == "a" else "").strip() or element.get(
            "title", ""
        )
        url = normalize_url(url)
        if url not in found or (text and not found[url].text):
            found[url] = Link(url, text)
    return list(found.values())


def is_attachment(link: Link) -> bool:
    """A file to land: a document extension, or 附件/下载 on a link that is not a web page."""
    extension = url_extension(link.url)
    return extension in FILE_EXTENSIONS or (
        bool(_ATTACHMENT_WORDS.search(link.text)) and extension not in _PAGE_EXTENSIONS
    )


def is_report_link(link: Link) -> bool:
    """A link whose text or URL speaks of an annual report (年度报告, 年报)."""
    return bool(_REPORT_WORDS.search(link.text) or _REPORT_WORDS.search(unquote(link.url)))


def is_pagination(link: Link) -> bool:
    return bool(_PAGINATION.match(link.text))


def site_of(host: str) -> str:
    """The registrable domain a host belongs to: www.mengjin.gov.cn and xxgk.mengjin.gov.cn -> mengjin.gov.cn,
    a.example.com -> example.com; an IP address is its own site."""
    labels = host.lower().rstrip(".").split(".")
    if all(label.isdigit() for label in labels):
        return host
    keep = 3 if len(labels) >= 3 and labels[-1] == "cn" and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def same_site(url: str, other: str) -> bool:
    """Both URLs on one site (:func:`site_of`) and one port."""
    a, b = urlsplit(url), urlsplit(other)
    return site_of(a.hostname or "") == site_of(b.hostname or "") and a.port == b.port


def prints_the_form(content: bytes) -> bool:
    """The page prints the national form's headings: it is a report, whatever it links to."""
    text = decode_html(content).text
    return any(cue in text for cue in _FORM_CUES)


def is_report_page(content: bytes, links: list[Link]) -> bool:
    """A report page (landed) rather than a listing (only followed): it prints the form's headings, or it links to
    fewer than three reports."""
    if prints_the_form(content):
        return True
    reports = {link.url for link in links if is_report_link(link) or is_attachment(link)}
    return len(reports) < LISTING_MIN_REPORT_LINKS
