-- Who published: for each region with reports in a year, every unit one level below it in the reference data that
-- existed that year, and whether the unit published (a report resolved to exactly that unit: its government or
-- one of its departments). Grain: region_id (the unit below) x report_year.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_groups('parent_region_id') }}") }}
{%- set incremental = is_incremental() %}
with rollup as (
    select *
    from {{ ref('int_report_region_rollup') }}
    where report_year is not null
),

covered_parents as (   -- regions the corpus has reports for in a year (their own, or from below)
    select distinct rollup_region_id as parent_region_id, report_year
    from rollup
    where rollup_region_id != '{{ var("unresolved_region") }}'
      and {{ only_touched_groups(incremental, 'rollup_region_id') }}
),

reports_by_region as (
    select
        rollup_region_id as region_id,
        report_year,
        count(*) as reports,
        count(*) filter (where is_own_region) as reports_at_region
    from rollup
    group by rollup_region_id, report_year
),

children as (   -- the reference vintage of a report year: itself, 2016 before 2016, 2023 for 2024, 2025 after
    select parents.report_year, regions.*
    from covered_parents as parents
    inner join {{ ref('dim_region') }} as regions on regions.parent_region_id = parents.parent_region_id
    where regions.first_vintage <= {{ vintage_of('parents.report_year') }}
      and {{ vintage_of('parents.report_year') }} <= regions.last_vintage
),

final as (
    select
        children.region_level,
        children.region_level_zh,
        children.region_id,
        children.region_name,
        children.province,
        children.city,
        children.county,
        children.township,
        children.parent_region_id,
        parents.region_name as parent_region_name,
        cast(children.report_year as integer) as report_year,
        coalesce(counts.reports_at_region, 0) > 0 as published,
        cast(coalesce(counts.reports_at_region, 0) as bigint) as reports_at_region,
        cast(coalesce(counts.reports, 0) as bigint) as reports
    from children
    inner join {{ ref('dim_region') }} as parents on parents.region_id = children.parent_region_id
    left join reports_by_region as counts
        on counts.region_id = children.region_id and counts.report_year = children.report_year
)

select * from final
order by province, city nulls first, county nulls first, township nulls first, report_year
