-- Rules within one report's tables (docs/formats.md#consistency-rules for fmt2021, #rules-2019 for fmt2019).

-- T3_BALANCE: per column, 本年新收 + 上年结转 = 办理结果总计 + 结转下年度.
CREATE TABLE rule_t3_balance AS
SELECT report_id, 'col=' || col_key AS scope, mode,
       new_received + carried_in AS left_value, outcome_total + carried_out AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['new_received', 'carried_in', 'outcome_total', 'carried_out'], r -> 'T3.' || r || '.' || col_key)
           AS evidence
FROM t3_col_sums;

-- T3_ROW_TOTAL: per row, the six applicant columns add up to 总计 (a fmt2021 report printing （六）其他处理 as one
-- row is checked on that row).
CREATE TABLE rule_t3_row_total AS
WITH scopes AS (
    SELECT t.report_id, k.row_key, k.row_order, m.mode
    FROM t3_reports t JOIN t3_row_keys k USING (format_version) CROSS JOIN modes m
    WHERE NOT (t.other_as_one_row AND k.row_key IN ('other_no_correction', 'other_fee_unpaid', 'other_misc'))
    UNION ALL
    SELECT t.report_id, 'other_processing', 20, m.mode FROM t3_reports t CROSS JOIN modes m WHERE t.other_as_one_row
)
SELECT s.report_id, 'row=' || s.row_key AS scope, s.mode,
       p.natural_person + p.commercial + p.research + p.social_welfare + p.legal_service + p.other_org AS left_value,
       p.total AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org',
                       'total'], c -> 'T3.' || s.row_key || '.' || c) AS evidence
FROM scopes s LEFT JOIN t3_by_row p USING (report_id, mode, row_key);

-- T3_OUTCOME_TOTAL (fmt2021, OUT21) and T3_OUTCOME_TOTAL_2019 (fmt2019, OUT19): leaf outcome rows add up to （七）总计.
CREATE TABLE rule_t3_outcome_total AS
SELECT report_id, 'col=' || col_key AS scope, mode, outcome_rows_sum AS left_value, outcome_total AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(list_filter(k.rows, r -> r NOT IN ('new_received', 'carried_in', 'carried_out')),
                      r -> 'T3.' || r || '.' || col_key) AS evidence
FROM t3_col_sums
JOIN (SELECT format_version, list(row_key ORDER BY row_order) AS rows FROM t3_row_keys GROUP BY ALL) k
    USING (format_version)
WHERE format_version = 'fmt2021';

CREATE TABLE rule_t3_outcome_total_2019 AS
SELECT report_id, 'col=' || col_key AS scope, mode, outcome_rows_sum AS left_value, outcome_total AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(list_filter(k.rows, r -> r NOT IN ('new_received', 'carried_in', 'carried_out')),
                      r -> 'T3.' || r || '.' || col_key) AS evidence
FROM t3_col_sums
JOIN (SELECT format_version, list(row_key ORDER BY row_order) AS rows FROM t3_row_keys GROUP BY ALL) k
    USING (format_version)
WHERE format_version = 'fmt2019';

-- T3_ZERO_FLOW: a column with nothing received and nothing carried in has no outcome and nothing carried out
-- (the evidence is every outcome row, not 总计: the rule reads the rows).
CREATE TABLE rule_t3_zero_flow AS
SELECT report_id, 'col=' || col_key AS scope, mode, inflow AS left_value,
       outcome_rows_sum + carried_out AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['new_received', 'carried_in']
                      || list_filter(k.rows, r -> r NOT IN ('new_received', 'carried_in', 'carried_out', 'outcome_total'))
                      || ['carried_out'], r -> 'T3.' || r || '.' || col_key) AS evidence
FROM t3_col_sums
JOIN (SELECT format_version, list(row_key ORDER BY row_order) AS rows FROM t3_row_keys GROUP BY ALL) k
    USING (format_version);

-- T3_CARRY_OUT_BOUND: 结转下年度 is at most 本年新收 + 上年结转.
CREATE TABLE rule_t3_carry_out_bound AS
SELECT report_id, 'col=' || col_key AS scope, mode, inflow AS left_value, carried_out AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['new_received', 'carried_in', 'carried_out'], r -> 'T3.' || r || '.' || col_key) AS evidence
FROM t3_col_sums;

