create table if not exists checks (
    report_id varchar not null,
    rule_id varchar not null,
    column_key varchar,
    status varchar not null,
    expected decimal(38, 6),
    actual decimal(38, 6),
    severity varchar not null
);
