-- Current reports the export has not caught up with ($everything: all of them).
select *
from reports
where $everything
    or report_id in (select report_id from export_pending);
