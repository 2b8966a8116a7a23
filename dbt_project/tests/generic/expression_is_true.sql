{#- Fails with every row where the boolean SQL `expression` is false (a null result passes). -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
