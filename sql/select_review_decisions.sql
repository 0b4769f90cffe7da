select
    source_sha256,
    source_path,
    rule_id,
    row_key,
    column_key,
    decision,
    note,
    reviewer,
    decided_at
from review_decisions
order by source_path, rule_id, row_key nulls first, column_key, source_sha256;
