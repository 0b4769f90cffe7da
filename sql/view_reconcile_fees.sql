-- 2025 reports on: the information-processing-fee table (五、信息处理费收取情况), when printed.
-- expected is an upper bound here: collected <= notified amount, and the applications closed
-- for an unpaid fee (table 三 other_unpaid_fee, total) <= the fee notices sent (warnings).
create or replace view reconcile_fees as
with fee_rows as (
    select
        report_id,
        max(value) filter (where column_key = 'notified_count') as notified_count,
        max(value) filter (where column_key = 'notified_amount_yuan') as notified_amount,
        max(value) filter (where column_key = 'collected_amount_yuan') as collected_amount
    from facts
    where section = 'fees'
        and row_key = 'information_processing_fee'
    group by report_id
),
unpaid as (
    select
        report_id,
        value
    from facts
    where section = 'applications'
        and row_key = 'other_unpaid_fee'
        and column_key = 'total'
)
select
    fee_rows.report_id,
    'fees' as rule,
    'fees:collected_within_notified' as rule_id,
    'information_processing_fee' as row_key,
    'collected_amount_yuan' as column_key,
    fee_rows.notified_amount as expected,
    fee_rows.collected_amount as actual
from fee_rows
union all
select
    fee_rows.report_id,
    'fees' as rule,
    'fees:unpaid_within_notified' as rule_id,
    'other_unpaid_fee' as row_key,
    'total' as column_key,
    fee_rows.notified_count as expected,
    unpaid.value as actual
from fee_rows
left join unpaid
    on unpaid.report_id = fee_rows.report_id;
