-- One row per (report, rule, column) evaluated by the Great Expectations suites.
create table if not exists checks (
    report_id varchar not null,
    suite varchar not null,
    rule varchar not null,
    rule_id varchar not null,
    row_key varchar,
    column_key varchar,
    status varchar not null,
    severity varchar not null,
    expected decimal(38, 6),
    actual decimal(38, 6),
    difference decimal(38, 6)
);
