-- The failed checks of one report (by id or path) that a decision names: its rule_id, and its
-- row and column when given.
select
    reports.source_sha256,
    reports.source_path,
    checks.report_id,
    checks.rule_id,
    checks.row_key,
    checks.column_key
from checks
join reports
    on reports.report_id = checks.report_id
where checks.status = 'failed'
    and (reports.report_id = $report or reports.source_path = $report)
    and checks.rule_id = $rule_id
    and ($row_key is null or checks.row_key = $row_key)
    and ($column_key is null or checks.column_key = $column_key)
order by checks.row_key nulls first, checks.column_key;
