-- Every parse issue with its report's agency, year and parse status.
select
    parse_issues.*,
    reports.agency,
    reports.year,
    reports.parse_status
from parse_issues
join reports
    on reports.report_id = parse_issues.report_id
order by parse_issues.source_path, parse_issues.source_line nulls first, parse_issues.code;
