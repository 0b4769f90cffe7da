-- Files no longer in the raw directory: kept, marked removed (their reports stay current).
update source_files
set removed_at = $run_at
where source_path in (select source_path from staged_removed)
    and removed_at is null;
