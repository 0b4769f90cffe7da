create table if not exists report_flags (
    report_id varchar not null,
    agency varchar,
    year integer,
    rule_id varchar not null,
    column_key varchar,
    expected decimal(38, 6),
    actual decimal(38, 6),
    difference decimal(38, 6)
);
