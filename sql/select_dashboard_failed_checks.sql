-- Failed checks with their review status, errors first, the largest |difference| first within
-- each severity. $severity: only that severity (NULL: both); $report_ids: only those reports'
-- (NULL: every report's); $limit: the first so many (NULL: all).
select
    check_reviews.*,
    coalesce(report_agencies.level, 'unknown') as level
from check_reviews
left join report_agencies
    on report_agencies.report_id = check_reviews.report_id
where ($severity is null or check_reviews.severity = $severity)
    and ($report_ids is null or list_contains($report_ids, check_reviews.report_id))
order by
    check_reviews.severity,
    abs(check_reviews.difference) desc nulls last,
    check_reviews.report_id,
    check_reviews.rule_id,
    check_reviews.row_key nulls first,
    check_reviews.column_key
limit $limit;
