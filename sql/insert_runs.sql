-- The run that loads this increment ('loading' until its checks are written).
insert into runs by name
select
    $seq as seq,
    $run_id as run_id,
    'loading' as state,
    $run_at as run_at,
    $parser_version as parser_version,
    $checks_version as checks_version,
    $files_seen as files_seen,
    $files_new as files_new,
    $files_changed as files_changed,
    $files_removed as files_removed,
    (select count(*) from staged_sources) as files_read,
    (select count(*) from batch_reports) as reports_loaded,
    (select count(*) from superseded_reports) as reports_superseded,
    cast(null as bigint) as reports_checked;
