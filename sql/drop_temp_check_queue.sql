drop table if exists check_queue;
