-- The failed error-severity checks, with the report's agency, year and file.
create table if not exists report_flags (
    report_id varchar not null,
    source_path varchar,
    agency varchar,
    year integer,
    suite varchar not null,
    rule varchar not null,
    rule_id varchar not null,
    row_key varchar,
    column_key varchar,
    expected decimal(38, 6),
    actual decimal(38, 6),
    difference decimal(38, 6)
);
