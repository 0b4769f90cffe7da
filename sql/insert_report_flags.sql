insert into report_flags by name
select * exclude (severity)
from failed_checks
where severity = 'error'
    and report_id in (select report_id from check_batch)
order by report_id, suite, rule_id, row_key nulls first, column_key;
