-- The manifest: every file the raw directory held, what it holds now and since when. A run
-- re-reads a file only when its size or mtime changed (or another parser version read it);
-- sha256 is NULL when the file could not be read (it is tried again next run). A file that
-- left the raw directory keeps its row with removed_at set (its report stays in the warehouse).
create table if not exists source_files (
    source_path varchar not null,
    size bigint,
    mtime_ns bigint,
    sha256 varchar,
    report_id varchar,
    parser_version varchar,
    first_seen_at timestamptz not null,
    changed_at timestamptz not null,
    removed_at timestamptz
);
