create table if not exists facts (
    report_id varchar not null,
    agency varchar,
    year integer,
    section varchar not null,
    row_key varchar not null,
    column_key varchar not null,
    value decimal(38, 6),
    raw_text varchar,
    source_line integer,
    source_page integer,
    source_bbox varchar
);
