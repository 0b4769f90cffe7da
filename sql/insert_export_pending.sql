insert into export_pending by name
select report_id from dropped_reports
union
select report_id from batch_reports
union
select report_id from moved_reports
union
select report_id from dedup_reports;
