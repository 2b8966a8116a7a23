"""Who published a report and for which year: title, publisher, year, org type, region names as printed.

This reads only what the report itself prints. Resolving names to official regions and codes is the
job of the region resolver; until then the region columns hold the names found in the publisher.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from gongkai.readers.document import Row
from gongkai.text import squash

_TITLE = re.compile(
    r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<infix>.*?)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?报告$"
)
# A title that prints no year ("桃城区自然资源局政府信息公开工作年度报告"): the year comes from the text.
_TITLE_NO_YEAR = re.compile(r"^(?P<prefix>[^0-9]*?)(?:政府|政务)?信息公开(?:工作)?年度报告$")
_NOT_A_TITLE = re.compile(r"发布|公布|印发|转发|解读|图解|报送|关于")  # about a report: "…发布2022年…年度报告"
# Documents about reports, by their heading (when no report title is printed): a notice or letter, a guide, news.
_NOTICE_HEADING = re.compile(r"^关于.{2,80}(?:通知|意见|方案|通报|批复|公告|函)$")
_COVER_LETTER = re.compile(r"报送|呈报|上报|提交")  # 关于报送……年度报告的函: the report follows
_GUIDE_HEADING = re.compile(r"信息公开指南|公开指南|公开目录|公开制度")
_NEWS_HEADING = re.compile(r"召开|举行|举办|会议|培训|座谈|部署|调研|督导|发布|公布|解读|图解|答记者问")
# Navigation and page furniture glued in front of a name by scrapers and extractors.
_NAV_SEPARATORS = re.compile(r".*[>›»|｜/\\：:]")
_PAGE_WORDS = r"您当前的?位置|当前位置|您的位置|所在位置|返回首页|网站首页|首页|正文|打印本页|关闭窗口"
_PAGE_NAV = re.compile(rf"^(?:{_PAGE_WORDS})")
_NAV_WORDS = re.compile(
    rf"^(?:{_PAGE_WORDS}|政府信息公开年度报告|政府信息公开年报|信息公开年报|公开年报|年度报告|"
    r"政务公开|政府信息公开|信息公开)"
)
_MARKUP = re.compile(r"[#*_`~\[\]]+")
_METADATA_TITLE = re.compile(r"^标题[:：]\s*(?P<title>.+)$")
_DATE = re.compile(
    r"^(?:(?:19|20)\d{2}|二[〇○零0]{1}[一二三四五六七八九〇○零]{2})年"
    r"[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日$"
)
# "泽曲镇根据《条例》…": a place standing for its organ
_BARE_PLACE = r"(?:开发区|园区|新区|镇|乡|街道|苏木|区|县|市|旗)"
_ORG_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|街道办事处|办事处|管理委员会|管委会|委员会"
    r"|办公厅|办公室|局|委|厅|中心|政府)"
)
_SIGNATURE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,40}}{_ORG_SUFFIX}$")
_METADATA_DATE = re.compile(r"^(?:发布时间|发布日期|成文日期|日期)[:：]\s*(?P<date>.+)$")
_ISO_PARTS = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_BODY_ORG = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:镇|乡|街道))(?:人民政府|办事处)")
_NOT_IN_ORG_NAME = re.compile(r"报告|公开|工作|根据|按照")
# The organ that opens the preamble: "骑岭乡人民政府根据《中华人民共和国政府信息公开条例》…".
_LEAD_ORG = re.compile(
    rf"^(?P<org>[\u4e00-\u9fff（）()]{{2,40}}?(?:{_ORG_SUFFIX}|{_BARE_PLACE}))"
    r"(?:根据|按照|依据|依照)"
)
_PERIOD_YEAR = re.compile(r"统计(?:期限|数据|时限|周期|区间)?.{0,12}?((?:19|20)\d{2})年1月1日")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)")
_NARRATIVE_YEAR = re.compile(r"^((?:19|20)\d{2})年(?:[，,]|以来|度[，,]|全年)")  # a paragraph opening "2024年，我乡…"
_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "0": 0}
_REPORT_WORDS = re.compile(r"信息公开.{0,6}报告|年度报告")
# The six sections every report since 2008 has (docs/formats.md#normalisation), as a heading line starts.
_SECTION_HEADINGS = tuple(
    re.compile(p)
    for p in (
        r"总体情况|概述|基本(?:工作)?情况",
        r"主动公开政府信息(?:的)?情况",
        r"收到和处理政府信息公开申请|依申请公开",
        r"行政复议.{0,3}行政诉讼",
        r"存在的?主要?问题",
        r"其他需要报告的事项",
    )
)
_HEADING_NUMERAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.]|\([一二三四五六七八九十\d]+\))")

_REGION_PARTS = re.compile(
    r"^(?P<province>[\u4e00-\u9fff]{2,7}?(?:省|自治区))?"
    r"(?P<city>[\u4e00-\u9fff]{1,8}?(?:自治州|市|州|盟|地区))?"
    r"(?P<county>[\u4e00-\u9fff]{1,9}?(?:自治县|县|区|旗))?"
    r"(?P<township>[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))?"
)
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


@dataclass(frozen=True)
class ReportMeta:
    title: str | None
    publisher: str | None
    publisher_source: str | None  # title | signature | lead | body
    signature: str | None  # the organ name signed above the date at the end
    report_year: int | None
    year_source: str | None  # title | period | body
    published_on: str | None  # ISO date the report was signed or posted, when printed
    published_source: str | None  # signature | metadata
    looks_like_report: bool
    kind: str = "report"  # report | notice | guide | news (what the document's heading says it is)
    year_warnings: tuple[str, ...] = ()  # other evidence of the year that disagrees with the one chosen


def _clean(text: str) -> str:
    return text.strip().strip("\u3000\u2002 \t")


def _texts(rows: Iterable[Row]) -> Iterator[str]:
    """The non-empty lines, stripped."""
    return (text for text in (_clean(r.text) for r in rows) if text)


def find_title(rows: list[Row], head: int = 20) -> str | None:
    """The title: a scraper's '标题:' line, else the first short line near the top naming a year and 报告.

    A title printed over two lines ("洪泽区人民政府" / "2023 年政府信息公开工作年度报告", or
    "…政府信息公开工作" / "年度报告") is joined.
    """
    texts = list(islice(_texts(rows), head))
    for text in texts:
        meta = _METADATA_TITLE.match(text)
        if meta:
            return _clean(meta["title"])
    for index, text in enumerate(texts):
        previous = texts[index - 1] if index else ""
        candidates = [text, text + (texts[index + 1] if index + 1 < len(texts) else "")]
        if _SIGNATURE.match(squash(previous)):
            candidates.insert(0, previous + text)  # the publisher on the line above the year
        for candidate in candidates:
            core = _strip_furniture(candidate, _PAGE_NAV) or ""
            match = _TITLE.match(squash(core))
            if len(squash(core)) <= 60 and match and not _NOT_A_TITLE.search(clean_name(match["prefix"]) or ""):
                return core
    return next(
        (
            text
            for text in texts
            if len(squash(text)) <= 60
            and (match := _TITLE_NO_YEAR.match(squash(text)))
            and not _NOT_A_TITLE.search(match["prefix"])
        ),
        None,
    )


def clean_name(printed: str | None) -> str | None:
    """An organ name without markup or navigation glued in front of it.

    "**上海市科委**" -> "上海市科委"; "您当前的位置:首页>政务公开>正文上海市崇明区人民政府" -> "上海市崇明区人民政府";
    "返回首页莆田市城市管理局" -> "莆田市城市管理局". A navigation word is only cut when a name of 4 or more characters
    remains, so "政府信息公开办公室" stays whole.
    """
    return _strip_furniture(printed, _NAV_WORDS) if printed else None


def _strip_furniture(printed: str, words: re.Pattern[str]) -> str | None:
    """``printed`` without markup, without everything up to the last navigation separator, and without
    leading ``words`` (cut only while 4 or more characters remain that do not start an office's name)."""
    name = _NAV_SEPARATORS.sub("", _MARKUP.sub("", printed)).strip()
    while (
        (match := words.match(name))
        and len(name) - match.end() >= 4
        and not name.startswith(("办公", "领导小组", "工作"), match.end())
    ):
        name = name[match.end() :]
    return name or None


def _publisher_from_title(title: str) -> str | None:
    match = _TITLE.match(squash(title))
    if match:
        return clean_name(match["prefix"] or match["infix"] or None)
    match = _TITLE_NO_YEAR.match(squash(title))
    return clean_name(match["prefix"] or None) if match else None


def _publisher_from_lead(rows: list[Row], head: int = 20) -> tuple[str | None, bool]:
    """The organ opening the preamble ("骑岭乡人民政府根据《…条例》…"), and whether it is a bare place name."""
    for text in islice(_texts(rows), head):
        if match := _LEAD_ORG.match(squash(text)):
            return match["org"], not re.search(_ORG_SUFFIX + "$", match["org"])
    return None, False


def _signature(rows: list[Row], tail: int = 15) -> tuple[str | None, str | None]:
    """The organ signed at the end and the date below it ("钦北区长滩镇人民政府" / "2022年1月17日")."""
    texts = [squash(text) for text in islice(_texts(reversed(rows)), tail)][::-1]
    for index, text in enumerate(texts):
        if _DATE.match(text) and index > 0 and _SIGNATURE.match(texts[index - 1]):
            return texts[index - 1], text
    return None, None


def _iso_date(printed: str) -> str | None:
    """'2022年1月17日', '2020-01-20 15:22' or '二〇二〇年一月十八日' -> an ISO date."""
    match = _ISO_PARTS.search(printed) or _ISO_PARTS.search(_arabic_date(printed))
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _arabic_date(printed: str) -> str:
    """'二〇二〇年一月十八日' -> '2020年1月18日' (year digit by digit; month and day as numbers up to 三十一)."""
    match = re.fullmatch(
        r"([〇○零0一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月"
        r"([一二三四五六七八九十]{1,3})日",
        printed,
    )
    if not match:
        return printed
    year = "".join(str(_CHINESE_DIGITS[c]) for c in match.group(1))
    return f"{year}年{_small_number(match.group(2))}月{_small_number(match.group(3))}日"


def _small_number(text: str) -> int:
    """一 .. 三十一: 十 counts ten, a digit before it multiplies, a digit after it adds."""
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def _published_on(rows: list[Row], signed: str | None) -> tuple[str | None, str | None]:
    """The publication date: a scraper's '发布时间:' line near the top, else the signature date."""
    for text in islice(_texts(rows), 12):
        match = _METADATA_DATE.match(text)
        if match and (date := _iso_date(match["date"])):
            return date, "metadata"
    if signed and (date := _iso_date(signed)):
        return date, "signature"
    return None, None


def _publisher_from_body(rows: list[Row]) -> str | None:
    """The township organ the body names most often, read line by line."""
    names = Counter(
        m.group(0)
        for row in rows
        for m in _BODY_ORG.finditer(squash(row.text))
        if not _NOT_IN_ORG_NAME.search(m.group(1))
    )
    return names.most_common(1)[0][0] if names else None


def _year_evidence(title: str | None, text: str, rows: list[Row]) -> list[tuple[int, str]]:
    """Every reading of the report year, strongest first: title, statistics period, body."""
    found: list[tuple[int, str]] = []
    if title and (match := _TITLE.match(squash(title))):
        found.append((int(match["year"]), "title"))
    if match := _PERIOD_YEAR.search(text):
        found.append((int(match.group(1)), "period"))
    # the body: the year its "2024年政府信息公开…" phrases and "2024年，…" paragraphs name most often
    body_years = Counter(int(m.group(1)) for m in _BODY_YEAR.finditer(text[:6000]))
    body_years.update(
        int(m.group(1)) for line in islice(_texts(rows), 80) if (m := _NARRATIVE_YEAR.match(squash(line)))
    )
    if body_years:
        most = max(body_years.values())
        found.append((next(y for y in _ordered_years(text, body_years) if body_years[y] == most), "body"))
    return found


def _ordered_years(text: str, years: Counter[int]) -> list[int]:
    """The years in the order the text first mentions them (ties go to the first mentioned)."""
    return sorted(years, key=lambda y: text.find(str(y)) if str(y) in text else len(text))


def _document_kind(rows: list[Row], title: str | None) -> str:
    """What the heading says the document is when no report title is printed: notice, guide, news or report."""
    if title:
        return "report"
    texts = list(islice(_texts(rows), 12))
    headings = [_clean(m["title"]) for text in texts if (m := _METADATA_TITLE.match(text))] or [
        text for text in texts[:3] if len(squash(text)) <= 80
    ]
    for heading in (squash(h) for h in headings[:1]):
        if _GUIDE_HEADING.search(heading):
            return "guide"
        if _NOTICE_HEADING.match(heading) and not _COVER_LETTER.search(heading):
            return "notice"
        if _NEWS_HEADING.search(heading) and not _COVER_LETTER.search(heading):
            return "news"
    return "report"


def read_meta(rows: list[Row]) -> ReportMeta:
    """Title, publisher and year as the report prints them."""
    title = find_title(rows)
    text = squash("\n".join(r.text for r in rows))
    publisher, source = None, None
    signature, signed = _signature(rows)
    lead, lead_is_bare_place = _publisher_from_lead(rows)
    for candidate, name in (
        (_publisher_from_title(title) if title else None, "title"),
        (signature, "signature"),
        (None if lead_is_bare_place else lead, "lead"),
        (_publisher_from_body(rows), "body"),
        (lead if lead_is_bare_place else None, "lead"),  # "泽曲镇根据…" when no "泽曲镇人民政府" is printed
    ):
        if candidate:
            publisher, source = clean_name(candidate), name
            break
    years = _year_evidence(title, text, rows)
    year, year_source = years[0] if years else (None, None)
    disagreeing = tuple(f"{where} says {other}" for other, where in years[1:] if other != year and where != "body")
    looks_like_report = bool(title and _REPORT_WORDS.search(squash(title))) or _section_count(rows) >= 3
    published_on, published_source = _published_on(rows, signed)
    return ReportMeta(
        title,
        publisher,
        source,
        signature,
        year,
        year_source,
        published_on,
        published_source,
        looks_like_report,
        _document_kind(rows, title),
        disagreeing,
    )


def _section_count(rows: list[Row]) -> int:
    """How many of the six report sections have a numbered heading line (a news item or a guide has few)."""
    found: set[int] = set()
    for row in rows:
        text = squash(row.text)
        if len(text) <= 40 and _HEADING_NUMERAL.match(text):
            found.update(i for i, pattern in enumerate(_SECTION_HEADINGS) if pattern.search(text))
    return len(found)


def org_type(publisher: str | None) -> str | None:
    """Publisher type from its name (docs/formats.md#publishers, org_type)."""
    if not publisher:
        return None
    for pattern, kind in (
        (r"(?:办公厅|办公室)$", "gov_office"),
        (r"(?:街道办事处|街道)$", "subdistrict_office"),
        (r"(?:管委会|管理委员会|开发区|园区|新区)$", "dev_zone_committee"),
        (r"(?:人民政府|政府)$", "people_gov"),
        (r"(?:镇|乡|苏木|县|区|市|旗)$", "people_gov"),  # a bare place name stands for its government
        (r"(?:局|委员会|委|厅|办|中心|所|站|队)$", "department"),
    ):
        if re.search(pattern, publisher):
            return kind
    return "other"


def region_parts(publisher: str | None) -> dict[str, str | None]:
    """Province, city, county and township names as printed in the publisher name (no resolution)."""
    parts: dict[str, str | None] = {"province": None, "city": None, "county": None, "township": None}
    if not publisher:
        return parts
    core = re.sub(_ORG_SUFFIX + "$", "", publisher)
    for municipality in _MUNICIPALITIES:
        if core.startswith(municipality):
            parts["province"] = municipality
            core = core[len(municipality) :]
    match = _REGION_PARTS.match(core)
    if match:
        for level in parts:
            parts[level] = parts[level] or match.group(level)
    return parts


def admin_level(parts: dict[str, str | None]) -> str | None:
    """The publisher's administrative level from the deepest region part it names."""
    levels = (("township", "township"), ("county", "county"), ("city", "prefecture"), ("province", "province"))
    for level, name in levels:
        if parts[level]:
            return name
    return None
