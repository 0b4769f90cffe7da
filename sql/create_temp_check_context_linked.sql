-- The reports a chunk of a short queue is checked with: its own, and the previous-year
-- reports of the same body (report_agencies: however its name is spelt), which the
-- cross-year rules compare them with.
create or replace temp table check_context as
select report_id from check_batch
union
select previous_year.report_id
from check_batch
join report_agencies as current_year
    on current_year.report_id = check_batch.report_id
join report_agencies as previous_year
    on previous_year.agency_id = current_year.agency_id
    and previous_year.year = current_year.year - 1;
