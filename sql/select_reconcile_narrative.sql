-- difference = actual - expected, exact (DECIMAL): the expectation decides on it, so numbers
-- too long for float64 are still compared digit for digit. File, agency and year name each
-- failing row in the Great Expectations results and Data Docs.
select
    reconcile_narrative.*,
    reconcile_narrative.actual - reconcile_narrative.expected as difference,
    reports.source_path,
    reports.agency,
    cast(reports.year as varchar) as report_year
from reconcile_narrative
join reports
    on reports.report_id = reconcile_narrative.report_id
where reconcile_narrative.report_id in (select report_id from check_batch where scope = 'report')
order by
    reconcile_narrative.report_id,
    reconcile_narrative.rule_id,
    reconcile_narrative.row_key nulls first,
    reconcile_narrative.column_key;
