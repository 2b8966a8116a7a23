{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_touched_reports() }}") }}
{%- set incremental = is_incremental() %}
with source as (
    select * from {{ source('lake', 'reports') }}
    where {{ only_touched(incremental) }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(file_id as varchar) as file_id,
        cast(source_uri as varchar) as source_uri,
        cast(file_name as varchar) as file_name,
        cast(media_type as varchar) as media_type,
        cast(title as varchar) as title,
        cast(publisher as varchar) as publisher,
        cast(publisher_source as varchar) as publisher_source,
        cast(org_type as varchar) as org_type,
        cast(admin_level as varchar) as admin_level,
        cast(province as varchar) as province,
        cast(city as varchar) as city,
        cast(county as varchar) as county,
        cast(township as varchar) as township,
        cast(region_id as varchar) as region_id,
        cast(region_level as varchar) as region_level,
        cast(region_code as varchar) as region_code,
        cast(region_code_system as varchar) as region_code_system,
        cast(region_status as varchar) as region_status,
        cast(region_confidence as double) as region_confidence,
        cast(region_review as boolean) as region_review,
        cast(region_clues as varchar) as region_clues,
        cast(report_year as integer) as report_year,
        cast(year_source as varchar) as year_source,
        cast(published_on as date) as published_on,
        cast(format_version as varchar) as format_version,
        cast(parse_status as varchar) as parse_status,
        cast(parser_version as varchar) as parser_version,
        cast(warnings as varchar) as warnings
    from source
)

select * from renamed
