-- One row per run that changed the warehouse, in order (seq). state is 'loading' while the run
-- has loaded its increment but not checked it, then 'complete'. A file published to readers
-- only ever holds complete runs.
create table if not exists runs (
    seq integer not null,
    run_id varchar not null,
    state varchar not null,
    run_at timestamptz not null,
    parser_version varchar not null,
    checks_version varchar not null,
    files_seen bigint not null,
    files_new bigint not null,
    files_changed bigint not null,
    files_removed bigint not null,
    files_read bigint not null,
    reports_loaded bigint not null,
    reports_superseded bigint,
    reports_checked bigint
);
