"""Arrow schemas of the lake's Parquet tables: the data contract documented in README.md.

Every table is written as part files under ``<lake>/<layer>/<table>/part-*.parquet`` and loaded
by dbt into ``<lake>/warehouse.duckdb`` under the same name.
"""

from __future__ import annotations

import pyarrow as pa

VALUE_TYPE = pa.decimal128(38, 10)  # never round a printed figure (fees print up to 6 decimals)

RAW = pa.schema(
    [
        ("file_id", pa.string()),  # sha256 of the bytes, hex
        ("file_name", pa.string()),
        ("source_uri", pa.string()),
        ("size_bytes", pa.int64()),
        ("media_type", pa.string()),  # sniffed from the bytes, not the extension
        ("landed_at", pa.timestamp("us", tz="UTC")),
        ("content", pa.large_binary()),
        # Files fetched from the web (gongkai/ingest/web); null for files from a folder. Parts landed before these
        # columns existed lack them: readers select the columns they need, or use .get().
        ("fetched_at", pa.timestamp("us", tz="UTC")),  # when the HTTP response was received
        ("http_status", pa.int32()),  # the final response's status (200)
        ("parent_uri", pa.string()),  # the page that links this attachment
        ("source_hints", pa.string()),  # JSON {publisher, region_code, year}: the manifest's hints (ingest.hints)
    ]
)

REPORTS = pa.schema(
    [
        ("report_id", pa.string()),
        ("file_id", pa.string()),
        ("source_uri", pa.string()),
        ("file_name", pa.string()),
        ("media_type", pa.string()),
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("publisher_source", pa.string()),  # title | signature | body
        # org_type: people_gov | gov_office | department | subdistrict_office | dev_zone_committee | other
        ("org_type", pa.string()),
        ("admin_level", pa.string()),  # the publisher's level: province | prefecture | county | township
        # The region the report is for, official names (MCA/NBS), filled only down to the level resolved.
        ("province", pa.string()),
        ("city", pa.string()),  # prefecture level; null under 直辖市 and for 省直辖县级 units
        ("county", pa.string()),
        ("township", pa.string()),
        ("region_id", pa.string()),  # data_lake/reference/regions key of the deepest level resolved
        ("region_level", pa.string()),  # level of region_id
        ("region_code", pa.string()),  # 12 digits, in region_code_system, valid in report_year's vintage
        ("region_code_system", pa.string()),  # nbs (统计用区划代码, years <= 2023) | mca (民政部, 2024 on)
        # region_status: resolved | partial | low_confidence | ambiguous | conflict | context_only | no_publisher
        ("region_status", pa.string()),
        ("region_confidence", pa.float64()),
        ("region_review", pa.bool_()),  # true: flagged for review, finer levels left empty
        ("region_clues", pa.string()),  # JSON: the clues that decided it and the competing candidates
        ("report_year", pa.int32()),  # the year the report covers, from its content
        ("year_source", pa.string()),  # title | period | body
        ("published_on", pa.date32()),  # publication date when printed (signature or page metadata)
        ("format_version", pa.string()),  # fmt2021 | fmt2019 | pre2019 | not_a_report | unknown
        ("parse_status", pa.string()),  # complete | partial | no_tables
        ("parser_version", pa.string()),
        ("warnings", pa.string()),  # JSON array of {"code", "detail"}
    ]
)

REPORT_CELLS = pa.schema(
    [
        ("report_id", pa.string()),
        ("table_id", pa.string()),  # T2_1, T2_5, T2_6, T2_8, T2_9, T3, T4
        ("row_key", pa.string()),
        ("col_key", pa.string()),
        ("value", VALUE_TYPE),  # null when blank, placeholder, text, missing or uncertain
        ("value_raw", pa.string()),  # the cell text exactly as printed
        ("value_status", pa.string()),  # number | zero | blank | placeholder | text | missing | uncertain
        ("label_raw", pa.string()),  # the row label as printed
        ("locator", pa.string()),  # where in the source: "line 48 cell 3", later "p3 bbox(..)", "table 2 r5 c3"
        ("confidence", pa.float64()),
    ]
)

REPORT_SECTIONS = pa.schema(
    [
        ("report_id", pa.string()),
        ("section_key", pa.string()),  # preamble | s1_overview … s6_other | signature (docs/formats.md#skeleton)
        ("order_index", pa.int32()),
        ("heading", pa.string()),  # the heading line as printed ("" for preamble and signature)
        ("text", pa.string()),  # the section's lines, heading excluded, joined with "\n"
        ("locator", pa.string()),  # "lines 12-40", "line 10 chars 377-900"
    ]
)

