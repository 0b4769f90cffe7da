-- The reports of chunk $chunk of the check queue, or of the whole queue when $chunk is NULL
-- (their earlier checks and flags are deleted at once).
create or replace temp table check_batch as
select
    report_id,
    scope
from check_queue
where $chunk is null or chunk = $chunk;
