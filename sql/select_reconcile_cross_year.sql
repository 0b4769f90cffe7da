select * from reconcile_cross_year
order by report_id, rule_id, row_key nulls first, column_key;
