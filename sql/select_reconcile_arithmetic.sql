-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit.
select
    *,
    actual - expected as difference
from reconcile_arithmetic
order by report_id, rule_id, row_key nulls first, column_key;
