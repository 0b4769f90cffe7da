-- Identical content under several paths is one report, kept under the first path; an info
-- issue names each other path present.
insert into parse_issues by name
select
    reports.report_id,
    reports.source_path,
    'info' as severity,
    'duplicate_content' as code,
    'identical content also at ' || other.source_path as message,
    cast(null as integer) as source_line,
    cast(null as varchar) as section,
    cast(null as varchar) as row_key
from reports
join source_files as other
    on other.report_id = reports.report_id
    and other.removed_at is null
    and other.source_path <> reports.source_path
where reports.report_id in (select report_id from dedup_reports);
