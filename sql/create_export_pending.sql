-- Reports whose rows in reports or facts a load changed (loaded, superseded, moved, their
-- duplicates changed) and the Parquet export has not caught up with yet (emptied on publish).
create table if not exists export_pending (
    report_id varchar not null
);
