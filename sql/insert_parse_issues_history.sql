insert into parse_issues_history by name
select
    parse_issues.*,
    $run_at as superseded_at,
    superseded.superseded_by
from parse_issues
join superseded_reports as superseded
    on superseded.report_id = parse_issues.report_id;
