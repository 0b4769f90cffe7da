select * from reconcile_narrative
order by report_id, rule_id, row_key nulls first, column_key;
