-- Rows of every report the staged batch supersedes (see create_temp_replaced_reports.sql).
delete from facts
where report_id in (select report_id from replaced_reports);
