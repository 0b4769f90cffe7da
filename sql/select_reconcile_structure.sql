-- File and year (as text) name each failing row in the Great Expectations results and Data
-- Docs; agency and year are already columns the suite checks.
select
    reconcile_structure.*,
    reports.source_path,
    cast(reports.year as varchar) as report_year
from reconcile_structure
join reports
    on reports.report_id = reconcile_structure.report_id
where reconcile_structure.report_id in (select report_id from check_batch where scope = 'report')
order by reconcile_structure.report_id;
