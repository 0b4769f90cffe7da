-- The current reports waiting for their checks, in chunks of $chunk_reports: scope 'report'
-- (every rule) or 'cross_year' (only the rules between consecutive years changed).
create or replace temp table check_queue as
with pending as (
    select
        report_id,
        bool_or(scope = 'report') as all_rules
    from pending_checks
    group by report_id
)
select
    pending.report_id,
    case when pending.all_rules then 'report' else 'cross_year' end as scope,
    cast((row_number() over (order by pending.report_id) - 1) // $chunk_reports as integer)
        as chunk
from pending
join reports
    on reports.report_id = pending.report_id;
