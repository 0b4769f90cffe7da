-- The current reports waiting for their checks, in chunks of $chunk_reports: scope 'report'
-- (every rule) or 'cross_year' (only the rules between consecutive years changed). Chunks
-- follow where each report's facts lie in the table (a report's facts are written together,
-- a load's reports one after another): a chunk's facts are then one narrow range of rows,
-- which the scan for its context skips to instead of reading every fact.
create or replace temp table check_queue as
with pending as (
    select
        report_id,
        bool_or(scope = 'report') as all_rules
    from pending_checks
    group by report_id
),
fact_rows as (
    select
        report_id,
        min(rowid) as first_fact_row,
        max(rowid) as last_fact_row
    from facts
    where report_id in (select report_id from pending)
    group by report_id
)
select
    pending.report_id,
    case when pending.all_rules then 'report' else 'cross_year' end as scope,
    fact_rows.first_fact_row,
    fact_rows.last_fact_row,
    cast(
        (row_number() over (order by fact_rows.first_fact_row nulls last, pending.report_id) - 1)
        // $chunk_reports as integer
    ) as chunk
from pending
join reports
    on reports.report_id = pending.report_id
left join fact_rows
    on fact_rows.report_id = pending.report_id;
