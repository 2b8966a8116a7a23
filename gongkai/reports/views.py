"""What the auditor site's pages show, as plain values: reports, findings, evidence cells, lists of the run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from gongkai.reports.formatting import cell_label, format_decimal, scope_label, short_id, source_link, text, visible_raw
from gongkai.reports.labels import (
    SEVERITY_LABELS,
    UNKNOWN_YEAR,
    VALUE_STATUS_LABELS,
    family_label,
    rule_family,
    status_css,
    status_label,
)
from gongkai.reports.locators import readable
from gongkai.reports.reviews import REVIEW_STATUSES

MAX_CELLS_PER_FINDING = 30  # evidence rows shown per finding; the rest are counted
MAX_WARNINGS_PER_REPORT = 50  # parser warnings shown per report; the rest are counted

CLUE_KIND_LABELS = {
    "name": "区划名",
    "short": "区划简称",
    "phone_area_code": "电话区号",
    "postal_code": "邮政编码",
    "domain": "网站域名",
    "wording": "措辞",
    "vintage": "区划年份",
    "variant": "名称变体",
}
CLUE_WHERE_LABELS = {
    "strong": "强区",
    "body": "正文",
    "text": "正文",
    "source_uri": "来源地址",
    "publisher": "发布机关",
    "year": "报告年度",
}


@dataclass(frozen=True)
class Count:
    """A labelled count, e.g. one finding status."""

    key: str
    label: str
    value: Any
    css: str = ""


@dataclass(frozen=True)
class WarningView:
    code: str
    detail: str


@dataclass(frozen=True)
class CellView:
    key: str
    label: str
    value: str
    raw: str
    status: str
    locator: str
    readable: str  # the locator in Chinese (reports/locators.py)
    href: str  # opens the copied source file there (a PDF at the page); "" when not copied


@dataclass(frozen=True)
class ComparedView:
    """The other report a cross-year finding compared with."""

    label: str  # e.g. "2021 年度 某县人民政府 报告"
    href: str  # its page, beside the page that links it; "" when it has no page


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    family: str
    family_label: str
    status: str
    status_label: str
    css: str
    severity: str
    severity_label: str
    scope: str
    scope_label: str
    message: str
    left: str
    right: str
    delta: str
    has_values: bool  # False when left, right and delta are all null
    cells: list[CellView]
    cells_total: int
    cells_note: str  # set when the cells text is not a JSON list of cells
    compared: ComparedView | None = None
    review_label: str = ""  # 审核结论 in force ("" when not reviewed)
    review_note: str = ""
    reviewed_at: str = ""


@dataclass(frozen=True)
class PassedView:
    """A passed finding, in the folded list of a report's page."""

    rule_id: str
    scope_label: str
    message: str
    left: str
    right: str


@dataclass(frozen=True)
class ReportView:
    """One report with its finding and review counts."""

    report_id: str
    page: str  # its page's file name under reports/
    publisher: str
    title: str
    year: int | None
    format_version: str
    format_label: str
    file_name: str
    source_uri: str
    file_id: str
    parse_status: str
    parse_status_label: str
    warnings: list[WarningView]
    province: str
    city: str
    county: str
    township: str
    region_status: str
    region_status_label: str
    region_confidence: str
    region_review: bool
    region_evidence: str | None  # reports.region_clues as stored (JSON), read only for the pages that show it
    n_fail: int
    n_fail_by_severity: dict[str, int]  # E, W, I (and any other severity found)
    n_uncertain: int
    n_lenient: int
    n_not_assessable: int
    n_pass: int
    n_total: int
    reviews: dict[str, int]  # 审核结论 label -> FAIL/UNCERTAIN findings decided so
    n_open: int  # FAIL/UNCERTAIN findings without a decision
    failed_rules: list[str] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return str(self.year) if self.year is not None else UNKNOWN_YEAR

    @property
    def file_id_short(self) -> str:
        return short_id(self.file_id)

    @property
    def region(self) -> str:
        """The official names resolved, e.g. "河南省 洛阳市 孟津区 城关镇"."""
        return " ".join(p for p in (self.province, self.city, self.county, self.township) if p)

    @property
    def has_problems(self) -> bool:
        return bool(self.n_fail or self.n_uncertain)

    @cached_property
    def _evidence(self) -> dict[str, Any]:
        return parse_region_clues(self.region_evidence)

    @property
    def region_note(self) -> str:
        """Why the region needs review, in the resolver's words."""
        return str(self._evidence.get("note") or "")

    @property
    def region_clues(self) -> list[str]:
        """The clues that decided the region, one line each."""
        return [clue_text(c) for c in self._evidence.get("clues", [])]

    @property
    def region_candidates(self) -> list[str]:
        """The best-scoring regions, "id (score)"."""
        return [f"{c.get('region_id')} ({c.get('score')})" for c in self._evidence.get("candidates", [])]


@dataclass(frozen=True)
class RuleView:
    """One rule's results over the warehouse."""

    rule_id: str
    family: str
    family_label: str
    severity: str
    severity_label: str
    description: str  # the words before the first "。" of its messages (rules/messages.py writes them so)
    n_fail: int
    n_reports_failed: int
    n_uncertain: int
    n_total: int


