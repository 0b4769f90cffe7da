-- One staged row per report version. Files with identical content parsed in different chunks
-- are one report; its rows are taken from one chunk only (the first path's).
create or replace temp table batch_reports as
select *
from staged_reports
qualify row_number() over (partition by report_id order by source_path, chunk) = 1;
