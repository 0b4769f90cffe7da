-- Rows of every report the staged batch replaces or supersedes (create_temp_dropped_reports.sql).
delete from facts
where report_id in (select report_id from dropped_reports);
