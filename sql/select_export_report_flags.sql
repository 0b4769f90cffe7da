select * from report_flags
order by report_id, suite, rule_id, row_key nulls first, column_key;
