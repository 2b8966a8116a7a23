-- One row per report: the T3 总计 column (col_key = 'total') pivoted to one column per outcome group.
-- Sums use only cells with a value; cells without one (blank, uncertain, missing, ...) are counted instead.
-- The figures are counts (BIGINT): a printed value that is not a whole number ("2.5") is never rounded into a
-- sum; it is left out and counted in t3_total_non_integer_cells (the rule T3_NONNEG_INT fails the report).
with reports as (
    select report_id
    from {{ ref('stg_lake__reports') }}
),

t3_total_cells as (
    select report_id, row_key, value
    from {{ ref('stg_lake__report_cells') }}
    where table_id = 'T3' and col_key = 'total'
),

report_cells as (
    select
        reports.report_id,
        cells.row_key,
        cells.value,
        case when cells.value = trunc(cells.value) then cells.value end as count_value
    from reports
    left join t3_total_cells as cells on cells.report_id = reports.report_id
),

pivoted as (
    select
        report_id,
        count(row_key) as t3_total_cells,
        count(row_key) filter (where value is null) as t3_total_null_cells,
        count(row_key) filter (where value is not null and count_value is null) as t3_total_non_integer_cells,
        sum(count_value) filter (where row_key = 'new_received') as new_received,
        sum(count_value) filter (where row_key = 'carried_in') as carried_in,
        sum(count_value) filter (where row_key = 'granted') as granted,
        sum(count_value) filter (where row_key = 'partly_granted') as partly_granted,
        sum(count_value) filter (where row_key in {{ sql_list(var('t3_denied_rows')) }}) as denied,
        sum(count_value) filter (where row_key in {{ sql_list(var('t3_unable_rows')) }}) as unable,
        sum(count_value) filter (where row_key in {{ sql_list(var('t3_noproc_rows')) }}) as noproc,
        -- （六）其他处理: the three 2021 sub-rows, or the single row a report printed instead (2019 format,
        -- and some 2021 reports); the parser emits one or the other, never both.
        sum(count_value) filter (
            where row_key in {{ sql_list(var('t3_other_rows_2021') + [var('t3_other_row_2019')]) }}
        ) as other,
        sum(count_value) filter (where row_key = 'outcome_total') as outcome_total,
        sum(count_value) filter (where row_key = 'carried_out') as carried_out
    from report_cells
    group by report_id
),

final as (
    select
        report_id,
        t3_total_cells > 0 as has_t3_total,
        cast(t3_total_cells as bigint) as t3_total_cells,
        cast(t3_total_null_cells as bigint) as t3_total_null_cells,
        cast(t3_total_non_integer_cells as bigint) as t3_total_non_integer_cells,
        t3_total_null_cells + t3_total_non_integer_cells > 0 as has_t3_total_gaps,
        cast(new_received as bigint) as new_received,
        cast(carried_in as bigint) as carried_in,
        cast(granted as bigint) as granted,
        cast(partly_granted as bigint) as partly_granted,
        cast(denied as bigint) as denied,
        cast(unable as bigint) as unable,
        cast(noproc as bigint) as noproc,
        cast(other as bigint) as other,
        cast(outcome_total as bigint) as outcome_total,
        cast(carried_out as bigint) as carried_out
    from pivoted
)

select * from final
