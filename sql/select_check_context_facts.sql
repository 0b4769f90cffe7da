-- The columns the reconcile views read (the printed text and its place stay in the warehouse:
-- a chunk's copy holds a million facts).
select report_id, agency, year, section, row_key, column_key, value
from facts
where report_id in (select report_id from check_context);
