-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit. Data Docs get the file, agency and
-- year of each row, in order (select_staged_frame_for_docs.sql); the checks need neither.
select
    reconcile_arithmetic.*,
    reconcile_arithmetic.actual - reconcile_arithmetic.expected as difference
from reconcile_arithmetic
where reconcile_arithmetic.report_id in (select report_id from check_batch where scope = 'report');
