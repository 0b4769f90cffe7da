-- `govreports flags`: failed checks of the given severities, optionally one year, one rule
-- (family or rule id) and an agency (part of any spelling of the body's name), largest first.
select
    failed_checks.report_id,
    failed_checks.source_path,
    failed_checks.agency,
    failed_checks.year,
    failed_checks.severity,
    failed_checks.suite,
    failed_checks.rule,
    failed_checks.rule_id,
    failed_checks.row_key,
    failed_checks.column_key,
    failed_checks.expected,
    failed_checks.actual,
    failed_checks.difference,
    cast(null as varchar) as review_status
from failed_checks
left join report_agencies
    on report_agencies.report_id = failed_checks.report_id
where list_contains($severities, failed_checks.severity)
    and ($year is null or failed_checks.year = $year)
    and ($rule is null or failed_checks.rule = $rule or failed_checks.rule_id = $rule)
    and (
        $agency is null
        or contains(failed_checks.agency, $agency)
        or contains(report_agencies.agency_name, $agency)
    )
order by
    failed_checks.severity,
    abs(failed_checks.difference) desc nulls last,
    failed_checks.agency,
    failed_checks.year,
    failed_checks.rule_id,
    failed_checks.column_key;
