-- Every cell each report with a known template should print, and the value it printed
-- (NULL when blank, a placeholder, unreadable or not found). Table 三's （六） rows follow
-- what the report printed: a 2021 report may print the 2019 single row `other_handling`.
create or replace view expected_cells as
with printed_other_rows as (
    select
        report_id,
        bool_or(row_key = 'other_handling') as printed_2019_row,
        bool_or(row_key in ('other_no_correction', 'other_unpaid_fee', 'other_misc'))
            as printed_2021_rows
    from facts
    where section = 'applications'
    group by report_id
),
report_versions as (
    select
        reports.report_id,
        reports.template_version,
        case
            when printed_other_rows.printed_2019_row
                and not printed_other_rows.printed_2021_rows then '2019'
            when printed_other_rows.printed_2021_rows
                and not printed_other_rows.printed_2019_row then '2021'
            else reports.template_version
        end as applications_version
    from reports
    left join printed_other_rows
        on printed_other_rows.report_id = reports.report_id
    where reports.template_version is not null
)
select
    report_versions.report_id,
    dim_cells.section,
    dim_cells.row_key,
    dim_cells.column_key,
    dim_cells.value_kind,
    facts.report_id is not null as is_printed,
    facts.value
from report_versions
join dim_cells
    on dim_cells.template_version = case
        when dim_cells.section = 'applications' then report_versions.applications_version
        else report_versions.template_version
    end
left join facts
    on facts.report_id = report_versions.report_id
    and facts.section = dim_cells.section
    and facts.row_key = dim_cells.row_key
    and facts.column_key = dim_cells.column_key;