@dataclass(frozen=True)
class CoverageView:
    """How many units of one level the reference data has below the regions the corpus covers, and how many
    published."""

    level_label: str
    year: str
    units: int
    published: int

    @property
    def share(self) -> str:
        return f"{100 * self.published / self.units:.1f}%" if self.units else "—"


@dataclass(frozen=True)
class StaleDecisionView:
    """An auditor's decision whose finding is no longer there (the parser or the report changed)."""

    file_id_short: str
    file_name: str
    rule_id: str
    scope_label: str
    review_label: str
    review_note: str
    reviewed_at: str


@dataclass(frozen=True)
class QuarantineView:
    file_name: str
    file_id: str
    file_id_short: str
    source_uri: str
    media_type: str
    stage: str
    stage_label: str
    reason_code: str
    reason_label: str
    reason: str


@dataclass(frozen=True)
class SkippedView:
    """An inbox entry the run did not read (from the run summary)."""

    path: str
    code: str
    label: str
    detail: str


@dataclass(frozen=True)
class WebFailureView:
    """A URL the run could not fetch or land (from the run summary's web intake)."""

    url: str
    code: str
    label: str
    detail: str
    status: str  # HTTP status of the last response, or "—"
    parent: str  # the page that linked it, or ""


def finding_view(
    rule_id: str | None,
    family: str | None,
    scope: str | None,
    status: str,
    severity: str | None,
    left: str | None,
    right: str | None,
    delta: str | None,
    cells_text: str | None,
    message: str | None,
    review_status: str | None = None,
    review_note: str | None = None,
    reviewed_at: datetime | None = None,
    *,
    source_href: str = "",
    compared: ComparedView | None = None,
) -> FindingView:
    """A finding as shown, its numbers already as text (loading.number_text); its cells' locators link to the source
    copy at ``source_href``."""
    cells, cells_total, cells_note = parse_cells(cells_text, source_href)
    family_key = rule_family(rule_id, family)
    return FindingView(
        rule_id=rule_id or "",
        family=family_key,
        family_label=family_label(family_key),
        status=status,
        status_label=status_label(status),
        css=status_css(status),
        severity=severity or "",
        severity_label=SEVERITY_LABELS.get(severity or "", severity or "—"),
        scope=scope or "",
        scope_label=scope_label(rule_id or "", scope),
        message=message or "",
        left=left if left is not None else "—",
        right=right if right is not None else "—",
        delta=delta if delta is not None else "—",
        has_values=not (left is None and right is None and delta is None),
        cells=cells,
        cells_total=cells_total,
        cells_note=cells_note,
        compared=compared,
        review_label=REVIEW_STATUSES.get(review_status or "", review_status or ""),
        review_note=review_note or "",
        reviewed_at=reviewed_at.isoformat(timespec="seconds") if reviewed_at else "",
    )


def parse_cells(cells_text: str | None, source_href: str = "") -> tuple[list[CellView], int, str]:
    """Evidence cells from the findings.cells JSON text: (shown cells, total count, note on bad input); each locator
    in Chinese, linked to the source copy at ``source_href`` (a PDF at the cell's page)."""
    if not cells_text:
        return [], 0, ""
    try:
        items = json.loads(cells_text)
    except ValueError:
        return [], 0, cells_text
    if not isinstance(items, list):
        return [], 0, cells_text
    views = []
    for item in items[:MAX_CELLS_PER_FINDING]:
        if not isinstance(item, dict):
            item = {"cell": text(item)}
        key = text(item.get("cell"))
        locator = text(item.get("locator"))
        views.append(
            CellView(
                key=key,
                label=text(item.get("label")) or cell_label(key),
                value=format_decimal(item.get("value")),
                raw=visible_raw(None if item.get("raw") is None else text(item.get("raw"))),
                status=VALUE_STATUS_LABELS.get(text(item.get("status")), text(item.get("status")) or "—"),
                locator=locator,
                readable=readable(locator),
                href=source_link(source_href, locator),
            )
        )
    return views, len(items), ""


def parse_warnings(warnings_text: str | None) -> list[WarningView]:
    """Parser warnings from the reports.warnings JSON text; text that is not JSON is shown as it is."""
    if not warnings_text:
        return []
    try:
        items = json.loads(warnings_text)
    except ValueError:
        return [WarningView("", warnings_text)]
    if not isinstance(items, list):
        items = [items]
    return [
        WarningView(text(i.get("code")), text(i.get("detail"))) if isinstance(i, dict) else WarningView("", text(i))
        for i in items
    ]


def parse_region_clues(clues_text: str | None) -> dict[str, Any]:
    """The reports.region_clues JSON object; anything else gives an empty one."""
    try:
        evidence = json.loads(clues_text) if clues_text else {}
    except ValueError:
        return {"note": clues_text}
    return evidence if isinstance(evidence, dict) else {}


def clue_text(clue: dict[str, Any]) -> str:
    """One clue as a line: '县名 孟津区（正文）+8.0'."""
    kind = CLUE_KIND_LABELS.get(str(clue.get("kind")), str(clue.get("kind")))
    where = CLUE_WHERE_LABELS.get(str(clue.get("where")), str(clue.get("where")))
    points = clue.get("points")
    sign = f"{points:+g}" if isinstance(points, (int, float)) else ""
    return f"{kind} {clue.get('value')}（{where}）{sign}"
