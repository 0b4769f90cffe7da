insert into parse_issues by name
select * from staged_parse_issues;
