create table if not exists parse_issues (
    report_id varchar not null,
    source_path varchar not null,
    severity varchar not null,
    code varchar not null,
    message varchar not null,
    source_line integer,
    section varchar,
    row_key varchar
);
