-- `govreports show`: one report's failed checks, errors first.
select
    severity,
    rule,
    rule_id,
    row_key,
    column_key,
    expected,
    actual,
    difference
from failed_checks
where report_id = $id
order by severity, rule_id, row_key nulls first, column_key;
