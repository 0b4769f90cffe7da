-- Superseded versions of narrative_numbers: rows of reports whose file changed in place (same columns as
-- narrative_numbers, plus when and by which report version they were superseded). See report_versions.
create table if not exists narrative_numbers_history as
select
    *,
    cast(null as timestamptz) as superseded_at,
    cast(null as varchar) as superseded_by
from narrative_numbers
limit 0;
