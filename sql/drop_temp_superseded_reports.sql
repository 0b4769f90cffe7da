drop table if exists superseded_reports;
