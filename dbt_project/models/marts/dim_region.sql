-- One row per administrative unit of the reference table (province > prefecture > county > township),
-- with the ids and official names of its ancestors, and one row for reports whose region is unresolved; the
-- level's Chinese label comes from the code_labels seed.
-- The reference changes only with a full build (gongkai.run.changes): an incremental build keeps the table as it is.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}
{%- set incremental = is_incremental() %}
with reference_rows as (
    select * from {{ source('reference', 'regions') }}
),

units as (
    select
        region_id,
        arg_max(level, last_year) as level,
        arg_max(name, last_year) as name,
        arg_max(province, last_year) as province_name,
        arg_max(prefecture, last_year) as prefecture_name,
        arg_max(county, last_year) as county_name,
        arg_max(township, last_year) as township_name,
        arg_max(parent_region_id, last_year) as parent_region_id,
        max(gb2260_code) as gb2260_code,
        arg_max(code, last_year) filter (where code_system = 'mca') as mca_code,
        arg_max(code, last_year) filter (where code_system = 'nbs') as nbs_code,
        max(last_year) filter (where code_system = 'nbs') as nbs_last_vintage,
        min(first_year) as first_vintage,
        max(last_year) as last_vintage
    from reference_rows
    group by region_id
),

chains as (
    select
        unit.*,
        [unit, parent, grandparent, great_grandparent] as lineage
    from units as unit
    left join units as parent on parent.region_id = unit.parent_region_id
    left join units as grandparent on grandparent.region_id = parent.parent_region_id
    left join units as great_grandparent on great_grandparent.region_id = grandparent.parent_region_id
),

{%- set levels = ['province', 'prefecture', 'county', 'township'] %}

dimension as (
    select
        cast(region_id as varchar) as region_id,
        cast(level as varchar) as region_level,
        cast(name as varchar) as region_name,
        cast(province_name as varchar) as province,
        cast(prefecture_name as varchar) as city,
        cast(county_name as varchar) as county,
        cast(township_name as varchar) as township,
        cast(parent_region_id as varchar) as parent_region_id,
        {%- for level in levels %}
        cast(list_filter(lineage, member -> member.level = '{{ level }}')[1].region_id as varchar)
            as {{ level }}_region_id,
        {%- endfor %}
        cast(gb2260_code as varchar) as gb2260_code,
        cast(mca_code as varchar) as mca_code,
        cast(nbs_code as varchar) as nbs_code,
        cast(nbs_last_vintage as integer) as nbs_last_vintage,
        cast(first_vintage as integer) as first_vintage,
        cast(last_vintage as integer) as last_vintage
    from chains

    union all

    select
        '{{ var("unresolved_region") }}', 'unresolved', '{{ var("unresolved_region") }}',
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null
)

select
    dimension.*,
    {{ code_label('region_level', 'dimension.region_level') }} as region_level_zh
from dimension
{%- if incremental %}
where false
{%- endif %}
