-- The reports a chunk's own frames are computed from: the chunk's. (The cross-year frame is
-- computed once for the whole queue, over the warehouse: a chunk does not need the
-- previous-year reports its reports are compared with.)
create or replace temp table check_context as
select report_id from check_batch;