-- Non-negative integers: one row per cell of the table the rule covers.
CREATE TABLE rule_t3_nonneg_int AS
SELECT c.report_id, 'table=T3' AS scope, c.mode, c.v AS value, c.v IS NOT NULL AS complete, [c.cell_id] AS evidence
FROM cell_modes c JOIN t3_reports USING (report_id) WHERE c.table_id = 'T3';

CREATE TABLE rule_t4_nonneg_int AS
SELECT c.report_id, 'table=T4' AS scope, c.mode, c.v AS value, c.v IS NOT NULL AS complete, [c.cell_id] AS evidence
FROM cell_modes c JOIN reports r USING (report_id)
WHERE c.table_id = 'T4' AND r.format_version IN ('fmt2021', 'fmt2019');

-- T4 totals: 维持 + 纠正 + 其他 + 尚未审结 = 总计, one rule per row.
CREATE TABLE rule_t4_review_total AS
SELECT p.report_id, 'row=review' AS scope, p.mode, upheld + corrected + other + pending AS left_value,
       total AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['upheld', 'corrected', 'other', 'pending', 'total'], c -> 'T4.review.' || c) AS evidence
FROM t4_by_row p JOIN reports r USING (report_id)
WHERE p.row_key = 'review' AND r.format_version IN ('fmt2021', 'fmt2019');

CREATE TABLE rule_t4_lit_direct_total AS
SELECT p.report_id, 'row=lit_direct' AS scope, p.mode, upheld + corrected + other + pending AS left_value,
       total AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['upheld', 'corrected', 'other', 'pending', 'total'], c -> 'T4.lit_direct.' || c) AS evidence
FROM t4_by_row p JOIN reports r USING (report_id)
WHERE p.row_key = 'lit_direct' AND r.format_version IN ('fmt2021', 'fmt2019');

CREATE TABLE rule_t4_lit_after_review_total AS
SELECT p.report_id, 'row=lit_after_review' AS scope, p.mode, upheld + corrected + other + pending AS left_value,
       total AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['upheld', 'corrected', 'other', 'pending', 'total'], c -> 'T4.lit_after_review.' || c)
           AS evidence
FROM t4_by_row p JOIN reports r USING (report_id)
WHERE p.row_key = 'lit_after_review' AND r.format_version IN ('fmt2021', 'fmt2019');

-- Completeness: every value cell of the table located (printed, even if blank), per report.
CREATE TABLE table_completeness AS
SELECT r.report_id, r.format_version, e.table_id,
       count(*) FILTER (WHERE c.printed) AS located, count(*) AS expected,
       list(e.table_id || '.' || e.row_key || '.' || e.col_key) FILTER (WHERE NOT coalesce(c.printed, false))
           AS not_located,
       count(DISTINCT e.row_key) FILTER (WHERE c.printed) AS rows_located, count(DISTINCT e.row_key) AS rows_expected
FROM reports r
JOIN expected_cells e USING (format_version)
LEFT JOIN cells c ON c.report_id = r.report_id AND c.cell_id = e.table_id || '.' || e.row_key || '.' || e.col_key
GROUP BY r.report_id, r.format_version, e.table_id;

CREATE TABLE rule_t3_complete AS
SELECT report_id, 'table=T3' AS scope, 'strict' AS mode, located AS left_value, expected AS right_value,
       true AS complete, not_located AS evidence
FROM table_completeness WHERE table_id = 'T3' AND format_version = 'fmt2021';

CREATE TABLE rule_t3_complete_2019 AS
SELECT report_id, 'table=T3' AS scope, 'strict' AS mode, located AS left_value, expected AS right_value,
       true AS complete, not_located AS evidence
FROM table_completeness WHERE table_id = 'T3' AND format_version = 'fmt2019';

CREATE TABLE rule_t4_complete AS
SELECT report_id, 'table=T4' AS scope, 'strict' AS mode, located AS left_value, expected AS right_value,
       true AS complete, not_located AS evidence
FROM table_completeness WHERE table_id = 'T4';

-- T2 completeness counts rows: each row of 第二十条 with at least one value cell located.
CREATE TABLE t2_completeness AS
SELECT report_id, format_version, sum(rows_located) AS rows_located, sum(rows_expected) AS rows_expected,
       flatten(list(not_located)) AS not_located
