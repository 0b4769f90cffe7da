drop table if exists report_flags;
