-- The facts the reconcile views read, of the chunk's context, found within
-- $first_row..$last_row (where the queue found them; NULL: anywhere, a full scan), copied into
-- the chunk's in-memory database. The printed text and its place stay in the warehouse: a
-- chunk's copy holds a million facts.
insert into check_scratch.facts by name
select report_id, agency, year, section, row_key, column_key, value
from facts
where report_id in (select report_id from check_context)
    and ($first_row is null or rowid between $first_row and $last_row);
