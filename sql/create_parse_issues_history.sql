-- Superseded versions of parse_issues: rows of reports whose file changed in place (same columns as
-- parse_issues, plus when and by which report version they were superseded). See report_versions.
create table if not exists parse_issues_history as
select
    *,
    cast(null as timestamptz) as superseded_at,
    cast(null as varchar) as superseded_by
from parse_issues
limit 0;
