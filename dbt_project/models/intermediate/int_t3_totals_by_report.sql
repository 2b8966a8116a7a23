-- One row per report: the T3 总计 column (col_key = 'total') pivoted to one column per outcome group.
-- Sums use only cells with a value; cells without one (blank, uncertain, missing, ...) are counted instead.
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
        cells.value
    from reports
    left join t3_total_cells as cells on cells.report_id = reports.report_id
),

pivoted as (
    select
        report_id,
        count(row_key) as t3_total_cells,
        count(row_key) filter (where value is null) as t3_total_null_cells,
        sum(value) filter (where row_key = 'new_received') as new_received,
        sum(value) filter (where row_key = 'carried_in') as carried_in,
        sum(value) filter (where row_key = 'granted') as granted,
        sum(value) filter (where row_key = 'partly_granted') as partly_granted,
        sum(value) filter (where row_key in {{ sql_list(var('t3_denied_rows')) }}) as denied,
        sum(value) filter (where row_key in {{ sql_list(var('t3_unable_rows')) }}) as unable,
        sum(value) filter (where row_key in {{ sql_list(var('t3_noproc_rows')) }}) as noproc,
        -- （六）其他处理: the three 2021 sub-rows, or the single row a report printed instead (2019 format,
        -- and some 2021 reports); the parser emits one or the other, never both.
        sum(value) filter (
            where row_key in {{ sql_list(var('t3_other_rows_2021') + [var('t3_other_row_2019')]) }}
        ) as other,
        sum(value) filter (where row_key = 'outcome_total') as outcome_total,
        sum(value) filter (where row_key = 'carried_out') as carried_out
    from report_cells
    group by report_id
),

final as (
    select
        report_id,
        t3_total_cells > 0 as has_t3_total,
        cast(t3_total_cells as bigint) as t3_total_cells,
        cast(t3_total_null_cells as bigint) as t3_total_null_cells,
        t3_total_null_cells > 0 as has_t3_total_gaps,
        cast(new_received as decimal(38, 10)) as new_received,
        cast(carried_in as decimal(38, 10)) as carried_in,
        cast(granted as decimal(38, 10)) as granted,
        cast(partly_granted as decimal(38, 10)) as partly_granted,
        cast(denied as decimal(38, 10)) as denied,
        cast(unable as decimal(38, 10)) as unable,
        cast(noproc as decimal(38, 10)) as noproc,
        cast(other as decimal(38, 10)) as other,
        cast(outcome_total as decimal(38, 10)) as outcome_total,
        cast(carried_out as decimal(38, 10)) as carried_out
    from pivoted
)

select * from final
