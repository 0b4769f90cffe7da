-- The check queue: each report, the rules it gets (scope) and the chunk it is checked in.
select
    report_id,
    scope,
    chunk
from check_queue;
