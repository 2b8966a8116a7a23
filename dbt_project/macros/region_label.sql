{#- Visible label for a nullable region part of `reports`, so that marts never drop a report:
    the part itself; '（中央）' for central organs; '（未识别）' when the region is unresolved;
    '（无）' when the province is known but the report has no such level (e.g. a province-level organ). -#}
{% macro region_label(column) -%}
    case
        when {{ column }} is not null then {{ column }}
        when province is null and admin_level = 'central' then '（中央）'
        when province is null then '（未识别）'
        else '（无）'
    end
{%- endmacro %}
