-- Applications received and handled (T3 总计 column) by province, city, county and year.
with regions as (
    select * from {{ ref('int_reports_with_region') }}
),

t3_totals as (
    select * from {{ ref('int_t3_totals_by_report') }}
),

joined as (
    select
        regions.province,
        regions.city,
        regions.county,
        regions.report_year,
        t3_totals.*
    from regions
    inner join t3_totals on t3_totals.report_id = regions.report_id
),

aggregated as (
    select
        province,
        city,
        county,
        report_year,
        cast(count(*) as bigint) as reports,
        cast(count(*) filter (where has_t3_total) as bigint) as reports_with_t3_total,
        cast(count(*) filter (where has_t3_total_gaps) as bigint) as reports_with_t3_gaps,
        cast(sum(new_received) as decimal(38, 10)) as new_received,
        cast(sum(carried_in) as decimal(38, 10)) as carried_in,
        cast(sum(granted) as decimal(38, 10)) as granted,
        cast(sum(partly_granted) as decimal(38, 10)) as partly_granted,
        cast(sum(denied) as decimal(38, 10)) as denied,
        cast(sum(unable) as decimal(38, 10)) as unable,
        cast(sum(noproc) as decimal(38, 10)) as noproc,
        cast(sum(other) as decimal(38, 10)) as other,
        cast(sum(outcome_total) as decimal(38, 10)) as outcome_total,
        cast(sum(carried_out) as decimal(38, 10)) as carried_out
    from joined
    group by province, city, county, report_year
)

select * from aggregated
order by province, city, county, report_year
