-- The last complete run of this file: its number and the rules version it was checked with.
select
    seq,
    checks_version
from runs
where state = 'complete'
order by seq desc
limit 1;
