-- Every cell each report with a known template should print, and the value it printed
-- (NULL when blank, a placeholder, unreadable or not found). Table 三's （六） rows follow what
-- the parser found the report printed (reports.applications_version): a 2021 report may print
-- the 2019 single row `other_handling`. template_version is the version each cell belongs to.
create or replace view expected_cells as
select
    report_templates.report_id,
    dim_cells.template_version,
    dim_cells.section,
    dim_cells.row_key,
    dim_cells.column_key,
    dim_cells.value_kind,
    facts.report_id is not null as is_printed,
    facts.value
from report_templates
join dim_cells
    on dim_cells.template_version = case
        when dim_cells.section = 'applications' then report_templates.applications_version
        else report_templates.template_version
    end
left join facts
    on facts.report_id = report_templates.report_id
    and facts.section = dim_cells.section
    and facts.row_key = dim_cells.row_key
    and facts.column_key = dim_cells.column_key;
