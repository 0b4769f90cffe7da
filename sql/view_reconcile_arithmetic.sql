-- One row per report x identity x column (or row) of the template's identities, read from
-- dim_identity_terms (balance, outcomes, row_total, appeal_total). A side with any NULL or
-- missing term is NULL: the identity is then not assessable. Great Expectations compares
-- expected with actual.
create or replace view reconcile_arithmetic as
with along_columns as (
    -- checked in every column: the terms are rows of that column
    select
        cells.report_id,
        terms.rule,
        terms.rule || ':' || cells.column_key as rule_id,
        cast(null as varchar) as row_key,
        cells.column_key,
        terms.side,
        cells.value
    from expected_cells as cells
    join dim_identity_terms as terms
        on terms.along = 'column'
        and terms.template_version = cells.template_version
        and terms.section = cells.section
        and terms.term_key = cells.row_key
),
along_rows as (
    -- checked in every row: the terms are columns of that row
    select
        cells.report_id,
        terms.rule,
        terms.rule || ':' || cells.row_key as rule_id,
        cells.row_key,
        'total' as column_key,
        terms.side,
        cells.value
    from expected_cells as cells
    join dim_identity_terms as terms
        on terms.along = 'row'
        and terms.template_version = cells.template_version
        and terms.section = cells.section
        and terms.term_key = cells.column_key
),
terms as (
    select * from along_columns
    union all
    select * from along_rows
)
select
    report_id,
    rule,
    rule_id,
    row_key,
    column_key,
    case
        when count(value) filter (where side = 'expected') = count(*) filter (where side = 'expected')
            then sum(value) filter (where side = 'expected')
    end as expected,
    case
        when count(value) filter (where side = 'actual') = count(*) filter (where side = 'actual')
            then sum(value) filter (where side = 'actual')
    end as actual
from terms
group by report_id, rule, rule_id, row_key, column_key;
