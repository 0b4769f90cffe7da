-- A version that becomes current again (a file changed back) leaves the history.
delete from narrative_numbers_history
where report_id in (select report_id from batch_reports);
