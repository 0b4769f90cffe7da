-- Table 二: one row per (report, item, measure); the article (第二十条第…项) is the row's parent.
create or replace view fact_active_disclosure as
select
    report_id,
    agency,
    year,
    template_version,
    row_key,
    row_label_zh,
    row_parent_label_zh as article_zh,
    row_order,
    column_key,
    column_label_zh,
    column_order,
    value,
    raw_text,
    source_line,
    source_page,
    source_bbox
from fact_cells
where section = 'active_disclosure';
