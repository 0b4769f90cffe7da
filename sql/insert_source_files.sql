-- Every file read in this batch, with the version it holds now. changed_at moves only when
-- the content did.
insert into source_files by name
select
    staged.source_path,
    staged.size,
    staged.mtime_ns,
    staged.sha256,
    staged.report_id,
    staged.parser_version,
    coalesce(previous.first_seen_at, $run_at) as first_seen_at,
    case
        when previous.report_id = staged.report_id then previous.changed_at
        else $run_at
    end as changed_at,
    cast(null as timestamptz) as removed_at
from staged_sources as staged
left join previous_files as previous
    on previous.source_path = staged.source_path
qualify row_number() over (partition by staged.source_path order by staged.chunk) = 1;
