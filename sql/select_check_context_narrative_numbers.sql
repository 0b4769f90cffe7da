select *
from narrative_numbers
where report_id in (select report_id from check_context);
