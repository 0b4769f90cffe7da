-- Every failed check, errors first, the largest |difference| first within each severity.
select
    failed_checks.*,
    coalesce(report_agencies.level, 'unknown') as level
from failed_checks
left join report_agencies
    on report_agencies.report_id = failed_checks.report_id
order by
    failed_checks.severity,
    abs(failed_checks.difference) desc nulls last,
    failed_checks.report_id,
    failed_checks.rule_id,
    failed_checks.row_key nulls first,
    failed_checks.column_key;
