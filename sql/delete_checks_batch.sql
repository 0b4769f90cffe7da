-- The checks this chunk writes again: every rule of its 'report' scope, the cross-year rules
-- of the others.
delete from checks
where report_id in (select report_id from check_batch where scope = 'report')
    or (
        suite = 'cross_year'
        and report_id in (select report_id from check_batch)
    );
