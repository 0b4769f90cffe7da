create table if not exists dim_rows (
    section varchar not null,
    template_version varchar not null,
    row_key varchar not null,
    label_zh varchar not null,
    parent_label_zh varchar,
    row_order integer not null
);
