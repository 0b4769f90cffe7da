-- Reports a load changed and the quality step has not checked yet (emptied by that step):
-- scope = 'report' for every rule (the report itself was loaded or superseded), 'cross_year'
-- for the rules between an agency's consecutive years only (a neighbouring year changed).
create table if not exists pending_checks (
    report_id varchar not null,
    scope varchar not null
);
