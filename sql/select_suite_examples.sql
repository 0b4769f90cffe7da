-- The largest failing checks of each suite (|actual - expected|), $limit per suite.
select
    suite,
    report_id,
    rule_id,
    row_key,
    column_key,
    expected,
    actual
from checks
where status = 'failed'
qualify row_number() over (
    partition by suite
    order by abs(difference) desc nulls last, report_id, rule_id
) <= $limit
order by suite, abs(difference) desc nulls last, report_id, rule_id;
