insert into facts by name
select * exclude (chunk)
from staged_facts
semi join batch_reports
    using (report_id, chunk);
