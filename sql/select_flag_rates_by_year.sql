-- Per report year: reports read, reports with an error flag, reports with a warning only.
with report_outcomes as (
    select
        reports.report_id,
        reports.year,
        exists (
            select 1 from report_flags where report_flags.report_id = reports.report_id
        ) as is_flagged,
        exists (
            select 1
            from checks
            where checks.report_id = reports.report_id
                and checks.status = 'failed'
                and checks.severity = 'warning'
        ) as is_warned
    from reports
    where reports.parse_status <> 'failed'
)
select
    year,
    count(*) as reports,
    count(*) filter (where is_flagged) as flagged_reports,
    count(*) filter (where is_warned and not is_flagged) as warned_only_reports,
    count(*) filter (where is_flagged) / count(*) as flag_rate
from report_outcomes
group by year
order by year nulls last;
