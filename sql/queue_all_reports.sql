-- Every current report, every rule (a full validation).
insert into pending_checks by name
select
    report_id,
    'report' as scope
from reports;
