{#- Data tests of an incremental build (gongkai/warehouse/build.py sets GONGKAI_TOUCHED_TESTS=1) read only the rows that
    build rebuilt: rows of the touched reports in the report-level models, rows of the touched (region, year) groups
    in the region marts. Every other row is the published warehouse's, which passed the same tests when it was built,
    and the tests are all row-, report- or group-local (not null, a code in its vocabulary, relationships, a grain
    unique within a report or a group). dbt_project.yml gives each folder's tests the placeholder `where` below; a
    model that is rebuilt whole (a table or a view) keeps whole-table tests. -#}

{#- dbt's own macro, overridden as dbt documents: a placeholder `where` becomes the touched filter, or nothing. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if where in ('__touched_reports__', '__touched_groups__') -%}
        {%- set where = touched_filter(relation, where) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ')') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro touched_filter(relation, placeholder) -%}
    {%- if env_var('GONGKAI_TOUCHED_TESTS', '') != '1' or not is_incremental_model(relation.identifier) -%}
        {%- do return('') -%}
    {%- elif placeholder == '__touched_reports__' -%}
        {%- do return('report_id in ' ~ touched_reports()) -%}
    {%- endif -%}
    {%- set rollup = target.schema ~ '.int_report_region_rollup' -%}
    {%- do return(group_key('region_id', 'report_year') ~ ' in ' ~ touched_groups(rollup)) -%}
{%- endmacro %}

{#- Whether the model behind a relation is materialized incrementally. -#}
{% macro is_incremental_model(identifier) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.alias == identifier -%}
        {%- do return(node.config.materialized == 'incremental') -%}
    {%- endfor -%}
    {%- do return(false) -%}
{%- endmacro %}
