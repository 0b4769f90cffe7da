select
    count(*) as reports,
    count(*) filter (where parse_status = 'parsed') as parsed,
    count(*) filter (where parse_status = 'partial') as partial,
    count(*) filter (where parse_status = 'failed') as failed,
    (select count(*) from facts) as facts,
    (select count(*) from parse_issues) as issues
from reports;
