select * from reconcile_cross_year
where report_id in (select report_id from check_batch)
order by report_id, rule_id, row_key nulls first, column_key;
