-- The cells of its own report each failed check reads: what a reviewer looks at to see why a
-- report does not add up (the dashboard highlights them, `govreports show` marks them).
-- side: 'expected' or 'actual' (the identity's two sides, as in dim_identity_terms), or 'cell'
-- for a structure rule's offending cell (negative, fractional, or not printed). The identities
-- come from dim_identity_terms (the template's one statement); cross-year, narrative and fee
-- rules name their cells here. carryover's other cell is in the previous year's report.
create or replace view failed_check_cells as
with failed as (
    select
        checks.report_id,
        checks.rule,
        checks.rule_id,
        checks.row_key as check_row_key,
        checks.column_key as check_column_key
    from checks
    where checks.status = 'failed'
),
identity_cells as (
    select
        failed.*,
        terms.section,
        case when terms.along = 'column' then terms.term_key else failed.check_row_key end
            as row_key,
        case when terms.along = 'column' then failed.check_column_key else terms.term_key end
            as column_key,
        terms.side
    from failed
    join reports
        on reports.report_id = failed.report_id
    join dim_identity_terms as terms
        on terms.rule = failed.rule
        and terms.template_version = case
            when terms.section = 'applications'
                then coalesce(reports.applications_version, reports.template_version)
            else reports.template_version
        end
),
named_cells as (
    select
        failed.*,
        named.section,
        named.row_key,
        coalesce(named.column_key, failed.check_column_key) as column_key,
        named.side
    from failed
    join (
        -- rule_id, section, row_key (NULL: the check's own), column_key (NULL: the check's own), side
        values
            ('carryover', 'applications', 'carried_over', null, 'actual'),
            ('in_force_trend', 'active_disclosure', null, 'issued', 'expected'),
            ('in_force_trend', 'active_disclosure', null, 'repealed', 'expected'),
            ('in_force_trend', 'active_disclosure', null, 'in_force', 'actual'),
            ('narrative:applications_received', 'applications', 'new_received', 'total', 'actual'),
            ('narrative:applications_carried_over', 'applications', 'carried_over', 'total', 'actual'),
            ('narrative:review_cases', 'appeals', 'review', 'total', 'actual'),
            ('narrative:litigation_cases', 'appeals', 'litigation_direct', 'total', 'actual'),
            ('narrative:litigation_cases', 'appeals', 'litigation_after_review', 'total', 'actual'),
            ('fees:collected_within_notified', 'fees', 'information_processing_fee', 'notified_amount_yuan', 'expected'),
            ('fees:collected_within_notified', 'fees', 'information_processing_fee', 'collected_amount_yuan', 'actual'),
            ('fees:unpaid_within_notified', 'fees', 'information_processing_fee', 'notified_count', 'expected'),
            ('fees:unpaid_within_notified', 'applications', 'other_unpaid_fee', 'total', 'actual')
    ) as named(rule_id, section, row_key, column_key, side)
        on named.rule_id = failed.rule_id
),
named_rows as (
    -- in_force_trend names its row (rules or normative_documents) in the check itself
    select
        report_id,
        rule,
        rule_id,
        check_row_key,
        check_column_key,
        section,
        coalesce(row_key, check_row_key) as row_key,
        column_key,
        side
    from named_cells
),
structure_cells as (
    -- the offending cells among those its report's template expects (as expected_cells),
    -- looked up for the reports failing a structure rule only
    select
        failed.*,
        dim_cells.section,
        dim_cells.row_key,
        dim_cells.column_key,
        'cell' as side
    from failed
    join reports
        on reports.report_id = failed.report_id
    join dim_cells
        on dim_cells.template_version = case
            when dim_cells.section = 'applications'
                then coalesce(reports.applications_version, reports.template_version)
            else reports.template_version
        end
    left join facts
        on facts.report_id = failed.report_id
        and facts.section = dim_cells.section
        and facts.row_key = dim_cells.row_key
        and facts.column_key = dim_cells.column_key
    where failed.rule_id in (
            'structure:non_negative', 'structure:integer_counts', 'structure:complete_cells'
        )
        and (
            (failed.rule_id = 'structure:non_negative' and facts.value < 0
                and dim_cells.value_kind <> 'signed')
            or (failed.rule_id = 'structure:integer_counts' and facts.value <> trunc(facts.value)
                and dim_cells.value_kind = 'count')
            or (failed.rule_id = 'structure:complete_cells' and facts.report_id is null)
        )
)
select * from identity_cells
union all
select * from named_rows
union all
select * from structure_cells;
