drop table if exists check_batch;
