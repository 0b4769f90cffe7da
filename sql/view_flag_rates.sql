-- Flag rate by administrative level, region and year: of the reports read (parse_status not
-- 'failed'), how many have at least one failed error check (report_flags). Level and region
-- come from the body's name (agencies); reports without an agency name count as 'unknown'.
create or replace view flag_rates as
with report_outcomes as (
    select
        reports.report_id,
        reports.year,
        coalesce(report_agencies.level, 'unknown') as level,
        report_agencies.region,
        exists (
            select 1 from report_flags where report_flags.report_id = reports.report_id
        ) as is_flagged
    from reports
    left join report_agencies
        on report_agencies.report_id = reports.report_id
    where reports.parse_status <> 'failed'
)
select
    level,
    region,
    year,
    count(*) as reports_read,
    count(*) filter (where is_flagged) as flagged_reports,
    round(count(*) filter (where is_flagged) / count(*), 4) as flag_rate
from report_outcomes
group by level, region, year;
