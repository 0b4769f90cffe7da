-- One row per report x identity x column of report-template.md (balance, outcomes,
-- row_total, appeal_total). A side with any NULL or missing term is NULL: the identity is
-- then not assessable. Great Expectations compares expected with actual.
create or replace view reconcile_arithmetic as
with application_cells as (
    select
        *,
        row_key not in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
            as is_outcome
    from expected_cells
    where section = 'applications'
),
balance as (
    select
        report_id,
        'balance' as rule,
        'balance:' || column_key as rule_id,
        cast(null as varchar) as row_key,
        column_key,
        case
            when count(value) filter (where row_key in ('new_received', 'carried_over')) = 2
                then sum(value) filter (where row_key in ('new_received', 'carried_over'))
        end as expected,
        case
            when count(value) filter (
                where row_key in ('total_processed', 'carried_forward')
            ) = 2
                then sum(value) filter (where row_key in ('total_processed', 'carried_forward'))
        end as actual
    from application_cells
    group by report_id, column_key
),
outcomes as (
    select
        report_id,
        'outcomes' as rule,
        'outcomes:' || column_key as rule_id,
        cast(null as varchar) as row_key,
        column_key,
        max(value) filter (where row_key = 'total_processed') as expected,
        case
            when count(value) filter (where is_outcome) = count(*) filter (where is_outcome)
                then sum(value) filter (where is_outcome)
        end as actual
    from application_cells
    group by report_id, column_key
),
totals as (
    -- 总计 column of table 三 (row_total) and of table 四 (appeal_total)
    select
        report_id,
        case section when 'applications' then 'row_total' else 'appeal_total' end as rule,
        case section when 'applications' then 'row_total:' else 'appeal_total:' end
            || row_key as rule_id,
        row_key,
        'total' as column_key,
        max(value) filter (where column_key = 'total') as expected,
        case
            when count(value) filter (where column_key <> 'total')
                = count(*) filter (where column_key <> 'total')
                then sum(value) filter (where column_key <> 'total')
        end as actual
    from expected_cells
    where section in ('applications', 'appeals')
    group by report_id, section, row_key
),
identities as (
    select * from balance
    union all
    select * from outcomes
    union all
    select * from totals
)
select
    identities.report_id,
    identities.rule,
    identities.rule_id,
    identities.row_key,
    identities.column_key,
    identities.expected,
    identities.actual
from identities;
