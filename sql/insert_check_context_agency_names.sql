-- The chunk's context, copied into its in-memory database (check_scratch).
insert into check_scratch.agency_names by name
select *
from agency_names
where agency in (
    select agency
    from reports
    where report_id in (select report_id from check_context)
);
