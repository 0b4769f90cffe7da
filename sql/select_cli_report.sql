-- `govreports show`: one report by its id or its path in the raw dir.
select
    reports.report_id,
    reports.source_path,
    reports.agency,
    reports.year,
    reports.parse_status,
    reports.template_version,
    coalesce(reports.applications_version, reports.template_version) as applications_version,
    reports.layout,
    coalesce(report_agencies.level, 'unknown') as level,
    report_agencies.region_path
from reports
left join report_agencies
    on report_agencies.report_id = reports.report_id
where reports.report_id = $report
    or reports.source_path = $report
order by reports.report_id
limit 1;
