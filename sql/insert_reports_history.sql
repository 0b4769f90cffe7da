insert into reports_history by name
select
    reports.*,
    $run_at as superseded_at,
    superseded.superseded_by
from reports
join superseded_reports as superseded
    on superseded.report_id = reports.report_id;
