drop table if exists dropped_reports;
