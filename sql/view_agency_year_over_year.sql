-- Year over year per body: each report's headline figures beside the same body's report of the
-- year before (linked by agency_id across spellings, see agency_names), with the change. Only
-- years in which the body has exactly one report are compared.
create or replace view agency_year_over_year as
with yearly as (
    select
        report_agencies.agency_id,
        report_agencies.agency_name,
        report_headlines.*
    from report_headlines
    join report_agencies
        on report_agencies.report_id = report_headlines.report_id
    where report_headlines.year is not null
    qualify count(*) over (partition by report_agencies.agency_id, report_headlines.year) = 1
)
select
    this_year.agency_id,
    this_year.agency_name,
    this_year.year,
    this_year.report_id,
    previous_year.report_id as previous_report_id,
    previous_year.received as previous_received,
    this_year.received,
    this_year.received - previous_year.received as received_change,
    previous_year.total_processed as previous_total_processed,
    this_year.total_processed,
    this_year.total_processed - previous_year.total_processed as total_processed_change,
    previous_year.denied as previous_denied,
    this_year.denied,
    this_year.denied - previous_year.denied as denied_change,
    previous_year.reconsiderations as previous_reconsiderations,
    this_year.reconsiderations,
    this_year.reconsiderations - previous_year.reconsiderations as reconsiderations_change,
    previous_year.lawsuits as previous_lawsuits,
    this_year.lawsuits,
    this_year.lawsuits - previous_year.lawsuits as lawsuits_change
from yearly as this_year
join yearly as previous_year
    on previous_year.agency_id = this_year.agency_id
    and previous_year.year = this_year.year - 1;
