-- One chunk of the check queue: the reports its frames are computed for, with their scope.
select
    report_id,
    scope
from check_queue
where chunk = $chunk;
