insert into reports by name
select * from staged_reports;
