-- Table 三: one row per (report, outcome row, applicant type).
create or replace view fact_applications as
select
    report_id,
    agency,
    year,
    template_version,
    row_key,
    row_label_zh,
    row_parent_label_zh,
    row_order,
    column_key as applicant_type,
    column_label_zh as applicant_type_label_zh,
    column_order,
    value,
    raw_text,
    source_line,
    source_page,
    source_bbox
from fact_cells
where section = 'applications';
