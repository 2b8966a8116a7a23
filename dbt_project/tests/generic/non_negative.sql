{#- Fails with every row where one of the columns is negative (nulls pass); negative_columns names them. -#}
{% test non_negative(model, column_names) %}

select
    *,
    concat_ws(', ', {% for column in column_names %}case when {{ column }} < 0 then '{{ column }}' end{{ ", " if not loop.last }}{% endfor %}) as negative_columns
from {{ model }}
where {% for column in column_names %}{{ column }} < 0{{ " or " if not loop.last }}{% endfor %}

{% endtest %}
