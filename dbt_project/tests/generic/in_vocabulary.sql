{#- Fails with one row per value of the column that is not a code of `vocabulary` in the code_labels seed (generated
    from the Python vocabularies, tools/gen_seeds.py); nulls pass. The model side keeps the folder's touched filter
    (macros/touched_tests.sql); the seed side is read whole. -#}
{% test in_vocabulary(model, column_name, vocabulary) %}

select
    {{ column_name }} as code,
    count(*) as n_rows
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (
        select code from {{ ref('code_labels') }} where vocabulary = '{{ vocabulary }}'
    )
group by {{ column_name }}

{% endtest %}
