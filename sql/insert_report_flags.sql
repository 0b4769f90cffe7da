-- The chunk's failed error-severity checks with their report's file, agency and year (the
-- rows view_failed_checks.sql gives for these reports, taken from the chunk's own checks).
insert into report_flags by name
select
    checks.report_id,
    reports.source_path,
    reports.agency,
    reports.year,
    checks.suite,
    checks.rule,
    checks.rule_id,
    checks.row_key,
    checks.column_key,
    checks.expected,
    checks.actual,
    checks.actual - checks.expected as difference
from staged_checks as checks
join reports
    on reports.report_id = checks.report_id
where checks.status = 'failed'
    and checks.severity = 'error'
order by checks.report_id, checks.suite, checks.rule_id, checks.row_key nulls first,
    checks.column_key;
