delete from reports
where report_id in (select report_id from replaced_reports);
