-- Current reports the batch loads again (same content, e.g. read by a new parser version):
-- replaced in place, keeping the time they were first ingested.
create or replace temp table replaced_reports as
select
    report_id,
    source_path,
    ingested_at
from reports
where report_id in (select report_id from batch_reports);
