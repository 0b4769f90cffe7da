create table if not exists reports (
    report_id varchar primary key,
    source_path varchar not null,
    source_sha256 varchar not null,
    agency varchar,
    year integer,
    template_version varchar,
    parse_status varchar not null,
    encoding varchar,
    layout varchar,
    title varchar,
    parser_version varchar not null,
    source_bytes bigint not null,
    n_cells integer not null,
    n_issues integer not null,
    ingested_at timestamptz not null,
    -- table 三's （六） rows as printed: '2019' (other_handling) or '2021' (three sub-rows)
    applications_version varchar
);
