-- The reports the dashboard lists: with a failed check, or not fully read. Its body's level
-- and region, its failed checks by severity, the rule families and rule ids that fail.
-- $only: 'failing' (a failed error or warning) or 'unread' (not fully read) keeps one list,
-- NULL both; $limit: the first so many (NULL: all).
with failures as (
    select
        report_id,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where severity = 'warning') as warnings,
        list(distinct rule order by rule) as rules,
        list(distinct severity order by severity) as severities
    from checks
    where status = 'failed'
    group by report_id
)
select
    reports.report_id,
    reports.source_path,
    reports.agency,
    reports.year,
    reports.parse_status,
    reports.template_version,
    coalesce(reports.applications_version, reports.template_version) as applications_version,
    reports.layout,
    report_agencies.agency_id,
    coalesce(report_agencies.level, 'unknown') as level,
    report_agencies.region_path,
    coalesce(failures.errors, 0) as errors,
    coalesce(failures.warnings, 0) as warnings,
    coalesce(failures.rules, []) as rules,
    coalesce(failures.severities, []) as severities
from reports
left join failures
    on failures.report_id = reports.report_id
left join report_agencies
    on report_agencies.report_id = reports.report_id
where (failures.report_id is not null or reports.parse_status <> 'parsed')
    and (
        $only is null
        or ($only = 'failing' and (failures.errors > 0 or failures.warnings > 0))
        or ($only = 'unread' and reports.parse_status <> 'parsed')
    )
order by
    coalesce(failures.errors, 0) = 0,
    reports.agency nulls last,
    reports.year,
    reports.source_path
limit $limit;
