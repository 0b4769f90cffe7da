update reports
set source_path = moved.source_path
from moved_reports as moved
where reports.report_id = moved.report_id;
