drop table if exists check_context;