NARRATIVE_FACTS = pa.schema(
    [
        ("report_id", pa.string()),
        ("fact_key", pa.string()),  # apps_received, apps_carried_in, … (docs/formats.md#narrative-facts)
        ("value", VALUE_TYPE),  # the number stated; 0 for "未收到…" statements
        ("value_raw", pa.string()),  # the number (or negation word) as printed
        ("unit", pa.string()),  # 件 | 条 | 次 | 元 | 万元
        ("pattern", pa.string()),  # which narrative pattern matched; *_approx for "463余条"
        ("section_key", pa.string()),
        ("sentence", pa.string()),  # the clause it came from, verbatim
        ("locator", pa.string()),
    ]
)

FINDINGS = pa.schema(
    [
        ("report_id", pa.string()),
        ("rule_id", pa.string()),
        ("scope", pa.string()),  # e.g. "col=total", "row=review", "table=T3"
        ("status", pa.string()),  # PASS | PASS_LENIENT | FAIL | UNCERTAIN | NOT_ASSESSABLE (keys.FINDING_STATUSES)
        ("severity", pa.string()),  # E | W | I
        ("family", pa.string()),  # table | structure | narrative | cross_report (keys.RULE_FAMILIES)
        ("left_value", VALUE_TYPE),
        ("right_value", VALUE_TYPE),
        ("delta", VALUE_TYPE),  # left - right
        ("cells", pa.string()),  # JSON array: the operand cells with value, raw text and locator
        ("message", pa.string()),  # the rule in plain words (Chinese)
        ("compared_report_id", pa.string()),  # cross-report rules: the previous year's report that was compared
    ]
)

QUARANTINE = pa.schema(
    [
        ("file_id", pa.string()),
        ("file_name", pa.string()),
        ("source_uri", pa.string()),
        ("media_type", pa.string()),
        ("stage", pa.string()),  # land | read | parse
        ("reason_code", pa.string()),  # a key of gongkai.ingest.quarantine.QUARANTINE_REASONS
        ("reason", pa.string()),  # the detail, e.g. "timeout after 120 s"
        ("parser_version", pa.string()),  # the version that gave up; a newer one tries the file again
    ]
)

# The auditor's decisions on findings (gongkai review import): append-only parts under <lake>/reviews/decisions/,
# never written by a run. A decision is keyed by the file's sha256, the rule and the scope, so it survives re-runs
# and re-parses of the same file; the latest decision of a key wins.
REVIEW_DECISIONS = pa.schema(
    [
        ("file_id", pa.string()),  # sha256 of the report file
        ("rule_id", pa.string()),
        ("scope", pa.string()),
        ("review_status", pa.string()),  # confirmed | parse_error | explained | ignored (reviews.REVIEW_STATUSES)
        ("review_note", pa.string()),  # 审核意见, as the auditor wrote it
        ("reviewer", pa.string()),
        ("reviewed_at", pa.timestamp("us", tz="UTC")),  # when the decision was imported
        ("import_id", pa.string()),  # one id per import: the decisions' version
        ("source", pa.string()),  # the imported file's name
    ]
)

# The web intake's fetch log (gongkai/ingest/web): one row per URL and run, appended under <lake>/web/fetches/. The
# latest row of a URL says what the next run sends (its ETag / Last-Modified) and whether to retry it.
WEB_FETCHES = pa.schema(
    [
        ("run_id", pa.string()),
        ("url", pa.string()),  # as listed or linked (scheme and host lower case, no fragment)
        ("final_url", pa.string()),  # after redirects
        ("parent_url", pa.string()),  # the page that linked it (attachments, crawled pages)
        ("via", pa.string()),  # manifest | crawl | attachment | retry (a failure of an earlier run)
        ("depth", pa.int32()),  # links followed from the manifest or crawl start
        # role: file | report_page | listing (read for its links only, never landed); a failed row keeps the role it was
        # fetched in: document (a manifest URL) | file | page (crawl) | start (crawl)
        ("role", pa.string()),
        ("status", pa.int32()),  # HTTP status of the last response (null: none)
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("attempts", pa.int32()),  # requests made, retries included
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("content_type", pa.string()),
        ("bytes", pa.int64()),
        ("sha256", pa.string()),  # = file_id of the landed file (also for not_modified and duplicate)
        ("outcome", pa.string()),  # landed | not_modified | duplicate | listing | failed
        ("reason_code", pa.string()),  # failed: a key of gongkai.ingest.web.reasons.FETCH_REASONS
        ("reason", pa.string()),  # the auditor's words and the detail
        ("failed_runs", pa.int32()),  # consecutive runs in which this URL failed (0 unless failed)
        ("links", pa.string()),  # JSON [[url, role], …] followed from this page, replayed after a 304
        ("hints", pa.string()),  # JSON: the manifest's hints (gongkai.ingest.hints.SourceHints)
    ]
)

STAGING_TABLES = {
    "reports": REPORTS,
    "report_cells": REPORT_CELLS,
    "report_sections": REPORT_SECTIONS,
    "narrative_facts": NARRATIVE_FACTS,
    "findings": FINDINGS,
    "quarantine": QUARANTINE,
}
