-- What the quality step checks next: every rule of the reports loaded or superseded (their
-- old checks are gone), the cross-year rules of their agency's neighbouring years; every rule
-- of every report when the rules themselves changed ($check_all).
insert into pending_checks by name
with changed as (
    select report_id, agency, year from batch_reports
    union all
    select report_id, agency, year from superseded_reports
)
select
    report_id,
    'report' as scope
from changed
union
select
    reports.report_id,
    'cross_year' as scope
from reports
join changed
    on reports.agency = changed.agency
    and reports.year between changed.year - 1 and changed.year + 1
union
select
    report_id,
    'report' as scope
from reports
where $check_all;
