-- One chunk of the check queue: the reports its frames are computed for, with their scope and
-- where their facts lie (rowid range, as the queue was made).
select
    report_id,
    scope,
    first_fact_row,
    last_fact_row
from check_queue
where chunk = $chunk;
