-- Superseded versions of reports: rows of reports whose file changed in place (same columns as
-- reports, plus when and by which report version they were superseded). See report_versions.
create table if not exists reports_history as
select
    *,
    cast(null as timestamptz) as superseded_at,
    cast(null as varchar) as superseded_by
from reports
limit 0;
