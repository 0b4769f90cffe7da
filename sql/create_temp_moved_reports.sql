-- Current reports whose file now holds other content while another file present still holds
-- theirs: they stay current, under that file's path.
create or replace temp table moved_reports as
select
    reports.report_id,
    min(present.source_path) as source_path
from reports
join source_files as now_at_path
    on now_at_path.source_path = reports.source_path
join source_files as present
    on present.report_id = reports.report_id
    and present.removed_at is null
where now_at_path.report_id is distinct from reports.report_id
    and reports.report_id not in (select report_id from batch_reports)
group by reports.report_id;
