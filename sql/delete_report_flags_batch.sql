delete from report_flags
where report_id in (select report_id from check_batch);
