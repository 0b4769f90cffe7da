create or replace temp table check_batch as
select
    report_id,
    scope
from check_queue
where chunk = $chunk;
