-- One row per report that was read at all: what the structure suite checks. Completeness is
-- only claimed (and so only checked) by reports whose parse_status is 'parsed'. rule_id, row_key
-- and column_key are the index columns every suite frame shares: NULL here, because the
-- structure suite names its rule in each expectation.
create or replace view reconcile_structure as
with cell_counts as (
    select
        report_id,
        count(*) as expected_cells,
        count(*) filter (where is_printed) as printed_cells,
        count(*) filter (where value < 0 and value_kind <> 'signed') as negative_values,
        count(*) filter (where value <> trunc(value) and value_kind = 'count')
            as fractional_counts
    from expected_cells
    group by report_id
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
