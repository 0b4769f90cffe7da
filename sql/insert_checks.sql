-- A chunk's checks as they come (a chunk's reports lie together in the table: sorting them
-- would cost a third of the insert and narrow no scan).
insert into checks by name
select
    *,
    actual - expected as difference
from staged_checks;
