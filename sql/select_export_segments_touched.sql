-- The Parquet parts (their paths, in every year folder) holding reports the load changed.
select distinct filename as part
from read_parquet($files, filename = true)
where report_id in (select report_id from export_pending);
