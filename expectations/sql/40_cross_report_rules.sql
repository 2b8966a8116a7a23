-- Rules across reports of the same organisation (docs/formats.md#cross-report-rules). report_pairs (built in Python by
-- gongkai.rules.pairs from region code + normalised organ name + organ type, with the alias table of renamed
-- bodies) gives each report the previous report of its organisation. compared_report_id names it in findings.
-- Bodies merged in a reform (several reports of the previous year matched through an alias) are not compared:
-- which of them to compare is unknown.

CREATE TABLE consecutive_pairs AS
SELECT p.report_id, p.prev_report_id, p.alias_applied, r.report_year, q.report_year AS prev_year,
       r.format_version, q.format_version AS prev_format
FROM report_pairs p JOIN reports r USING (report_id) JOIN reports q ON q.report_id = p.prev_report_id
WHERE p.consecutive AND NOT (len(p.duplicates) > 0 AND p.alias_applied IS NOT NULL);

-- XR_CARRY: 上年结转 of year y = 结转下年度 of year y−1, in every column (fmt2019 ↔ fmt2021 included). A column other
-- than 总计 that differs while 总计 agrees is a warning.
CREATE TABLE rule_xr_carry AS
SELECT c.report_id, 'col=' || a.col_key AS scope, a.mode, a.carried_in AS left_value, b.carried_out AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete, c.prev_report_id AS compared_report_id,
       ['T3.carried_in.' || a.col_key, 'prev:T3.carried_out.' || a.col_key] AS evidence,
       CASE WHEN a.col_key <> 'total' AND tot_a.carried_in = tot_b.carried_out THEN 'W' END AS severity,
       '对比' || c.prev_year || '年度报告的结转下年度' AS detail
FROM consecutive_pairs c
JOIN t3_by_col a ON a.report_id = c.report_id
JOIN t3_by_col b ON b.report_id = c.prev_report_id AND b.mode = a.mode AND b.col_key = a.col_key
LEFT JOIN t3_by_col tot_a ON tot_a.report_id = c.report_id AND tot_a.mode = a.mode AND tot_a.col_key = 'total'
LEFT JOIN t3_by_col tot_b ON tot_b.report_id = c.prev_report_id AND tot_b.mode = a.mode AND tot_b.col_key = 'total';

-- XR_VALID (fmt2021 → fmt2021): 现行有效_y = 现行有效_{y−1} + 制发_y − 废止_y.
CREATE TABLE rule_xr_valid AS
SELECT c.report_id, 'row=' || a.row_key AS scope, a.mode, a.valid AS left_value,
       b.valid + a.made - a.repealed AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete, c.prev_report_id AS compared_report_id,
       ['T2_1.' || a.row_key || '.valid', 'T2_1.' || a.row_key || '.made', 'T2_1.' || a.row_key || '.repealed',
        'prev:T2_1.' || a.row_key || '.valid'] AS evidence,
       '对比' || c.prev_year || '年度报告的现行有效件数' AS detail
FROM consecutive_pairs c
JOIN t2_by_row a ON a.report_id = c.report_id AND a.table_id = 'T2_1'
JOIN t2_by_row b ON b.report_id = c.prev_report_id AND b.mode = a.mode AND b.table_id = 'T2_1' AND b.row_key = a.row_key
WHERE c.format_version = 'fmt2021' AND c.prev_format = 'fmt2021';

-- XR_ITEMS_2019 (fmt2019 → fmt2019): 上一年项目数量_y = 上一年项目数量_{y−1} + 本年增/减_{y−1}.
CREATE TABLE rule_xr_items_2019 AS
SELECT c.report_id, 'row=' || a.row_key AS scope, a.mode, a.items_prev_year AS left_value,
       b.items_prev_year + b.items_change AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete, c.prev_report_id AS compared_report_id,
       [a.table_id || '.' || a.row_key || '.items_prev_year', 'prev:' || a.table_id || '.' || a.row_key || '.items_prev_year',
        'prev:' || a.table_id || '.' || a.row_key || '.items_change'] AS evidence,
       '对比' || c.prev_year || '年度报告的上一年项目数量与本年增/减' AS detail
