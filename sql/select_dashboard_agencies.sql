-- Each body across years: its reports, the years they cover, how many are flagged, its
-- cross-year warnings (carryover, in_force_trend, implausible jumps, a republished report),
-- and every spelling of its name with how it was linked. Flagged bodies first, then those with
-- the most cross-year warnings. staged_agency_warnings: select_agency_warnings.
with per_report as (
    select
        report_agencies.agency_id,
        report_agencies.report_id,
        report_agencies.year,
        exists (
            select 1 from report_flags where report_flags.report_id = report_agencies.report_id
        ) as is_flagged,
        exists (
            select 1
            from checks
            where checks.report_id = report_agencies.report_id
                and checks.suite = 'cross_year'
                and checks.status = 'failed'
        ) as is_cross_year_warned
    from report_agencies
),
spellings as (
    select
        agency_id,
        count(*) as spellings,
        list(
            agency || case
                when link_basis = 'same_name' then ''
                else ' (' || link_basis || coalesce(': ' || link_note, '') || ')'
            end
            order by link_basis <> 'same_name', agency
        ) as names
    from agency_names
    group by agency_id
),
per_agency as (
    select
        agency_id,
        count(*) as reports,
        list(distinct year order by year) filter (where year is not null) as years,
        count(*) filter (where is_flagged) as flagged_reports,
        count(*) filter (where is_cross_year_warned) as cross_year_warned_reports
    from per_report
    group by agency_id
)
select
    agencies.agency_id,
    agencies.name,
    agencies.level,
    agencies.government_level,
    agencies.region_path,
    per_agency.reports,
    per_agency.years,
    per_agency.flagged_reports,
    per_agency.cross_year_warned_reports,
    coalesce(warnings.implausible_jumps, 0) as implausible_jumps,
    coalesce(warnings.republished_reports, 0) as republished_reports,
    spellings.spellings,
    spellings.names
from agencies
join per_agency
    on per_agency.agency_id = agencies.agency_id
join spellings
    on spellings.agency_id = agencies.agency_id
left join staged_agency_warnings as warnings
    on warnings.agency_id = agencies.agency_id
order by
    per_agency.flagged_reports desc,
    per_agency.cross_year_warned_reports
        + coalesce(warnings.implausible_jumps, 0)
        + coalesce(warnings.republished_reports, 0) desc,
    agencies.name;
