insert into narrative_numbers by name
select * from staged_narrative_numbers;
