-- The manifest rows of the files read in this batch, before the batch.
create or replace temp table previous_files as
select *
from source_files
where source_path in (select source_path from staged_sources);
