-- The run's checks are written: this file now holds the run complete.
update runs
set state = 'complete',
    reports_checked = $reports_checked
where seq = $seq;
