-- Identities between a body's report for year Y and its report for Y-1 (warnings):
-- carryover (carried_over(Y) = carried_forward(Y-1) per applicant column) and, when both
-- reports use the 2021 format, in_force_trend (in_force(Y) = in_force(Y-1) + issued - repealed).
-- The same body is the same agency_id (report_agencies): its reports are linked across years
-- even when its name is spelt differently (上海市科委 / 上海市科学技术委员会, OCR 沐阳 / 沭阳).
-- Only pairs with exactly one previous-year report of the same body are compared.
create or replace view reconcile_cross_year as
with dated_reports as (
    select
        reports.report_id,
        report_agencies.agency_id,
        reports.year,
        reports.template_version
    from reports
    join report_agencies
        on report_agencies.report_id = reports.report_id
    where reports.template_version is not null
        and reports.year is not null
),
report_pairs as (
    select
        current_year.report_id,
        current_year.template_version,
        previous_year.report_id as previous_report_id,
        previous_year.template_version as previous_template_version
    from dated_reports as current_year
    join dated_reports as previous_year
        on previous_year.agency_id = current_year.agency_id
        and previous_year.year = current_year.year - 1
    qualify count(*) over (partition by current_year.report_id) = 1
),
carryover as (
    select
        report_pairs.report_id,
        'carryover' as rule,
        'carryover' as rule_id,
        'carried_over' as row_key,
        this_year.column_key,
        last_year.value as expected,
        this_year.value as actual
    from report_pairs
    join expected_cells as this_year
        on this_year.report_id = report_pairs.report_id
        and this_year.section = 'applications'
        and this_year.row_key = 'carried_over'
    join expected_cells as last_year
        on last_year.report_id = report_pairs.previous_report_id
        and last_year.section = 'applications'
        and last_year.row_key = 'carried_forward'
        and last_year.column_key = this_year.column_key
),
active_rows as (
    select
        report_id,
        row_key,
        max(value) filter (where column_key = 'issued') as issued,
        max(value) filter (where column_key = 'repealed') as repealed,
        max(value) filter (where column_key = 'in_force') as in_force
    from expected_cells
    where section = 'active_disclosure'
        and row_key in ('rules', 'normative_documents')
    group by report_id, row_key
),
in_force_trend as (
    select
        report_pairs.report_id,
        'in_force_trend' as rule,
        'in_force_trend' as rule_id,
        this_year.row_key,
        'in_force' as column_key,
        last_year.in_force + this_year.issued - this_year.repealed as expected,
        this_year.in_force as actual
    from report_pairs
    join active_rows as this_year
        on this_year.report_id = report_pairs.report_id
    join active_rows as last_year
        on last_year.report_id = report_pairs.previous_report_id
        and last_year.row_key = this_year.row_key
    where report_pairs.template_version = '2021'
        and report_pairs.previous_template_version = '2021'
)
select * from carryover
union all
select * from in_force_trend;
