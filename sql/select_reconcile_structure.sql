select * from reconcile_structure
where report_id in (select report_id from check_batch where scope = 'report')
order by report_id;
