-- Each value a report prints on a cell of its template (template_cells without blanks). What
-- the headline figures add up and what the republished-report comparison matches.
create or replace view template_values as
select
    report_id,
    section,
    row_key,
    column_key,
    value
from template_cells
where value is not null;
