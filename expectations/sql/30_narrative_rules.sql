-- Narrative against tables (docs/formats.md#narrative-rules): a number the text states (narrative_facts) against the cells.
-- A statement with an approximate number ("463余条") cannot be compared: its rows are not complete.

-- An approximate statement ("460余件") has no value to compare: its rules find it UNCERTAIN, never FAIL.
CREATE TABLE fact_vs_totals AS
SELECT f.report_id, f.fact_key, f.ordinal, f.pattern, t.*  EXCLUDE (report_id),
       'fact=' || f.fact_key || '#' || f.ordinal AS scope,
       'fact:' || f.fact_key || '#' || f.ordinal AS fact_ref,
       f.pattern LIKE '%\_approx' ESCAPE '\' OR f.pattern LIKE '%\_unrepresentable' ESCAPE '\' AS approximate,
       CASE WHEN NOT approximate THEN f.value END AS value
FROM facts f JOIN report_totals t USING (report_id)
WHERE t.format_version IN ('fmt2021', 'fmt2019');

-- N_NO_APPS (E): "未收到政府信息公开申请" while table 三 counts new applications.
CREATE TABLE rule_n_no_apps AS
SELECT report_id, scope, mode, 0 AS left_value, new_received AS right_value, new_received IS NOT NULL AS complete,
       [fact_ref, 'T3.new_received.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'apps_received' AND pattern = 'none_stated';

-- N_APPS_COUNT: the number of applications stated is 本年新收 (or, with 上年结转 included, 新收 + 结转).
CREATE TABLE rule_n_apps_count AS
SELECT report_id, scope, mode, value AS left_value, new_received AS right_value,
       new_received + carried_in AS with_carried_in,
       value IS NOT NULL AND new_received IS NOT NULL AND NOT approximate AS complete,
       [fact_ref, 'T3.new_received.total', 'T3.carried_in.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'apps_received' AND pattern <> 'none_stated';

CREATE TABLE rule_n_carry_in AS
SELECT report_id, scope, mode, value AS left_value, carried_in AS right_value,
       value IS NOT NULL AND carried_in IS NOT NULL AND NOT approximate AS complete,
       [fact_ref, 'T3.carried_in.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'apps_carried_in';

CREATE TABLE rule_n_carry_out AS
SELECT report_id, scope, mode, value AS left_value, carried_out AS right_value,
       value IS NOT NULL AND carried_out IS NOT NULL AND NOT approximate AS complete,
       [fact_ref, 'T3.carried_out.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'apps_carried_out';

-- N_OUTCOME: 答复/办结 N件 = （七）总计; 予以公开, 部分公开, 不予公开 N件 = the row (不予公开: its eight rows summed).
CREATE TABLE rule_n_outcome AS
SELECT report_id, scope, mode, value AS left_value,
       CASE fact_key WHEN 'apps_answered' THEN outcome_total WHEN 'apps_granted' THEN granted
                     WHEN 'apps_partly_granted' THEN partly_granted ELSE denied_sum END AS right_value,
       value IS NOT NULL AND right_value IS NOT NULL AND NOT approximate AS complete,
       [fact_ref] || CASE fact_key WHEN 'apps_answered' THEN ['T3.outcome_total.total']
                                   WHEN 'apps_granted' THEN ['T3.granted.total']
                                   WHEN 'apps_partly_granted' THEN ['T3.partly_granted.total']
                                   ELSE ['T3.denied_state_secret.total', 'T3.denied_law_prohibited.total',
                                         'T3.denied_security_stability.total', 'T3.denied_third_party.total',
                                         'T3.denied_internal_affairs.total', 'T3.denied_process_info.total',
                                         'T3.denied_enforcement_file.total', 'T3.denied_admin_query.total'] END
           AS evidence
FROM fact_vs_totals WHERE fact_key IN ('apps_answered', 'apps_granted', 'apps_partly_granted', 'apps_denied');

-- N_NO_REVIEW_LIT: "未发生行政复议/行政诉讼" while table 四 counts cases.
CREATE TABLE rule_n_no_review_lit AS
SELECT report_id, scope, mode, 0 AS left_value,
       CASE fact_key WHEN 'review_cases' THEN review_total ELSE litigation_total END AS right_value,
       right_value IS NOT NULL AS complete,
       [fact_ref] || CASE fact_key WHEN 'review_cases' THEN ['T4.review.total']
                                   ELSE ['T4.lit_direct.total', 'T4.lit_after_review.total'] END AS evidence
FROM fact_vs_totals WHERE fact_key IN ('review_cases', 'litigation_cases') AND pattern = 'none_stated';

CREATE TABLE rule_n_review_count AS
SELECT report_id, scope, mode, value AS left_value, review_total AS right_value,
       value IS NOT NULL AND review_total IS NOT NULL AND NOT approximate AS complete,
       [fact_ref, 'T4.review.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'review_cases' AND pattern <> 'none_stated';

CREATE TABLE rule_n_lit_count AS
SELECT report_id, scope, mode, value AS left_value, litigation_total AS right_value,
       value IS NOT NULL AND litigation_total IS NOT NULL AND NOT approximate AS complete,
       [fact_ref, 'T4.lit_direct.total', 'T4.lit_after_review.total'] AS evidence
FROM fact_vs_totals WHERE fact_key = 'litigation_cases' AND pattern <> 'none_stated';

-- N_FEE_INFO_PROC (I): fee notices were issued (（六）2. 申请人逾期未按收费通知要求缴纳费用 > 0), so the report
-- should mention 信息处理费. Never compared with 行政事业性收费 (a different fee).
CREATE TABLE rule_n_fee_info_proc AS
SELECT t.report_id, 'report' AS scope, t.mode, t.other_fee_unpaid AS left_value,
       regexp_matches(x.full_text, '信息处理费|处理费') AS mentions_fee, t.other_fee_unpaid IS NOT NULL AS complete,
       ['T3.other_fee_unpaid.total', 'section:s6_other'] AS evidence
FROM report_totals t JOIN report_texts x USING (report_id)
WHERE t.format_version = 'fmt2021' AND t.report_id IN (SELECT report_id FROM t3_reports);

-- N_BREAKDOWN_SUM (I): "共N条，其中A条、B条、C条" — the parts add up to the whole (UNCERTAIN when the whole or a
-- part is approximate: "共30余条", "10余条"). The parts run to the end of the sentence: long lists separate them
-- with "；" ("其中：公文9条；人事信息7条；…").
CREATE TABLE breakdown_sentences AS
SELECT report_id, section_key, sentence, regexp_matches(sentence, '\d+\s*余') AS approximate
FROM (SELECT s.report_id, s.section_key, unnest(regexp_extract_all(s.text,
          '共(?:计|发布|公开|主动公开)?[^。；，,0-9]{0,12}?\d+\s*余?\s*条[，,、]?\s*其中[^。]*')) AS sentence
      FROM sections s WHERE s.section_key NOT IN ('s2_active', 's3_requests', 's4_review_litigation'));

CREATE TABLE rule_n_breakdown_sum AS
SELECT report_id, 'sentence=' || section_key || '#' || row_number() OVER (PARTITION BY report_id ORDER BY sentence)
           AS scope, 'strict' AS mode,
       CASE WHEN NOT approximate
            THEN regexp_extract(sentence, '共[^0-9]{0,16}?(\d+)\s*条', 1)::DECIMAL(38, 10) END AS left_value,
       CASE WHEN NOT approximate
            THEN list_sum(list_transform(regexp_extract_all(regexp_extract(sentence, '其中(.*)$', 1), '(\d+)\s*条', 1),
                                         n -> n::DECIMAL(38, 10))) END AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       ['section:' || section_key] AS evidence, '正文：' || left(sentence, 120) AS detail
FROM breakdown_sentences;
