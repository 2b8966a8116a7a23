{#- The rows of `relation` (grain region_id x report_year) with the region's level, official names and
    parent from dim_region, as every region mart shows them. -#}
{% macro with_region_labels(relation) -%}
    select
        regions.region_level,
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
