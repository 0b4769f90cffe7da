-- Each report with the body that issued it (agencies, agency_names): the link across years
-- and spellings, the level and the region. Reports without an agency name have no row here.
create or replace view report_agencies as
select
    reports.report_id,
    reports.agency,
    reports.year,
    agency_names.agency_id,
    agencies.name as agency_name,
    agencies.level,
    agencies.government_level,
    agencies.region,
    agencies.region_path,
    agency_names.link_basis,
    agency_names.link_note
from reports
join agency_names
    on agency_names.agency = reports.agency
join agencies
    on agencies.agency_id = agency_names.agency_id;
