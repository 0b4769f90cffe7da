-- A version that becomes current again (a file changed back) leaves the history.
delete from parse_issues_history
where report_id in (select report_id from batch_reports);
