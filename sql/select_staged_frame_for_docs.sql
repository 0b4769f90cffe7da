-- A chunk's arithmetic or narrative frame (staged_frame) as Data Docs show it: with the file,
-- agency and year that name each failing row, in a stable order (report, rule, row, column).
select
    frame.*,
    reports.source_path,
    reports.agency,
    cast(reports.year as varchar) as report_year
from staged_frame as frame
join reports
    on reports.report_id = frame.report_id
order by frame.report_id, frame.rule_id, frame.row_key nulls first, frame.column_key;
