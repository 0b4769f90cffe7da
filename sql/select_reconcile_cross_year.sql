-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit. File, agency and year name each
-- failing row in the Great Expectations results and Data Docs. Computed once for a whole check
-- queue and not ordered here (sorting every row at once outgrows the memory limit):
-- select_staged_cross_year.sql orders each chunk's part.
select
    reconcile_cross_year.*,
    reconcile_cross_year.actual - reconcile_cross_year.expected as difference,
    reports.source_path,
    reports.agency,
    cast(reports.year as varchar) as report_year
from reconcile_cross_year
join reports
    on reports.report_id = reconcile_cross_year.report_id
where reconcile_cross_year.report_id in (select report_id from check_batch);
