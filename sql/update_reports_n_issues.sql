update reports
set n_issues = (
    select count(*)
    from parse_issues
    where parse_issues.report_id = reports.report_id
)
where report_id in (select report_id from dedup_reports);
