-- One row per (report, region it counts in): its own region and every ancestor, so that a township
-- report counts in its township, county, city and province. Unresolved reports count only in the
-- unresolved group; a report resolved to a province only counts in that province.
with reports as (
    select * from {{ ref('int_reports_with_region') }}
),

{%- set levels = ['province', 'prefecture', 'county', 'township'] %}

rollup as (
    {%- for level in levels %}
    select report_id, report_year, region_review, {{ level }}_region_id as rollup_region_id,
           {{ level }}_region_id = region_id as is_own_region
    from reports
    where {{ level }}_region_id is not null
    union all
    {%- endfor %}
    select report_id, report_year, region_review, region_id as rollup_region_id, true as is_own_region
    from reports
    where region_id = '{{ var("unresolved_region") }}'
)

select * from rollup
