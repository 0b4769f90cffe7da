select
    count(distinct chunk) as chunks,
    count(*) as reports
from check_queue;
