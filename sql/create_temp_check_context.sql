-- The reports a chunk of a long queue is checked with: its own that get every rule (the
-- cross-year frame comes from one pass over the warehouse for the whole queue).
create or replace temp table check_context as
select report_id from check_batch
where scope = 'report';
