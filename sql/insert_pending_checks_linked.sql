-- Once the bodies are linked (agencies, agency_names): the cross-year rules of the same
-- body's neighbouring years, also where its name is spelt otherwise than the changed report's.
insert into pending_checks by name
select distinct
    neighbour.report_id,
    'cross_year' as scope
from pending_checks
join report_agencies as changed
    on changed.report_id = pending_checks.report_id
join report_agencies as neighbour
    on neighbour.agency_id = changed.agency_id
    and neighbour.year between changed.year - 1 and changed.year + 1
where pending_checks.scope = 'report';
