insert into narrative_numbers_history by name
select
    narrative_numbers.*,
    $run_at as superseded_at,
    superseded.superseded_by
from narrative_numbers
join superseded_reports as superseded
    on superseded.report_id = narrative_numbers.report_id;
