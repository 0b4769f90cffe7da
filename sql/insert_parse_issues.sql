-- duplicate_content issues are written from the manifest below (insert_duplicate_issues.sql).
insert into parse_issues by name
select
    staged.* exclude (chunk, source_path),
    reports.source_path
from staged_parse_issues as staged
join batch_reports as batch
    on batch.report_id = staged.report_id
    and batch.chunk = staged.chunk
join reports
    on reports.report_id = staged.report_id
where staged.code <> 'duplicate_content';
