-- The reports a chunk's frames are computed from: the chunk's own, and the previous-year
-- reports of the same agency (the cross-year rules compare with them).
create or replace temp table check_context as
select report_id from check_batch
union
select previous_year.report_id
from check_batch
join reports as current_year
    on current_year.report_id = check_batch.report_id
join reports as previous_year
    on previous_year.agency = current_year.agency
    and previous_year.year = current_year.year - 1;
