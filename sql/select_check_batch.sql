select * from check_batch;
