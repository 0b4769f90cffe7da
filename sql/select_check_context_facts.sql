select *
from facts
where report_id in (select report_id from check_context);
