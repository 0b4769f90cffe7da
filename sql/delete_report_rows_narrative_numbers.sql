delete from narrative_numbers
where report_id in (select report_id from replaced_reports);
