-- One row per report that was read at all: what the structure suite checks. Completeness is
-- only claimed (and so only checked) by reports whose parse_status is 'parsed'. rule_id, row_key
-- and column_key are the index columns every suite frame shares: NULL here, because the
-- structure suite names its rule in each expectation. The cells a report should print are
-- counted from the template (dim_cells); the printed ones are its facts on those cells.
create or replace view reconcile_structure as
with template_sizes as (
    select
        versions.template_version,
        versions.applications_version,
        count(*) as expected_cells
    from (select distinct template_version, applications_version from report_templates) as versions
    join dim_cells
        on dim_cells.template_version = case
            when dim_cells.section = 'applications' then versions.applications_version
            else versions.template_version
        end
    group by all
),
printed as (
    select
        report_id,
        count(*) as printed_cells,
        count(*) filter (where value < 0 and value_kind <> 'signed') as negative_values,
        count(*) filter (where value <> trunc(value) and value_kind = 'count')
            as fractional_counts
    from template_cells
    group by report_id
),
cell_counts as (
    select
        report_templates.report_id,
        template_sizes.expected_cells,
        coalesce(printed.printed_cells, 0) as printed_cells,
        coalesce(printed.negative_values, 0) as negative_values,
        coalesce(printed.fractional_counts, 0) as fractional_counts
    from report_templates
    join template_sizes
        on template_sizes.template_version = report_templates.template_version
        and template_sizes.applications_version = report_templates.applications_version
    left join printed
        on printed.report_id = report_templates.report_id
)
select
    reports.report_id,
    reports.parse_status,
    nullif(trim(reports.agency), '') as agency,
    reports.year,
    case when reports.parse_status = 'parsed' then cell_counts.expected_cells end
        as expected_cells,
    case when reports.parse_status = 'parsed' then cell_counts.printed_cells end
        as printed_cells,
    coalesce(cell_counts.negative_values, 0) as negative_values,
    coalesce(cell_counts.fractional_counts, 0) as fractional_counts,
    cast(null as varchar) as rule_id,
    cast(null as varchar) as row_key,
    cast(null as varchar) as column_key
from reports
left join cell_counts
    on cell_counts.report_id = reports.report_id
where reports.parse_status <> 'failed';
