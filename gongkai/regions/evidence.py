"""The places in a report where region clues are read, and the code-like clues in them.

A report is read in two zones: the *strong* zone (title, publisher, signature, the opening
paragraph, the closing lines and contact details), where a place name almost always names the
publisher's own region, and the whole *body*, where neighbours and superiors are mentioned too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from gongkai.text import squash

HEAD_CHARS = 400
TAIL_CHARS = 200
MASK = "□"

_CONTACT = re.compile(
    r"(?:联系|通讯|通信|办公)?地址[:：]?.{0,40}|(?:邮编|邮政编码)[:：]?\d{6}"
    r"|(?:联系)?电话[:：]?[\d\-—()（）]{7,20}"
)
_POSTAL = re.compile(r"(?:邮编|邮政编码)[:：]?(\d{6})(?!\d)")
_PHONE = re.compile(r"(?<![\d])[(（]?(0\d{2,3})[)）\-—－–]{1,2}\d{7,8}(?!\d)")
# A host starts where no host character precedes it: without the look-behind, every position of a long run
# of letters and digits (table cells joined without separators) would be tried again, quadratically.
_URL = re.compile(
    r"(?<![a-z0-9-])(?:https?://)?((?:[a-z0-9-]+\.)+(?:gov\.cn|cn|com|net|org))(?![a-z0-9-])", re.IGNORECASE
)
_GENERIC_LABELS = frozenset({"www", "gov", "cn", "com", "net", "org", "http", "https", "zwgk", "xxgk", "mail", "ww"})
# Which word a report uses for the county-level party committee and government above it
# (docs/formats.md#organisation-and-region).
_COUNTY_WORDING = {
    "区": re.compile(r"(?<!自治)区(?:委|政府|人民政府)"),  # not 自治区政府 (the province)
    "县": re.compile(r"县(?:委|政府|人民政府)"),
    "旗": re.compile(r"旗(?:委|政府|人民政府)"),
}
_PREFECTURE_IS_ZHOU = re.compile(r"州、县|州县两级|州委|州政府")


@dataclass
class ReportText:
    """What the resolver reads of one report."""

    title: str | None
    publisher: str | None
    signature: str | None
    body: str  # the whole text, squashed
    source_uri: str | None = None
    report_year: int | None = None
    region_hint: str | None = None  # a region code the source's manifest gives (gongkai.ingest.hints)


@dataclass
class Zones:
    """The strong zone and the body, with the target's own name masked out of both."""

    strong: str
    body: str
    hosts: list[tuple[str, str]] = field(default_factory=list)  # (host, where: text | source_uri)
    phone_codes: list[str] = field(default_factory=list)
    postal_codes: list[str] = field(default_factory=list)
    hinted: frozenset[str] = frozenset()  # region_ids the manifest's region code names (set by the resolver)


def zones_of(text: ReportText, masked_names: tuple[str, ...] = ()) -> Zones:
    """Cut the report into zones and read the code-like clues (URLs, phone area codes, postal codes)."""
    body = text.body
    contact = "|".join(m.group(0) for m in _CONTACT.finditer(body))
    strong = "|".join(
        filter(None, (text.title, text.publisher, text.signature, body[:HEAD_CHARS], body[-TAIL_CHARS:], contact))
    )
    strong, body = squash(strong), squash(body)
    hosts = [(host, "text") for host in _hosts(body)]
    if text.source_uri and text.source_uri.startswith(("http://", "https://")):
        hosts.append((urlsplit(text.source_uri).hostname or "", "source_uri"))
    zones = Zones(strong, body, hosts, _unique(_PHONE.findall(body)), _unique(_POSTAL.findall(body)))
    for name in sorted(set(masked_names), key=len, reverse=True):
        zones.strong = zones.strong.replace(name, MASK * len(name))
        zones.body = zones.body.replace(name, MASK * len(name))
    return zones


def host_labels(host: str) -> list[str]:
    """The labels of a host that can name a place: 'www.mengjin.gov.cn' -> ['mengjin']."""
    return [label for label in host.lower().split(".") if label not in _GENERIC_LABELS and not label.isdigit()]


def county_wording(body: str) -> str | None:
    """The county-level word the report uses most (区, 县 or 旗), if any."""
    counts = {kind: len(pattern.findall(body)) for kind, pattern in _COUNTY_WORDING.items()}
    kind, count = max(counts.items(), key=lambda item: item[1])
    return kind if count else None


def says_zhou(body: str) -> bool:
    """Whether the report speaks of an autonomous prefecture above it ("州、县", "州委")."""
    return bool(_PREFECTURE_IS_ZHOU.search(body))


def _hosts(body: str) -> list[str]:
    return _unique(match.group(1).lower() for match in _URL.finditer(body))


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
