update parse_issues
set source_path = moved.source_path
from moved_reports as moved
where parse_issues.report_id = moved.report_id;
