-- The chunk's context, copied into its in-memory database (check_scratch).
insert into check_scratch.agencies by name
select *
from agencies
where agency_id in (
    select agency_names.agency_id
    from agency_names
    join reports
        on reports.agency = agency_names.agency
    where reports.report_id in (select report_id from check_context)
);
