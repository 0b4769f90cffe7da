-- The printed layout of every section and template version: rows, columns, and which cells
-- exist (dim_cells), in printed order.
select
    dim_rows.section,
    dim_rows.template_version,
    dim_rows.row_key,
    dim_rows.label_zh as row_label_zh,
    dim_rows.parent_label_zh as row_parent_label_zh,
    dim_columns.column_key,
    dim_columns.label_zh as column_label_zh,
    dim_columns.parent_label_zh as column_parent_label_zh,
    dim_cells.column_key is not null as has_cell
from dim_rows
join dim_columns
    on dim_columns.section = dim_rows.section
    and dim_columns.template_version = dim_rows.template_version
left join dim_cells
    on dim_cells.section = dim_rows.section
    and dim_cells.template_version = dim_rows.template_version
    and dim_cells.row_key = dim_rows.row_key
    and dim_cells.column_key = dim_columns.column_key
order by
    dim_rows.section,
    dim_rows.template_version,
    dim_rows.row_order,
    dim_columns.column_order;
