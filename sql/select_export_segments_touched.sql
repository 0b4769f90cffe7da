-- The Parquet parts (by file name, in every year folder) holding reports the load changed.
select distinct parse_filename(filename) as part
from read_parquet($files, filename = true)
where report_id in (select report_id from export_pending);
