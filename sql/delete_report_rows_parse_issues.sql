delete from parse_issues
where report_id in (select report_id from replaced_reports)
    or report_id in (select report_id from staged_sources);
