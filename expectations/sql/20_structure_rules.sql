-- Structural rules of one report (docs/formats.md#structure-rules). Documents that are not reports have none.

CREATE TABLE structured_reports AS
SELECT r.*, t.full_text, t.preamble, t.s1_overview, t.s5_problems, t.s6_other
FROM reports r JOIN report_texts t USING (report_id)
WHERE r.format_version IN ('fmt2021', 'fmt2019', 'pre2019', 'unknown');

-- S_SECTIONS: the six sections 一 … 六 are present and in order (W for pre-2019 reports, which had no fixed outline).
CREATE TABLE rule_s_sections AS
WITH found AS (
    SELECT report_id, list(section_key ORDER BY order_index) AS keys
    FROM sections WHERE section_key LIKE 's_\_%' ESCAPE '\' GROUP BY report_id
)
SELECT r.report_id, 'report' AS scope, 'strict' AS mode,
       len(list_distinct(coalesce(f.keys, []))) AS left_value, 6 AS right_value,
       coalesce(f.keys, []) = list_sort(coalesce(f.keys, [])) AS in_order, true AS complete,
       ['section:s1_overview', 'section:s2_active', 'section:s3_requests', 'section:s4_review_litigation',
        'section:s5_problems', 'section:s6_other'] AS evidence,
       CASE WHEN r.format_version = 'pre2019' THEN 'W' END AS severity,
       '找到的部分：' || coalesce(array_to_string(list_transform(f.keys, k -> CASE k
           WHEN 's1_overview' THEN '一' WHEN 's2_active' THEN '二' WHEN 's3_requests' THEN '三'
           WHEN 's4_review_litigation' THEN '四' WHEN 's5_problems' THEN '五' ELSE '六' END), '、'), '无') AS detail
FROM structured_reports r LEFT JOIN found f USING (report_id);

-- S_FORMAT_DETECT: the format was recognised from the table headers.
CREATE TABLE rule_s_format_detect AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, format_version, true AS complete,
       ['report:format_version'] AS evidence
FROM structured_reports;

-- S_FORMAT_YEAR: year ≥ 2021 ⇒ fmt2021; 2019–2020 ⇒ fmt2019; ≤ 2018 ⇒ pre2019.
CREATE TABLE rule_s_format_year AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, format_version,
       CASE WHEN report_year >= 2021 THEN 'fmt2021' WHEN report_year >= 2019 THEN 'fmt2019' ELSE 'pre2019' END
           AS expected_format,
       true AS complete, ['report:report_year', 'report:format_version'] AS evidence,
       report_year || '年度报告，应使用' || CASE expected_format WHEN 'fmt2021' THEN '2021年版'
           WHEN 'fmt2019' THEN '2019年版' ELSE '2019年以前的' END || '格式' AS detail
FROM structured_reports WHERE report_year IS NOT NULL AND format_version <> 'unknown';

-- S_TITLE_YEAR: the year of the title, of the statistics period and of the narrative ("2022年，…") agree.
CREATE TABLE report_years AS
SELECT report_id,
       TRY_CAST(nullif(regexp_extract(title, '((?:19|20)\d{2})\s*年', 1), '') AS INTEGER) AS title_year,
       TRY_CAST(nullif(regexp_extract(full_text,
           '(?:统计|数据|期限|时间)[^。]{0,30}?((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日', 1), '') AS INTEGER)
           AS period_year,
       TRY_CAST(nullif(regexp_extract(coalesce(s1_overview, ''), '^\s*((?:19|20)\d{2})\s*年\s*[，,以来度]', 1), '')
           AS INTEGER) AS body_year
FROM structured_reports;

CREATE TABLE rule_s_title_year AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, title_year, period_year, body_year, true AS complete,
       list_distinct([y for y in [title_year, period_year, body_year] if y IS NOT NULL]) AS years_found,
       ['report:title'] AS evidence,
       '标题：' || coalesce(title_year::VARCHAR || '年', '未写年度') || '；统计期限：'
           || coalesce(period_year::VARCHAR || '年', '未写') || '；正文：' || coalesce(body_year::VARCHAR || '年', '未写')
           AS detail
FROM report_years
WHERE (title_year IS NOT NULL)::INT + (period_year IS NOT NULL)::INT + (body_year IS NOT NULL)::INT >= 2;

-- S_PERIOD: a stated statistics period ("…至…", "自…起至…止") is 1 January to 31 December of the report year.
CREATE TABLE rule_s_period AS
WITH stated AS (
    SELECT r.report_id, r.report_year,
           regexp_extract(r.full_text,
               '((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起?\s*(?:至|到|—|－|-|～|~)\s*(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日',
               ['y1', 'm1', 'd1', 'y2', 'm2', 'd2']) AS p,
           regexp_extract(r.full_text,
               '(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*起?\s*(?:至|到|—|－|-|～|~)\s*(?:(?:19|20)\d{2}\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日')
               AS period_text
    FROM structured_reports r
    WHERE regexp_matches(r.full_text, '统计|数据|期限')
)
SELECT report_id, 'report' AS scope, 'strict' AS mode, period_text,
       p.y1::INTEGER = coalesce(nullif(p.y2, '')::INTEGER, p.y1::INTEGER) AND p.m1::INTEGER = 1 AND p.d1::INTEGER = 1
           AND p.m2::INTEGER = 12 AND p.d2::INTEGER = 31
           AND (report_year IS NULL OR p.y1::INTEGER = report_year) AS whole_year,
       true AS complete,
       coalesce((SELECT ['section:' || s.section_key] FROM sections s
                 WHERE s.report_id = stated.report_id AND strpos(s.text, stated.period_text) > 0
                 ORDER BY s.order_index LIMIT 1), ['report:title']) AS evidence,
       '统计期限：' || period_text AS detail
FROM stated WHERE period_text <> '';

-- S_ORG: the publishing organisation is identified.
CREATE TABLE rule_s_org AS
SELECT report_id, 'report' AS scope, 'strict' AS mode, publisher, true AS complete, ['report:publisher'] AS evidence
FROM structured_reports;

-- S_SEC5_NONEMPTY: section 五 (problems and improvements) says something more than 无.
CREATE TABLE rule_s_sec5_nonempty AS
SELECT report_id, 'section=s5_problems' AS scope, 'strict' AS mode,
       length(regexp_replace(s5_problems, '[\s。．.、，,；;：:]', '', 'g')) AS left_value,
       regexp_replace(s5_problems, '[\s。．.、，,；;：:]', '', 'g') IN ('', '无', '暂无', '没有') AS says_nothing,
       true AS complete, ['section:s5_problems'] AS evidence
FROM structured_reports WHERE s5_problems IS NOT NULL;

-- S_SEC_MISPLACED: section 六 (other matters) holds improvement-plan text that belongs in 五.
CREATE TABLE rule_s_sec_misplaced AS
SELECT report_id, 'section=s6_other' AS scope, 'strict' AS mode,
       regexp_extract(s6_other, '[^。；\n]*(?:进一步(?:完善|加强|提高|提升|规范|做好)|下一步|改进措施)[^。；\n]*') AS plan_text,
       true AS complete, ['section:s6_other'] AS evidence,
       CASE WHEN plan_text <> '' THEN '第六部分中的文字：' || left(plan_text, 80) END AS detail
FROM structured_reports WHERE s6_other IS NOT NULL;