FROM table_completeness WHERE table_id LIKE 'T2_%' GROUP BY ALL;

CREATE TABLE rule_t2_complete AS
SELECT report_id, 'table=T2' AS scope, 'strict' AS mode, rows_located AS left_value, rows_expected AS right_value,
       true AS complete, not_located AS evidence
FROM t2_completeness WHERE format_version = 'fmt2021';

CREATE TABLE rule_t2_19_complete AS
SELECT report_id, 'table=T2' AS scope, 'strict' AS mode, rows_located AS left_value, rows_expected AS right_value,
       true AS complete, not_located AS evidence
FROM t2_completeness WHERE format_version = 'fmt2019';

-- T2 values that must be non-negative integers (fmt2021: 制发, 废止, 现行有效, 处理决定).
CREATE TABLE rule_t2_nonneg_int AS
SELECT c.report_id, 'table=T2' AS scope, c.mode, c.v AS value, c.v IS NOT NULL AS complete, [c.cell_id] AS evidence
FROM cell_modes c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2021' AND c.table_id IN ('T2_1', 'T2_5', 'T2_6')
  AND c.col_key IN ('made', 'repealed', 'valid', 'decisions');

-- T2_FEE_NONNEG: 行政事业性收费 amount (万元, decimals allowed) is not negative.
CREATE TABLE rule_t2_fee_nonneg AS
SELECT c.report_id, 'cell=T2_8.admin_fee.fee_amount' AS scope, c.mode, c.v AS value, c.v IS NOT NULL AS complete,
       [c.cell_id] AS evidence
FROM cell_modes c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2021' AND c.cell_id = 'T2_8.admin_fee.fee_amount';

-- T2_FEE_UNIT: the amount is printed in 元 rather than 万元, or is implausibly large for a township (> 1000 万元).
CREATE TABLE rule_t2_fee_unit AS
SELECT c.report_id, 'cell=T2_8.admin_fee.fee_amount' AS scope, 'strict' AS mode, c.value AS left_value,
       c.value IS NOT NULL OR c.value_raw LIKE '%元%' AS complete, [c.cell_id] AS evidence,
       (c.value_raw LIKE '%元%' AND c.value_raw NOT LIKE '%万%') AS printed_in_yuan,
       (r.admin_level = 'township' AND c.value > 1000) AS too_large_for_township,
       CASE WHEN printed_in_yuan THEN '金额写明单位为「元」，表头单位为万元'
            WHEN too_large_for_township THEN '乡镇（街道）收费超过1000万元，可能按元填报' END AS detail
FROM cells c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2021' AND c.cell_id = 'T2_8.admin_fee.fee_amount' AND c.printed;

-- T2_FEE_PRECISION: the fee is printed with more than 4 decimals.
CREATE TABLE rule_t2_fee_precision AS
SELECT c.report_id, 'cell=T2_8.admin_fee.fee_amount' AS scope, 'strict' AS mode,
       length(regexp_extract(c.value_raw, '[.．](\d+)', 1)) AS decimals, true AS complete, [c.cell_id] AS evidence
FROM cells c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2021' AND c.cell_id = 'T2_8.admin_fee.fee_amount' AND c.value IS NOT NULL;

-- T2_REG_LEVEL: only 国务院部门, 省级 and 设区的市/自治州 governments (and their 办公厅/办公室) make 规章.
CREATE TABLE rule_t2_reg_level AS
SELECT p.report_id, 'row=regulation' AS scope, p.mode,
       coalesce(p.made, 0) + coalesce(p.repealed, 0) + coalesce(p.valid, 0) + coalesce(p.new_made, 0)
           + coalesce(p.new_published, 0) + coalesce(p.published_total, 0) AS left_value,
       left_value = 0 OR (r.admin_level IS NOT NULL AND r.org_type IS NOT NULL) AS complete,   -- no 规章: passes
       r.org_type IN ('people_gov', 'gov_office') AND r.admin_level IN ('province', 'prefecture') AS may_make_rules,
       list_transform(['made', 'repealed', 'valid', 'new_made', 'new_published', 'published_total'],
                      c -> 'T2_1.regulation.' || c) AS evidence,
       '发布机关：' || coalesce(r.publisher, '未识别') || '（' || coalesce(r.admin_level, '层级未知') || '）' AS detail
