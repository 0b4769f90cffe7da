-- Each body's cross-year warnings that need no checks: its implausible jumps and republished
-- reports (read over every fact, so read while the checks are validated; see ranked_agencies).
with jumps as (
    select agency_id, count(*) as jumps
    from implausible_jumps
    group by agency_id
),
republished as (
    select agency_id, count(*) as republished
    from republished_reports
    group by agency_id
)
select
    coalesce(jumps.agency_id, republished.agency_id) as agency_id,
    coalesce(jumps.jumps, 0) as implausible_jumps,
    coalesce(republished.republished, 0) as republished_reports
from jumps
full join republished
    on republished.agency_id = jumps.agency_id;
