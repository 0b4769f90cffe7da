-- The failed checks of one severity with the largest |actual - expected|, with their report.
select * exclude (severity)
from failed_checks
where severity = $severity
order by abs(difference) desc nulls last, report_id, rule_id, column_key
limit $limit;
