delete from pending_checks
where report_id in (select report_id from check_batch);
