-- One row per report x identity x column (or row) of the template's identities, read from
-- dim_identity_terms (balance, outcomes, row_total, appeal_total). A side with any NULL or
-- missing term is NULL: the identity is then not assessable. Great Expectations compares
-- expected with actual. The checks each report must make come from the template alone (dim
-- tables); the printed facts are matched to their terms once, then summed per check.
create or replace view reconcile_arithmetic as
with identity_terms as (
    -- every check of every identity (in each column, or in each row) and the cells it adds
    select
        terms.rule,
        terms.template_version,
        terms.section,
        terms.rule || ':' || case
            when terms.along = 'column' then cells.column_key else cells.row_key
        end as rule_id,
        case when terms.along = 'row' then cells.row_key end as row_key,
        case when terms.along = 'column' then cells.column_key else 'total' end as column_key,
        terms.side,
        cells.row_key as cell_row_key,
        cells.column_key as cell_column_key
    from dim_identity_terms as terms
    join dim_cells as cells
        on cells.template_version = terms.template_version
        and cells.section = terms.section
        and (
            (terms.along = 'column' and cells.row_key = terms.term_key)
            or (terms.along = 'row' and cells.column_key = terms.term_key)
        )
),
identity_checks as (
    select
        rule,
        template_version,
        section,
        rule_id,
        row_key,
        column_key,
        count(*) filter (where side = 'expected') as expected_terms,
        count(*) filter (where side = 'actual') as actual_terms
    from identity_terms
    group by all
),
report_checks as (
    select
        report_templates.report_id,
        identity_checks.*
    from report_templates
    join identity_checks
        on identity_checks.template_version = case
            when identity_checks.section = 'applications'
                then report_templates.applications_version
            else report_templates.template_version
        end
),
term_values as (
    select
        facts.report_id,
        identity_terms.rule_id,
        count(facts.value) filter (where identity_terms.side = 'expected')
            as expected_values,
        sum(facts.value) filter (where identity_terms.side = 'expected') as expected_sum,
        count(facts.value) filter (where identity_terms.side = 'actual') as actual_values,
        sum(facts.value) filter (where identity_terms.side = 'actual') as actual_sum
    from facts  -- each section in its template version, as template_cells matches it
    join report_templates
        on report_templates.report_id = facts.report_id
    join identity_terms
        on identity_terms.section = facts.section
        and identity_terms.cell_row_key = facts.row_key
        and identity_terms.cell_column_key = facts.column_key
        and identity_terms.template_version = case
            when facts.section = 'applications'
                then report_templates.applications_version
            else report_templates.template_version
        end
    group by facts.report_id, identity_terms.rule_id
)
select
    report_checks.report_id,
    report_checks.rule,
    report_checks.rule_id,
    report_checks.row_key,
    report_checks.column_key,
    case
        when coalesce(term_values.expected_values, 0) = report_checks.expected_terms
            then term_values.expected_sum
    end as expected,
    case
        when coalesce(term_values.actual_values, 0) = report_checks.actual_terms
            then term_values.actual_sum
    end as actual
from report_checks
left join term_values
    on term_values.report_id = report_checks.report_id
    and term_values.rule_id = report_checks.rule_id;
