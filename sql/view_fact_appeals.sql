-- Table 四: one row per (report, case type, outcome).
create or replace view fact_appeals as
select
    report_id,
    agency,
    year,
    template_version,
    row_key as case_type,
    row_label_zh as case_type_label_zh,
    row_parent_label_zh as case_type_parent_label_zh,
    row_order,
    column_key as outcome,
    column_label_zh as outcome_label_zh,
    column_order,
    value,
    raw_text,
    source_line,
    source_page,
    source_bbox
from fact_cells
where section = 'appeals';