FROM consecutive_pairs c
JOIN t2_by_row a ON a.report_id = c.report_id AND a.table_id IN ('T2_5', 'T2_6', 'T2_8')
JOIN t2_by_row b ON b.report_id = c.prev_report_id AND b.mode = a.mode AND b.table_id = a.table_id
                AND b.row_key = a.row_key
WHERE c.format_version = 'fmt2019' AND c.prev_format = 'fmt2019';

-- XR_PUBTOTAL_2019 (fmt2019 → fmt2019): 对外公开总数量 does not fall.
CREATE TABLE rule_xr_pubtotal_2019 AS
SELECT c.report_id, 'row=' || a.row_key AS scope, a.mode, a.published_total AS left_value,
       b.published_total AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete, c.prev_report_id AS compared_report_id,
       ['T2_1.' || a.row_key || '.published_total', 'prev:T2_1.' || a.row_key || '.published_total'] AS evidence,
       '对比' || c.prev_year || '年度报告的对外公开总数量' AS detail
FROM consecutive_pairs c
JOIN t2_by_row a ON a.report_id = c.report_id AND a.table_id = 'T2_1'
JOIN t2_by_row b ON b.report_id = c.prev_report_id AND b.mode = a.mode AND b.table_id = 'T2_1' AND b.row_key = a.row_key
WHERE c.format_version = 'fmt2019' AND c.prev_format = 'fmt2019';

-- XR_FORMAT_CONTINUITY: the format changes only from 2018 to 2019 and from 2020 to 2021.
CREATE TABLE rule_xr_format_continuity AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, format_version, prev_format,
       format_version = prev_format OR (report_year = 2019 AND prev_year = 2018)
           OR (report_year = 2021 AND prev_year = 2020) AS change_allowed,
       true AS complete, prev_report_id AS compared_report_id, ['report:format_version'] AS evidence,
       prev_year || '年度：' || prev_format || '；' || report_year || '年度：' || format_version AS detail
FROM consecutive_pairs
WHERE format_version IN ('fmt2021', 'fmt2019', 'pre2019') AND prev_format IN ('fmt2021', 'fmt2019', 'pre2019');

-- Publication deadlines, where the publication date is printed (条例 art. 49).
CREATE TABLE dated_reports AS
SELECT report_id, report_year, published_on, org_type, admin_level, region_code, format_version,
       ['report:published_on'] AS evidence
FROM reports WHERE published_on IS NOT NULL AND report_year IS NOT NULL
  AND format_version IN ('fmt2021', 'fmt2019', 'pre2019');

CREATE TABLE rule_xr_deadline_dept AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, published_on,
       make_date(report_year + 1, 1, 31) AS deadline, true AS complete, evidence,
       '发布日期' || strftime(published_on, '%Y-%m-%d') || '，期限' || strftime(deadline, '%Y-%m-%d') AS detail
FROM dated_reports
WHERE report_year >= 2019 AND org_type = 'department' AND admin_level IN ('province', 'prefecture', 'county');

CREATE TABLE rule_xr_deadline_gov AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, published_on,
       make_date(report_year + 1, 3, 31) AS deadline, true AS complete, evidence,
       '发布日期' || strftime(published_on, '%Y-%m-%d') || '，期限' || strftime(deadline, '%Y-%m-%d') AS detail
FROM dated_reports
WHERE report_year >= 2019 AND org_type IN ('people_gov', 'gov_office')
  AND admin_level IN ('province', 'prefecture', 'county');

-- 乡镇/街道: no deadline in the 条例; the local notice's date where data_lake/reference/local_deadlines.csv has one.
CREATE TABLE rule_xr_deadline_township AS
SELECT d.report_id, 'report' AS scope, 'strict' AS mode, d.published_on,
       make_date(d.report_year + 1, l.month::INTEGER, l.day::INTEGER) AS deadline, true AS complete, d.evidence,
       '发布日期' || strftime(d.published_on, '%Y-%m-%d') || '，' || l.notice || '规定的期限'
           || strftime(deadline, '%Y-%m-%d') AS detail
FROM dated_reports d
JOIN local_deadlines l ON starts_with(d.region_code, l.region_code_prefix)
WHERE d.report_year >= 2019 AND d.admin_level = 'township'
QUALIFY row_number() OVER (PARTITION BY d.report_id ORDER BY length(l.region_code_prefix) DESC) = 1;

