insert into report_flags by name
select * exclude (severity)
from failed_checks
where severity = 'error'
order by report_id, suite, rule_id, row_key nulls first, column_key;
