-- A report loaded again keeps the time it was first ingested, so reloading changes nothing.
-- Its path is the first file present holding its content (the others are duplicate_content).
insert into reports by name
select
    staged.* exclude (chunk) replace (
        coalesce(kept.source_path, staged.source_path) as source_path,
        coalesce(previous.ingested_at, staged.ingested_at) as ingested_at
    )
from batch_reports as staged
left join replaced_reports as previous
    on previous.report_id = staged.report_id
left join (
    select
        report_id,
        min(source_path) as source_path
    from source_files
    where removed_at is null
        and report_id in (select report_id from batch_reports)
    group by report_id
) as kept
    on kept.report_id = staged.report_id;