CREATE TABLE rule_xr_deadline_pre2019 AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, published_on,
       make_date(report_year + 1, 3, 31) AS deadline, true AS complete, evidence,
       '发布日期' || strftime(published_on, '%Y-%m-%d') || '，期限' || strftime(deadline, '%Y-%m-%d') AS detail
FROM dated_reports WHERE report_year <= 2018;

-- XR_DUP_TEXT: sections 一, 五, 六 nearly identical to last year's (Jaccard of character 5-grams > 0.9), compared
-- without whitespace and with fullwidth punctuation read as ASCII (docs/formats.md#normalisation: NFKC): a copy republished by
-- a site that prints "," for "，" is still a copy.
CREATE TABLE section_grams AS
SELECT report_id, section_key,
       list_distinct(list_transform(range(1, length(t) - 3), i -> substr(t, i::INTEGER, 5))) AS grams
FROM (SELECT report_id, section_key, translate(regexp_replace(text, '\s+', '', 'g'), '，：；（）！？．', ',:;()!?.') AS t
      FROM sections WHERE section_key IN ('s1_overview', 's5_problems', 's6_other'))
WHERE length(t) >= 50;

CREATE TABLE rule_xr_dup_text AS
SELECT c.report_id, 'section=' || a.section_key AS scope, 'strict' AS mode,
       round(len(list_intersect(a.grams, b.grams)) / len(list_distinct(list_concat(a.grams, b.grams))), 4)
           AS left_value,
       true AS complete, c.prev_report_id AS compared_report_id, ['section:' || a.section_key] AS evidence,
       '与' || c.prev_year || '年度报告同一部分的相似度为' || round(left_value * 100, 1) || '%' AS detail
FROM consecutive_pairs c
JOIN section_grams a ON a.report_id = c.report_id
JOIN section_grams b ON b.report_id = c.prev_report_id AND b.section_key = a.section_key;

-- XR_SEC5_FOLLOWUP (I, fmt2021): last year listed problems in 五; this year's 五 refers back to them.
CREATE TABLE rule_xr_sec5_followup AS
SELECT c.report_id, 'section=s5_problems' AS scope, 'strict' AS mode,
       -- "上年结转" (carried over from last year) is table wording, not a reference to last year's problems
       regexp_matches(regexp_replace(coalesce(a.s5_problems, ''), '上一?年度?结转', '', 'g'),
                      '上一?年度?|去年|' || c.prev_year || '\s*年') AS refers_back,
       true AS complete, c.prev_report_id AS compared_report_id, ['section:s5_problems'] AS evidence
FROM consecutive_pairs c
JOIN report_texts a ON a.report_id = c.report_id
JOIN report_texts b ON b.report_id = c.prev_report_id
WHERE c.format_version = 'fmt2021' AND length(coalesce(b.s5_problems, '')) >= 20;

-- XR_MISSING_YEAR (I): the organisation's previous report is older than last year.
CREATE TABLE rule_xr_missing_year AS
SELECT p.report_id, 'report' AS scope, 'strict' AS mode, r.report_year AS left_value, q.report_year AS right_value,
       true AS complete, p.prev_report_id AS compared_report_id, ['report:report_year'] AS evidence,
       '本库中该机关的上一份报告为' || q.report_year || '年度，没有' || array_to_string(
           list_transform(range(q.report_year + 1, r.report_year), y -> y::VARCHAR), '、')
           || '年度的报告（未公开，或未收集）' AS detail
FROM report_pairs p JOIN reports r USING (report_id) JOIN reports q ON q.report_id = p.prev_report_id;

-- XR_T4_PENDING (I): cases still pending last year may reappear this year (never enforced as an equality).
CREATE TABLE rule_xr_t4_pending AS
SELECT c.report_id, 'report' AS scope, t.mode,
       t.review_pending + t.lit_direct_pending + t.lit_after_review_pending AS left_value,
       left_value IS NOT NULL AS complete, c.prev_report_id AS compared_report_id,
       ['prev:T4.review.pending', 'prev:T4.lit_direct.pending', 'prev:T4.lit_after_review.pending'] AS evidence,
       c.prev_year || '年度报告中尚未审结的案件' AS detail
FROM consecutive_pairs c JOIN report_totals t ON t.report_id = c.prev_report_id
WHERE t.format_version IN ('fmt2021', 'fmt2019');
