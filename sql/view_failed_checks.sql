-- Every failed check with the file, agency and year of its report: report_flags (the errors)
-- and the dashboard's largest discrepancies read it.
create or replace view failed_checks as
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
    checks.severity,
    checks.expected,
    checks.actual,
    checks.difference
from checks
join reports
    on reports.report_id = checks.report_id
where checks.status = 'failed';
