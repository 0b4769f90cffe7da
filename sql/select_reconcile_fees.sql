select * from reconcile_fees
where report_id in (select report_id from check_batch where scope = 'report')
order by report_id, rule_id, row_key nulls first, column_key;
