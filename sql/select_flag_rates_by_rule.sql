-- Per rule family and severity: reports assessed, reports failing, and the share.
with per_report as (
    select
        suite,
        rule,
        severity,
        report_id,
        bool_or(status = 'failed') as has_failure,
        bool_or(status in ('passed', 'failed')) as was_assessed,
        count(*) filter (where status = 'failed') as failed_checks,
        count(*) filter (where status = 'not_assessable') as not_assessable_checks
    from checks
    group by suite, rule, severity, report_id
)
select
    suite,
    rule,
    severity,
    count(*) filter (where was_assessed) as assessed_reports,
    count(*) filter (where has_failure) as failed_reports,
    sum(failed_checks) as failed_checks,
    sum(not_assessable_checks) as not_assessable_checks,
    case
        when count(*) filter (where was_assessed) > 0
            then count(*) filter (where has_failure) / count(*) filter (where was_assessed)
    end as failure_rate
from per_report
group by suite, rule, severity
order by severity, suite, rule;
