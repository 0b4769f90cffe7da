-- The whole check queue as one batch (its earlier checks and flags deleted at once).
create or replace temp table check_batch as
select
    report_id,
    scope
from check_queue;
