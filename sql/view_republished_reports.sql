-- Warnings: a body whose report for year Y prints exactly the numbers of its report for Y-1 in
-- every cell of its template (same template, every value equal, blanks where blanks were) —
-- last year's report republished. Tables that are all zero are left out: a small body with
-- nothing to report prints the same zeros every year.

-- Compared without pairing every cell of every report: the templates decide whether last
-- year's report has every cell of this year's (table 三 and the other tables each follow one
-- version); then each report's printed values on its template are summed up per part (count,
-- values not zero, a hash of cell and value), and only pairs whose parts agree are compared
-- value by value.
create or replace view republished_reports as
with template_parts as (
    -- per template version: its cells in table 三 and in the other tables
    select
        template_version,
        count(*) filter (where section = 'applications') as application_cells,
        count(*) filter (where section <> 'applications') as other_cells
    from dim_cells
    group by template_version
),
yearly as (
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
    -- this year's report beside last year's, when last year's has every cell of this year's
    select
        this_year.agency_id,
        this_year.agency_name,
        this_year.year,
        this_year.report_id,
        previous_year.report_id as previous_report_id,
        coalesce(applications.application_cells, 0) as application_cells,
        coalesce(others.other_cells, 0) as other_cells
    from yearly as this_year
    join yearly as previous_year
        on previous_year.agency_id = this_year.agency_id
        and previous_year.year = this_year.year - 1
    join report_templates as this_template
        on this_template.report_id = this_year.report_id
    join report_templates as previous_template
        on previous_template.report_id = previous_year.report_id
    left join template_parts as applications
        on applications.template_version = this_template.applications_version
    left join template_parts as others
        on others.template_version = this_template.template_version
    where (
            this_template.applications_version = previous_template.applications_version
            or coalesce(applications.application_cells, 0) = 0
        )
        and (
            this_template.template_version = previous_template.template_version
            or coalesce(others.other_cells, 0) = 0
        )
),
printed as (
    -- per report: its values in table 三 and in the other tables (how many, a hash of their
    -- cells and values), and how many are not zero
    select
        report_id,
        count(*) filter (where section = 'applications') as application_values,
        count(*) filter (where section <> 'applications') as other_values,
        sum(hash(section, row_key, column_key, value))
            filter (where section = 'applications') as application_fingerprint,
        sum(hash(section, row_key, column_key, value))
            filter (where section <> 'applications') as other_fingerprint,
        count(*) filter (where value <> 0) as non_zero_values
    from template_values
    group by report_id
),
candidates as (
    -- pairs whose parts print as many values with the same hash
    select
        pairs.*,
        this_year.application_values + this_year.other_values as printed_values,
        this_year.non_zero_values as non_zero_cells
    from pairs
    join printed as this_year
        on this_year.report_id = pairs.report_id
    join printed as previous_year
        on previous_year.report_id = pairs.previous_report_id
    where (
            pairs.application_cells = 0
            or (
                this_year.application_values = previous_year.application_values
                and this_year.application_fingerprint
                    is not distinct from previous_year.application_fingerprint
            )
        )
        and (
            pairs.other_cells = 0
            or (
                this_year.other_values = previous_year.other_values
                and this_year.other_fingerprint is not distinct from previous_year.other_fingerprint
            )
        )
),
candidate_values as (
    -- the candidates' values, to compare one by one
    select report_id, section, row_key, column_key, value
    from template_values
    where report_id in (
        select report_id from candidates
        union all
        select previous_report_id from candidates
    )
),
matched as (
    select
        candidates.report_id,
        count(*) as matched_values
    from candidates
    join candidate_values as this_value
        on this_value.report_id = candidates.report_id
    join candidate_values as previous_value
        on previous_value.report_id = candidates.previous_report_id
        and previous_value.section = this_value.section
        and previous_value.row_key = this_value.row_key
        and previous_value.column_key = this_value.column_key
        and previous_value.value = this_value.value
    group by candidates.report_id
)
select
    candidates.agency_id,
    candidates.agency_name,
    candidates.year,
    candidates.report_id,
    candidates.previous_report_id,
    candidates.application_cells + candidates.other_cells as cells,
    candidates.non_zero_cells,
    'warning' as severity
from candidates
join matched
    on matched.report_id = candidates.report_id
where matched.matched_values = candidates.printed_values
    and candidates.non_zero_cells > 0;
