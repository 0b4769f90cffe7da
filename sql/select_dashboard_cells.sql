-- Every cell the given reports printed, as read: value, raw text and where it was printed.
select
    report_id,
    section,
    row_key,
    column_key,
    value,
    raw_text,
    source_line,
    source_page,
    source_bbox
from facts
where list_contains($report_ids, report_id);
