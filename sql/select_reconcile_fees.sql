-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit. File, agency and year name each
-- failing row in the Great Expectations results and Data Docs.
select
    reconcile_fees.*,
    reconcile_fees.actual - reconcile_fees.expected as difference,
    reports.source_path,
    reports.agency,
    cast(reports.year as varchar) as report_year
from reconcile_fees
join reports
    on reports.report_id = reconcile_fees.report_id
where reconcile_fees.report_id in (select report_id from check_batch where scope = 'report')
order by
    reconcile_fees.report_id,
    reconcile_fees.rule_id,
    reconcile_fees.row_key nulls first,
    reconcile_fees.column_key;
