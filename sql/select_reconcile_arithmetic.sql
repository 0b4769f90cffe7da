-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit. File, agency and year name each
-- failing row in the Great Expectations results and Data Docs.
select
    reconcile_arithmetic.*,
    reconcile_arithmetic.actual - reconcile_arithmetic.expected as difference,
    reports.source_path,
    reports.agency,
    cast(reports.year as varchar) as report_year
from reconcile_arithmetic
join reports
    on reports.report_id = reconcile_arithmetic.report_id
where reconcile_arithmetic.report_id in (select report_id from check_batch where scope = 'report')
order by
    reconcile_arithmetic.report_id,
    reconcile_arithmetic.rule_id,
    reconcile_arithmetic.row_key nulls first,
    reconcile_arithmetic.column_key;
