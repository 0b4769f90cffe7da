-- Every fact with its report's template version and the template's Chinese labels and order.
create or replace view fact_cells as
select
    facts.report_id,
    facts.agency,
    facts.year,
    reports.template_version,
    facts.section,
    facts.row_key,
    dim_rows.label_zh as row_label_zh,
    dim_rows.parent_label_zh as row_parent_label_zh,
    dim_rows.row_order,
    facts.column_key,
    dim_columns.label_zh as column_label_zh,
    dim_columns.column_order,
    facts.value,
    facts.raw_text,
    facts.source_line,
    facts.source_page,
    facts.source_bbox
from facts
join reports
    on reports.report_id = facts.report_id
left join dim_rows
    on dim_rows.section = facts.section
    and dim_rows.template_version = reports.template_version
    and dim_rows.row_key = facts.row_key
left join dim_columns
    on dim_columns.section = facts.section
    and dim_columns.template_version = reports.template_version
    and dim_columns.column_key = facts.column_key;
