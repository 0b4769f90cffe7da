-- The chunk's context, copied into its in-memory database (check_scratch).
insert into check_scratch.narrative_numbers by name
select *
from narrative_numbers
where report_id in (select report_id from check_context);
