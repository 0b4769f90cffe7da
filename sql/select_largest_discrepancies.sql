-- The failed checks of one severity with the largest |actual - expected|, with their report.
select
    checks.report_id,
    reports.source_path,
    reports.agency,
    reports.year,
    checks.suite,
    checks.rule_id,
    checks.row_key,
    checks.column_key,
    checks.expected,
    checks.actual,
    checks.difference
from checks
join reports
    on reports.report_id = checks.report_id
where checks.status = 'failed'
    and checks.severity = $severity
order by abs(checks.difference) desc nulls last, checks.report_id, checks.rule_id, checks.column_key
limit $limit;
