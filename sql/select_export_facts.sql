-- Current facts of the reports the export has not caught up with ($everything: all of them).
select *
from facts
where $everything
    or report_id in (select report_id from export_pending);
