-- An unchanged file keeps the time it was first ingested, so reloading changes nothing.
insert into reports by name
select
    staged.* replace (coalesce(previous.ingested_at, staged.ingested_at) as ingested_at)
from staged_reports as staged
left join replaced_reports as previous
    on previous.report_id = staged.report_id
    and previous.source_path = staged.source_path;
