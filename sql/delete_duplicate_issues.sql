delete from parse_issues
where code = 'duplicate_content'
    and report_id in (select report_id from dedup_reports);
