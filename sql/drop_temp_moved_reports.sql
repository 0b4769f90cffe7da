drop table if exists moved_reports;
