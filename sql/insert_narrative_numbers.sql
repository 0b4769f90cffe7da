insert into narrative_numbers by name
select * exclude (chunk)
from staged_narrative_numbers
semi join batch_reports
    using (report_id, chunk);
