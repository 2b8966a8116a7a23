{#- The Chinese label of `code` (a qualified column or SQL expression) in `vocabulary` of the code_labels seed, as a
    scalar subquery; null for a code the vocabulary lacks (its in_vocabulary test fails then). -#}
{% macro code_label(vocabulary, code) -%}
    (select labels.label_zh from {{ ref('code_labels') }} as labels
     where labels.vocabulary = '{{ vocabulary }}' and labels.code = {{ code }})
{%- endmacro %}
