-- The chunk's context, copied into its in-memory database (check_scratch).
insert into check_scratch.reports by name
select *
from reports
where report_id in (select report_id from check_context);
