-- The choices of the dashboard's filters: the years and levels of the reports it lists (with a
-- failed check, or not fully read), the rules and severities that fail.
with listed as (
    select
        reports.year,
        coalesce(report_agencies.level, 'unknown') as level
    from reports
    left join report_agencies
        on report_agencies.report_id = reports.report_id
    where reports.parse_status <> 'parsed'
        or reports.report_id in (select report_id from checks where status = 'failed')
)
select
    (
        select coalesce(list(distinct year order by year), [])
        from listed
        where year is not null
    ) as year,
    (select coalesce(list(distinct rule order by rule), []) from failed_checks) as rule,
    (
        select coalesce(list(distinct severity order by severity), []) from failed_checks
    ) as severity,
    (select coalesce(list(distinct level), []) from listed) as level;
