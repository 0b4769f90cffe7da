insert into facts_history by name
select
    facts.*,
    $run_at as superseded_at,
    superseded.superseded_by
from facts
join superseded_reports as superseded
    on superseded.report_id = facts.report_id;
