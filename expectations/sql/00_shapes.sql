-- Shared shapes the rule tables read. Every rule table has the columns
--   report_id, scope, mode ('strict' | 'lenient'), complete (all operands readable),
--   evidence (ids: 'T3.new_received.total' a cell of the report, 'prev:T3.carried_out.total' a cell of the
--   compared report, 'fact:<fact_key>#<n>' a narrative statement, 'section:<section_key>' a section, 'report:<field>'),
-- and may add left_value, right_value (the two numbers compared), compared_report_id, severity (overrides the
-- expectation's), detail (Chinese words for the message). GX decides which rows are unexpected.

-- Reports with table 三 in a format that has rules, and whether a fmt2021 report printed （六）其他处理 as one row.
CREATE TABLE t3_reports AS
SELECT r.report_id, r.format_version,
       r.format_version = 'fmt2021'
       AND NOT bool_or(c.printed AND c.row_key IN ('other_no_correction', 'other_fee_unpaid', 'other_misc'))
       AND bool_or(c.printed AND c.row_key = 'other_processing') AS other_as_one_row
FROM reports r JOIN cells c ON c.report_id = r.report_id AND c.table_id = 'T3'
WHERE r.format_version IN ('fmt2021', 'fmt2019')
GROUP BY r.report_id, r.format_version;

-- T3 by column with the outcome rows summed the way the report's format prints them (OUT21 or OUT19).
CREATE TABLE t3_col_sums AS
SELECT p.*, t.format_version, t.other_as_one_row,
       granted + partly_granted
       + denied_state_secret + denied_law_prohibited + denied_security_stability + denied_third_party
       + denied_internal_affairs + denied_process_info + denied_enforcement_file + denied_admin_query
       + unable_not_held + unable_need_creation + unable_still_unclear
       + noproc_petition + noproc_repeat + noproc_publication + noproc_massive + noproc_confirm
       + CASE WHEN t.format_version = 'fmt2019' OR t.other_as_one_row THEN other_processing
              ELSE other_no_correction + other_fee_unpaid + other_misc END AS outcome_rows_sum,
       new_received + carried_in AS inflow
FROM t3_by_col p JOIN t3_reports t USING (report_id);

-- The printed totals of table 三 and 四 per report and mode (column 总计), for narrative and cross-table rules.
CREATE TABLE report_totals AS
SELECT r.report_id, m.mode, r.format_version,
       t3.new_received, t3.carried_in, t3.outcome_total, t3.carried_out, t3.granted, t3.partly_granted,
       t3.other_fee_unpaid,
       t3.denied_state_secret + t3.denied_law_prohibited + t3.denied_security_stability + t3.denied_third_party
       + t3.denied_internal_affairs + t3.denied_process_info + t3.denied_enforcement_file
       + t3.denied_admin_query AS denied_sum,
       rv.total AS review_total, ld.total AS lit_direct_total, la.total AS lit_after_review_total,
       ld.total + la.total AS litigation_total,
       rv.pending AS review_pending, ld.pending AS lit_direct_pending, la.pending AS lit_after_review_pending
FROM reports r CROSS JOIN modes m
LEFT JOIN t3_by_col t3 ON t3.report_id = r.report_id AND t3.mode = m.mode AND t3.col_key = 'total'
LEFT JOIN t4_by_row rv ON rv.report_id = r.report_id AND rv.mode = m.mode AND rv.row_key = 'review'
LEFT JOIN t4_by_row ld ON ld.report_id = r.report_id AND ld.mode = m.mode AND ld.row_key = 'lit_direct'
LEFT JOIN t4_by_row la ON la.report_id = r.report_id AND la.mode = m.mode AND la.row_key = 'lit_after_review';

-- The narrative of a report as one text per section (sections 一, 五, 六 and the preamble), for text rules.
CREATE TABLE report_texts AS
SELECT r.report_id, r.report_year, r.title,
       coalesce(string_agg(s.text, '\n' ORDER BY s.order_index), '') AS full_text,
       coalesce(max(s.text) FILTER (WHERE s.section_key = 'preamble'), '') AS preamble,
       max(s.text) FILTER (WHERE s.section_key = 's1_overview') AS s1_overview,
       max(s.text) FILTER (WHERE s.section_key = 's5_problems') AS s5_problems,
       max(s.text) FILTER (WHERE s.section_key = 's6_other') AS s6_other
FROM reports r LEFT JOIN sections s USING (report_id)
GROUP BY r.report_id, r.report_year, r.title;
