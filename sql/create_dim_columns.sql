create table if not exists dim_columns (
    section varchar not null,
    template_version varchar not null,
    column_key varchar not null,
    label_zh varchar not null,
    parent_label_zh varchar,
    column_order integer not null
);
