insert into checks by name
select
    *,
    actual - expected as difference
from staged_checks
order by report_id, suite, rule_id, row_key nulls first, column_key;