FROM t2_by_row p JOIN reports r USING (report_id)
WHERE p.row_key = 'regulation' AND r.format_version IN ('fmt2021', 'fmt2019');

-- T2_VALID_GE_NET: 现行有效件数 ≥ 本年制发 − 本年废止, for 规章 and 行政规范性文件.
CREATE TABLE rule_t2_valid_ge_net AS
SELECT p.report_id, 'row=' || p.row_key AS scope, p.mode, p.valid AS left_value, p.made - p.repealed AS right_value,
       left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['made', 'repealed', 'valid'], c -> 'T2_1.' || p.row_key || '.' || c) AS evidence
FROM t2_by_row p JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2021' AND p.table_id = 'T2_1';

-- fmt2019 第二十条: non-negative values (本年增/减 may be negative).
CREATE TABLE rule_t2_19_nonneg AS
SELECT c.report_id, 'table=T2' AS scope, c.mode, c.v AS value, c.v IS NOT NULL AS complete, [c.cell_id] AS evidence
FROM cell_modes c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2019' AND c.table_id LIKE 'T2_%'
  AND c.col_key IN ('new_made', 'new_published', 'published_total', 'items_prev_year', 'decisions',
                    'procurement_items', 'procurement_amount');

CREATE TABLE rule_t2_19_pubtotal_ge_new AS
SELECT p.report_id, 'row=' || p.row_key AS scope, p.mode, p.published_total AS left_value,
       p.new_published AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       list_transform(['new_published', 'published_total'], c -> 'T2_1.' || p.row_key || '.' || c) AS evidence
FROM t2_by_row p JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2019' AND p.table_id = 'T2_1';

CREATE TABLE rule_t2_19_items_after_change AS
SELECT p.report_id, 'row=' || p.row_key AS scope, p.mode, p.items_prev_year + p.items_change AS left_value,
       left_value IS NOT NULL AS complete,
       list_transform(['items_prev_year', 'items_change'], c -> p.table_id || '.' || p.row_key || '.' || c) AS evidence
FROM t2_by_row p JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2019' AND p.table_id IN ('T2_5', 'T2_6', 'T2_8');

CREATE TABLE rule_t2_19_proc_zero AS
SELECT p.report_id, 'row=central_procurement' AS scope, p.mode, p.procurement_items AS left_value,
       p.procurement_amount AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       ['T2_9.central_procurement.procurement_items', 'T2_9.central_procurement.procurement_amount'] AS evidence
FROM t2_by_row p JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2019' AND p.table_id = 'T2_9';

-- T2_19_PROC_UNIT: which unit the procurement amount is printed in (元 / 万元 / none).
CREATE TABLE rule_t2_19_proc_unit AS
SELECT c.report_id, 'cell=T2_9.central_procurement.procurement_amount' AS scope, 'strict' AS mode,
       CASE WHEN c.value_raw LIKE '%万元%' THEN '万元' WHEN c.value_raw LIKE '%元%' THEN '元' ELSE '未注明' END AS unit,
       true AS complete, [c.cell_id] AS evidence, '金额单位：' || unit AS detail
FROM cells c JOIN reports r USING (report_id)
WHERE r.format_version = 'fmt2019' AND c.cell_id = 'T2_9.central_procurement.procurement_amount'
  AND c.value IS NOT NULL AND c.value <> 0;

-- X_T4_WITHOUT_APPS: review or litigation cases while no application was received or carried in (both modes, like
-- every arithmetic rule: a blank total that passes as 0 is PASS_LENIENT, not UNCERTAIN).
CREATE TABLE rule_x_t4_without_apps AS
SELECT report_id, 'report' AS scope, mode, review_total + litigation_total AS left_value,
       new_received + carried_in AS right_value, left_value IS NOT NULL AND right_value IS NOT NULL AS complete,
       ['T4.review.total', 'T4.lit_direct.total', 'T4.lit_after_review.total', 'T3.new_received.total',
        'T3.carried_in.total'] AS evidence
FROM report_totals WHERE format_version IN ('fmt2021', 'fmt2019')
  AND report_id IN (SELECT report_id FROM t3_reports);
