-- One row per annual report counted in the marts, with the region it was resolved to and that region's
-- ancestors. Files recognised as not being a report (format_version = 'not_a_report') are left out;
-- reports with no region resolved get the unresolved group as their region.
with reports as (
    select * from {{ ref('stg_lake__reports') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

resolved as (
    select
        reports.report_id,
        reports.report_year,
        reports.format_version,
        reports.region_review,
        coalesce(regions.region_id, '{{ var("unresolved_region") }}') as region_id,
        regions.province_region_id,
        regions.prefecture_region_id,
        regions.county_region_id,
        regions.township_region_id
    from reports
    left join regions on regions.region_id = reports.region_id
    where reports.format_version is distinct from 'not_a_report'
)

select * from resolved
