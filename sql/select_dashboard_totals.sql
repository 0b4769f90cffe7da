-- The dashboard's counts beside select_quality_totals: the reports it lists (with a failed
-- error or warning, not fully read), the failed checks by review status and by severity, and
-- the bodies with a report (each with its row on the agencies list).
with failures as (
    select
        report_id,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where severity = 'warning') as warnings
    from checks
    where status = 'failed'
    group by report_id
),
reviewed as (
    select
        count(*) filter (where review_status = 'confirmed') as reviews_confirmed,
        count(*) filter (where review_status = 'dismissed') as reviews_dismissed,
        count(*) filter (where review_status = 'unreviewed') as reviews_unreviewed,
        count(*) filter (where severity = 'error') as error_checks_failed,
        count(*) filter (where severity = 'warning') as warning_checks_failed
    from check_reviews
)
select
    (
        select count(*)
        from failures
        join reports
            on reports.report_id = failures.report_id
        where failures.errors > 0 or failures.warnings > 0
    ) as reports_with_failures,
    (select count(*) from reports where parse_status <> 'parsed') as reports_not_parsed,
    reviewed.*,
    (select count(distinct agency_id) from report_agencies) as agencies
from reviewed;
