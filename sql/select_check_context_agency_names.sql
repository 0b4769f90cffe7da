select *
from agency_names
where agency in (
    select agency
    from reports
    where report_id in (select report_id from check_context)
);
