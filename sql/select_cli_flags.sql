-- `govreports flags`: failed checks of the given severities, optionally one year, one rule
-- (family or rule id) and an agency (part of any spelling of the body's name), largest first,
-- with the reviewer's decision.
select
    check_reviews.report_id,
    check_reviews.source_path,
    check_reviews.agency,
    check_reviews.year,
    check_reviews.severity,
    check_reviews.suite,
    check_reviews.rule,
    check_reviews.rule_id,
    check_reviews.row_key,
    check_reviews.column_key,
    check_reviews.expected,
    check_reviews.actual,
    check_reviews.difference,
    check_reviews.review_status,
    check_reviews.review_note
from check_reviews
left join report_agencies
    on report_agencies.report_id = check_reviews.report_id
where list_contains($severities, check_reviews.severity)
    and ($year is null or check_reviews.year = $year)
    and ($rule is null or check_reviews.rule = $rule or check_reviews.rule_id = $rule)
    and (
        $agency is null
        or contains(check_reviews.agency, $agency)
        or contains(report_agencies.agency_name, $agency)
    )
order by
    check_reviews.severity,
    abs(check_reviews.difference) desc nulls last,
    check_reviews.agency,
    check_reviews.year,
    check_reviews.rule_id,
    check_reviews.column_key;
