select * from reconcile_structure
order by report_id;
