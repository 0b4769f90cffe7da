-- Warnings: a body whose report for year Y prints exactly the numbers of its report for Y-1 in
-- every cell of its template (same template, every value equal, blanks where blanks were) —
-- last year's report republished. Tables that are all zero are left out: a small body with
-- nothing to report prints the same zeros every year.
create or replace view republished_reports as
with yearly as (
    select
        report_id,
        agency_id,
        agency_name,
        year
    from report_agencies
    where year is not null
    qualify count(*) over (partition by agency_id, year) = 1
),
pairs as (
    select
        this_year.agency_id,
        this_year.agency_name,
        this_year.year,
        this_year.report_id,
        previous_year.report_id as previous_report_id
    from yearly as this_year
    join yearly as previous_year
        on previous_year.agency_id = this_year.agency_id
        and previous_year.year = this_year.year - 1
),
compared as (
    select
        pairs.agency_id,
        pairs.agency_name,
        pairs.year,
        pairs.report_id,
        pairs.previous_report_id,
        count(*) as cells,
        count(previous_cell.report_id) as cells_in_both,
        count(*) filter (where this_cell.value is not distinct from previous_cell.value)
            as equal_cells,
        count(*) filter (where this_cell.value <> 0) as non_zero_cells
    from pairs
    join expected_cells as this_cell
        on this_cell.report_id = pairs.report_id
    left join expected_cells as previous_cell
        on previous_cell.report_id = pairs.previous_report_id
        and previous_cell.template_version = this_cell.template_version
        and previous_cell.section = this_cell.section
        and previous_cell.row_key = this_cell.row_key
        and previous_cell.column_key = this_cell.column_key
    group by all
)
select
    agency_id,
    agency_name,
    year,
    report_id,
    previous_report_id,
    cells,
    non_zero_cells,
    'warning' as severity
from compared
where cells_in_both = cells
    and equal_cells = cells
    and non_zero_cells > 0;
