-- The template version each section of a report follows: table 三 as printed (a 2021 report
-- may print the 2019 （六） row, reports.applications_version), the other tables as the
-- report's template_version. Reports whose template is unknown are left out.
create or replace view report_templates as
select
    report_id,
    template_version,
    coalesce(applications_version, template_version) as applications_version
from reports
where template_version is not null;
