create or replace temp table check_batch as
select * from staged_check_batch;
