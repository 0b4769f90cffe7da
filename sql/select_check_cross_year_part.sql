-- A chunk's rows of the queue's cross-year frame (written once, partitioned by chunk), in the
-- order of the other frames (report, rule, row, column).
select * exclude (chunk)
from read_parquet($files, hive_partitioning = true)
order by report_id, rule_id, row_key nulls first, column_key;
