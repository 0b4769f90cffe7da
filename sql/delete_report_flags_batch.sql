-- The flags of the checks this chunk writes again (as delete_checks_batch.sql).
delete from report_flags
where report_id in (select report_id from check_batch where scope = 'report')
    or (
        suite = 'cross_year'
        and report_id in (select report_id from check_batch)
    );
