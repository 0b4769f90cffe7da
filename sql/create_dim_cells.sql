-- Every cell of each template version, with the kind of number it holds:
-- count (non-negative integer), signed (本年增/减) or amount (money, may be fractional).
create table if not exists dim_cells (
    section varchar not null,
    template_version varchar not null,
    row_key varchar not null,
    column_key varchar not null,
    value_kind varchar not null
);
