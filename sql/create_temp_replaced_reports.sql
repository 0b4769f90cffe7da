-- Reports the staged batch supersedes: the same content (report_id) or the same file
-- (source_path, possibly an older version). Their ingested_at is kept for unchanged files.
create or replace temp table replaced_reports as
select
    report_id,
    source_path,
    ingested_at
from reports
where report_id in (select report_id from staged_sources)
    or source_path in (select source_path from staged_sources);
