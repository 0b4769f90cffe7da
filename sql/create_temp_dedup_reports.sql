-- Reports whose set of files with identical content this batch may have changed.
create or replace temp table dedup_reports as
select report_id
from source_files
where source_path in (
    select source_path from staged_sources
    union all
    select source_path from staged_removed
)
union
select report_id from previous_files
union
select report_id from moved_reports;
