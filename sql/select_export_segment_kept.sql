-- A Parquet part of the previous export without the rows of reports the load changed.
select *
from read_parquet($file)
where report_id not in (select report_id from export_pending);
