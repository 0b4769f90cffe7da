-- The manifest as a run compares the raw directory with it.
select
    source_path,
    size,
    mtime_ns,
    sha256,
    parser_version,
    removed_at is not null as is_removed
from source_files;
