{#- Building blocks of the region marts (grain region_id x report_year, every level). -#}

{#- One row per (report, region it counts in) with the per-report columns of `per_report_model`; only the touched
    (region, year) groups when `incremental` (macros/incremental.sql). -#}
{% macro rolled_up(per_report_model, incremental=false) -%}
    select
        rollup.rollup_region_id as region_id,
        rollup.report_year,
        rollup.is_own_region,
        rollup.region_review,
        per_report.*
    from {{ ref('int_report_region_rollup') }} as rollup
    inner join {{ ref(per_report_model) }} as per_report on per_report.report_id = rollup.report_id
    where {{ only_touched_groups(incremental, 'rollup.rollup_region_id', 'rollup.report_year') }}
{%- endmacro %}

{#- The grain and the report counts every region mart starts with (over rows of `rolled_up`). -#}
{% macro rollup_counts() -%}
        region_id,
        report_year,
        cast(count(*) as bigint) as reports,
        cast(count(*) filter (where is_own_region) as bigint) as reports_at_region,
        cast(count(*) filter (where region_review) as bigint) as reports_flagged
{%- endmacro %}

{#- The rows of `relation` with the region's level (and its Chinese label), official names and parent from
    dim_region. -#}
{% macro with_region_labels(relation) -%}
    select
        regions.region_level,
        regions.region_level_zh,
        {{ relation }}.region_id,
        regions.region_name,
        regions.province,
        regions.city,
        regions.county,
        regions.township,
        regions.parent_region_id,
        {{ relation }}.* exclude (region_id)
    from {{ relation }}
    inner join {{ ref('dim_region') }} as regions on regions.region_id = {{ relation }}.region_id
{%- endmacro %}

{#- The reference vintage that stands for a report year (gongkai/regions/reference.py effective_vintages): the year
    itself from 2016 to 2023 and 2025, 2016 before, 2023 for 2024 (no vintage; NBS ended in 2023), 2025 after. -#}
{% macro vintage_of(year) -%}
    (case when {{ year }} < 2016 then 2016 when {{ year }} = 2024 then 2023 when {{ year }} > 2025 then 2025
          else {{ year }} end)
{%- endmacro %}
