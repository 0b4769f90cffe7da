select * from reconcile_fees
order by report_id, rule_id, row_key nulls first, column_key;
