insert into facts by name
select * from staged_facts;
