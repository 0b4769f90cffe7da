-- Warnings: a headline figure that jumps implausibly from the body's previous year — at least
-- ten times larger or smaller, and by at least 100 (small bodies go from 1 to 12 applications
-- without anything being wrong). A typo in a total, a unit slip or another body's figures
-- show up here; nothing here is an error by itself.
create or replace view implausible_jumps as
with year_over_year as materialized (
    -- computed once for the four measures
    select * from agency_year_over_year
),
measures as (
    select agency_id, agency_name, year, report_id, previous_report_id,
        'received' as measure, previous_received as previous_value, received as value
    from year_over_year
    union all
    select agency_id, agency_name, year, report_id, previous_report_id,
        'total_processed', previous_total_processed, total_processed
    from year_over_year
    union all
    select agency_id, agency_name, year, report_id, previous_report_id,
        'reconsiderations', previous_reconsiderations, reconsiderations
    from year_over_year
    union all
    select agency_id, agency_name, year, report_id, previous_report_id,
        'lawsuits', previous_lawsuits, lawsuits
    from year_over_year
)
select
    agency_id,
    agency_name,
    year,
    report_id,
    previous_report_id,
    measure,
    previous_value,
    value,
    value - previous_value as change,
    'warning' as severity
from measures
where abs(value - previous_value) >= 100
    and (value >= 10 * previous_value or previous_value >= 10 * value);
