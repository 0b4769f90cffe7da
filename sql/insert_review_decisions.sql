insert into review_decisions by name
select * from staged_review_decisions;
