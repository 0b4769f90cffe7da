drop table if exists previous_files;
