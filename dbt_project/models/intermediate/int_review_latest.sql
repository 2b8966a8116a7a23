-- The decision in force for each (file, rule, scope): the latest import wins.
select *
from {{ ref('stg_lake__review_decisions') }}
qualify row_number() over (partition by file_id, rule_id, scope order by reviewed_at desc, import_id desc) = 1
