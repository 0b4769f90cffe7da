-- Each number the narrative states, against the table cell(s) it describes (warnings).
-- A table cell that is NULL or missing makes the comparison not assessable.
create or replace view reconcile_narrative as
with table_totals as (
    select
        report_id,
        case row_key
            when 'new_received' then 'applications_received'
            when 'carried_over' then 'applications_carried_over'
        end as narrative_key,
        value
    from expected_cells
    where section = 'applications'
        and row_key in ('new_received', 'carried_over')
        and column_key = 'total'
    union all
    select
        report_id,
        'review_cases' as narrative_key,
        value
    from expected_cells
    where section = 'appeals'
        and row_key = 'review'
        and column_key = 'total'
    union all
    select
        report_id,
        'litigation_cases' as narrative_key,
        case when count(value) = 2 then sum(value) end as value
    from expected_cells
    where section = 'appeals'
        and row_key in ('litigation_direct', 'litigation_after_review')
        and column_key = 'total'
    group by report_id
)
select
    narrative_numbers.report_id,
    'narrative' as rule,
    'narrative:' || narrative_numbers.narrative_key as rule_id,
    cast(null as varchar) as row_key,
    'total' as column_key,
    narrative_numbers.value as expected,
    table_totals.value as actual
from narrative_numbers
left join table_totals
    on table_totals.report_id = narrative_numbers.report_id
    and table_totals.narrative_key = narrative_numbers.narrative_key;
