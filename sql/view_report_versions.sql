-- Every version of every report: the current ones (reports) and those a changed file
-- superseded (reports_history), newest first per file.
create or replace view report_versions as
select
    *,
    true as is_current,
    cast(null as timestamptz) as superseded_at,
    cast(null as varchar) as superseded_by
from reports
union all by name
select
    *,
    false as is_current
from reports_history;
