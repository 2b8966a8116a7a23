{#- Fails with one row per duplicated combination of `columns` (nulls compare equal, as in GROUP BY). -#}
{% test unique_grain(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
