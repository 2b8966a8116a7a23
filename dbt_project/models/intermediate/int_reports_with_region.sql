-- One row per annual report counted in the marts, with visible region labels.
-- Files recognised as not being a report (format_version = 'not_a_report') are left out.
with reports as (
    select * from {{ ref('stg_lake__reports') }}
),

labelled as (
    select
        report_id,
        {{ region_label('province') }} as province,
        {{ region_label('city') }} as city,
        {{ region_label('county') }} as county,
        report_year,
        format_version
    from reports
    where format_version is distinct from 'not_a_report'
)

select * from labelled
