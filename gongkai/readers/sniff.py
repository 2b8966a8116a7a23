"""Media type and text encoding from the bytes themselves, never from the file name."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

_HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|tr|td|div|p)[\s>/]", re.IGNORECASE)
_MARKDOWN_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLE = "application/x-ole-storage"     # legacy .doc and WPS files
ZIP = "application/zip"
HTML = "text/html"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
BINARY = "application/octet-stream"


@dataclass(frozen=True)
class Sniffed:
    media_type: str
    encoding: str | None = None   # for text formats


def decode_text(content: bytes) -> tuple[str, str] | None:
    """Decode text by BOM, then strict UTF-8, then strict GB18030 (a superset of GBK and GB2312)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if content.startswith(bom):
            return content[2:].decode(encoding, errors="replace"), encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
    return None


def sniff(content: bytes) -> Sniffed:
    """Sniff the media type (and for text, the encoding) of a file's bytes."""
    head = content[:8]
    if content.lstrip()[:5] == b"%PDF-":
        return Sniffed(PDF)
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(content))
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return Sniffed(OLE)
    if head.startswith(b"\x89PNG"):
        return Sniffed("image/png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg")
    decoded = decode_text(content)
    if decoded is None:
        return Sniffed(BINARY)
    text, encoding = decoded
    if len(_HTML_MARKERS.findall(content[:200_000])) >= 3:
        return Sniffed(HTML, encoding)
    if _MARKDOWN_TABLE_RULE.search(text):
        return Sniffed(MARKDOWN, encoding)
    return Sniffed(TEXT, encoding)


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return BINARY
    return DOCX if "word/document.xml" in names else ZIP
