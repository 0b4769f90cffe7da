-- A chunk's cross-year frame (its part of the whole queue's, or computed with its context), in
-- the order of the other frames (report, rule, row, column).
select *
from staged_cross_year
order by report_id, rule_id, row_key nulls first, column_key;
