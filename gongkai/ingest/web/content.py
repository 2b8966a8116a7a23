"""Is a response the file it promised? A captcha, login or error page where a PDF or Word file was linked is a
failure, not a report; a real report page lands as HTML. Also: the name a fetched file lands under."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from gongkai.readers.html import decode_html
from gongkai.readers.sniff import DOCX, HTML, OLE, PDF, sniff

# What a link or a Content-Type promises: extension or media type prefix -> the kind of file, in words.
FILE_EXTENSIONS = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".wps": "WPS",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".et": "WPS 表格",
    ".ofd": "OFD",
    ".zip": "压缩包",
    ".rar": "压缩包",
}
FILE_MEDIA_TYPES = (
    ("application/pdf", "PDF"),
    ("application/msword", "Word"),
    ("application/vnd.openxmlformats-officedocument", "Office"),
    ("application/vnd.ms-", "Office"),
    ("application/kswps", "WPS"),
    ("application/wps", "WPS"),
    ("application/octet-stream", "文件"),
    ("application/x-download", "文件"),
    ("application/force-download", "文件"),
)
_NAME_SUFFIXES = {HTML: ".html", PDF: ".pdf", DOCX: ".docx", OLE: ".doc", "text/plain": ".txt"}
# Words of pages that stand in front of a file or a report: captcha, WAF, login, error pages.
_BLOCK_CUES = re.compile(
    r"验证码|captcha|人机验证|安全验证|滑动验证|拖动滑块|访问过于频繁|请求过于频繁|访问受限|拒绝访问"
    r"|access denied|forbidden|请先登录|用户登录|统一身份认证|页面不存在|页面未找到|找不到页面|not found"
    r"|网站防火墙|应用防火墙|请开启javascript|请启用javascript",
    re.IGNORECASE,
)
_SHORT_PAGE = 2_000  # characters of visible text: a real report page is longer, a stand-in page shorter
_SPACES = re.compile(r"\s+")


def url_extension(url: str) -> str:
    """The extension of the URL's path, lower case ('.pdf'), or ''."""
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def promised_file(url: str, content_type: str | None = None) -> str | None:
    """The kind of file (PDF, Word …) the URL's extension or the Content-Type promises, or None for a page."""
    by_extension = FILE_EXTENSIONS.get(url_extension(url))
    if by_extension:
        return by_extension
    media = (content_type or "").split(";")[0].strip().lower()
    return next((kind for prefix, kind in FILE_MEDIA_TYPES if media.startswith(prefix)), None)


def is_web_page(content: bytes) -> bool:
    """Markup rather than a document file (sniffed as HTML, or text that opens with a tag)."""
    return sniff(content).media_type == HTML or content.lstrip()[:1] == b"<"


def page_title_and_text(content: bytes) -> tuple[str, str]:
    """A page's title (or first heading) and its visible text, spaces squashed."""
    try:
        root = lxml.html.document_fromstring(decode_html(content).text)
    except (etree.ParserError, ValueError):
        return "", ""
    for element in root.iter("script", "style", "noscript", "template"):
        element.drop_tree()
    title = root.findtext(".//title") or next((h.text_content() for h in root.iter("h1")), "")
    return _SPACES.sub(" ", title).strip(), _SPACES.sub(" ", root.text_content()).strip()


def content_problem(
    url: str, content_type: str | None, content: bytes, expect_file: bool = False
) -> tuple[str, str] | None:
    """Why a 2xx body is not what ``url`` promised, as (reason code, detail); None when it is fine.

    A web page where the link's extension, the Content-Type or the link itself (``expect_file``) promised a file is
    ``html_instead_of_file``; a short page of captcha, login or error words is ``blocked_page``.
    """
    if not content.strip():
        return "empty", f"{len(content)} bytes"
    if not is_web_page(content):
        return None
    title, text = page_title_and_text(content)
    shown = f"网页标题“{title[:60]}”" if title else f"网页开头“{text[:60]}”"
    promised = promised_file(url, content_type) or ("文件" if expect_file else None)
    if promised:
        return "html_instead_of_file", f"{promised}链接，{shown}"
    if len(text) < _SHORT_PAGE and (_BLOCK_CUES.search(title) or _BLOCK_CUES.search(text)):
        return "blocked_page", shown
    return None


def file_name(url: str, disposition: str | None, content: bytes) -> str:
    """The name a fetched file lands under: Content-Disposition's, else the URL path's last segment, with an
    extension from the bytes when it has none ('detail?id=5' -> 'detail.html')."""
    name = _disposition_name(disposition) or PurePosixPath(unquote(urlsplit(url).path)).name
    name = name.replace("/", "_").replace("\\", "_").strip() or "index"  # a site's root: index.html
    if not PurePosixPath(name).suffix:
        name += _NAME_SUFFIXES.get(sniff(content).media_type, "")
    return name[-200:]


_DISPOSITION = re.compile(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)|filename\s*=\s*\"?([^\";]+)\"?")


def _disposition_name(disposition: str | None) -> str | None:
    """filename* (RFC 5987, UTF-8) first, then a plain filename."""
    if not disposition:
        return None
    names = _DISPOSITION.findall(disposition)
    encoded = next((unquote(star) for star, _ in names if star), None)
    plain = next((unquote(value) for _, value in names if value), None)
    return (encoded or plain or "").strip() or None
