select
    report_id,
    scope
from check_queue;
