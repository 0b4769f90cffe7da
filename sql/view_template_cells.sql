-- Each cell a report prints on a cell of its template, blanks included, with the template
-- version it was matched in (each section's as in expected_cells: table 三 follows
-- applications_version) and the cell's value kind. What reconcile_structure counts and
-- template_values reads.
create or replace view template_cells as
select
    facts.report_id,
    facts.section,
    facts.row_key,
    facts.column_key,
    facts.value,
    dim_cells.template_version,
    dim_cells.value_kind
from facts
join report_templates
    on report_templates.report_id = facts.report_id
join dim_cells
    on dim_cells.section = facts.section
    and dim_cells.row_key = facts.row_key
    and dim_cells.column_key = facts.column_key
    and dim_cells.template_version = case
        when facts.section = 'applications' then report_templates.applications_version
        else report_templates.template_version
    end;
