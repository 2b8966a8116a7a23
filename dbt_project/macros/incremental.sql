{#- Incremental builds (gongkai/warehouse/build.py). A build that adds a few reports copies the published warehouse and
    rebuilds only the rows of the reports it touched, listed in <lake>/state/touched_reports.parquet: report-level
    models delete those reports' rows and insert them again; region marts recompute the (region, year) groups the
    touched reports count in. A full build (a fresh file, or --full-refresh) builds every row. -#}

{#- The ids of the touched reports, as a subquery. -#}
{% macro touched_reports() -%}
    (select report_id from read_parquet('{{ env_var("GONGKAI_LAKE") }}/state/touched_reports.parquet'))
{%- endmacro %}

{#- Only the touched reports' rows when `incremental` (the model's is_incremental(), called in the model itself so that
    unit tests can override it): `where {{ only_touched(incremental) }}`. -#}
{% macro only_touched(incremental, column='report_id') -%}
    {% if incremental %}{{ column }} in {{ touched_reports() }}{% else %}true{% endif %}
{%- endmacro %}

{#- Pre-hook of a report-level incremental model: remove the touched reports' rows before they are inserted. -#}
{% macro delete_touched_reports(column='report_id') -%}
    {% if is_incremental() %}delete from {{ this }} where {{ column }} in {{ touched_reports() }}{% endif %}
{%- endmacro %}

{#- The key of a (region, year) group of the marts. -#}
{% macro group_key(region_id, report_year) -%}
    ({{ region_id }} || '|' || coalesce(cast({{ report_year }} as varchar), ''))
{%- endmacro %}

{#- The keys of the (region, year) groups the touched reports count in, as a subquery. `rollup`: the relation of
    int_report_region_rollup (default: its ref; a data test, which may not ref it, names it, macros/touched_tests.sql). -#}
{% macro touched_groups(rollup=none) -%}
    (select distinct {{ group_key('rollup_region_id', 'report_year') }}
     from {{ rollup or ref('int_report_region_rollup') }} where report_id in {{ touched_reports() }})
{%- endmacro %}

{#- Only the rows of touched groups when `incremental`. -#}
{% macro only_touched_groups(incremental, region_id='region_id', report_year='report_year') -%}
    {% if incremental %}{{ group_key(region_id, report_year) }} in {{ touched_groups() }}{% else %}true{% endif %}
{%- endmacro %}

{#- Pre-hook of a region mart: remove the touched groups' rows before they are computed again. -#}
{% macro delete_touched_groups(region_id='region_id') -%}
    {% if is_incremental() %}delete from {{ this }} where {{ group_key(region_id, 'report_year') }} in {{ touched_groups() }}{% endif %}
{%- endmacro %}
