-- The parse issues of the given reports, in source order.
select
    report_id,
    severity,
    code,
    message,
    source_line,
    section,
    row_key
from parse_issues
where list_contains($report_ids, report_id)
order by report_id, source_line nulls first, code;
