-- Per suite, over the whole warehouse: checks, failed checks, reports they flag, checks not
-- assessable.
select
    suite,
    count(*) as checks,
    count(*) filter (where status = 'failed') as failed_checks,
    count(distinct report_id) filter (where status = 'failed') as flagged_reports,
    count(*) filter (where status = 'not_assessable') as not_assessable_checks
from checks
group by suite;
