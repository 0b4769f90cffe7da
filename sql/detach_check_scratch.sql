detach database if exists check_scratch;
