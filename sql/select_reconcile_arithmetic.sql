select * from reconcile_arithmetic
order by report_id, rule_id, row_key nulls first, column_key;
