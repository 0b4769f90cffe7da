drop table if exists dedup_reports;
