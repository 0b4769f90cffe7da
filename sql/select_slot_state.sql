-- The last complete run in this file, and whether a run was cut off after loading into it.
select
    coalesce(max(seq) filter (where state = 'complete'), 0) as seq,
    count(*) filter (where state <> 'complete') > 0 as dirty
from runs;
