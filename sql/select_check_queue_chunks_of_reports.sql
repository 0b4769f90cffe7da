-- The chunk each queued report is checked in.
select
    report_id,
    chunk
from check_queue;
