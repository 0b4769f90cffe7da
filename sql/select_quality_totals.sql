-- Headline numbers of the data-quality dashboard.
select
    (select count(*) from reports) as reports,
    (select count(*) from reports where parse_status <> 'failed') as reports_read,
    (select count(*) from reports where parse_status = 'parsed') as reports_parsed,
    (select count(*) from reports where parse_status = 'partial') as reports_partial,
    (select count(*) from reports where parse_status = 'failed') as reports_failed,
    (select count(*) from parse_issues) as parse_issues,
    (select count(distinct report_id) from report_flags) as flagged_reports,
    (select count(*) from report_flags) as error_flags,
    (
        select count(distinct report_id)
        from checks
        where status = 'failed' and severity = 'warning'
    ) as warned_reports,
    (select count(*) from checks where status = 'failed' and severity = 'warning') as warnings,
    (select count(*) from checks where status = 'failed') as failed_checks,
    (select count(distinct report_id) from checks where status = 'failed') as failing_reports,
    (select count(*) from checks where status = 'not_assessable') as not_assessable_checks,
    (select count(*) from checks) as checks;
