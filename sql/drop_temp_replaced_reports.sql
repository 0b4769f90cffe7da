drop table if exists replaced_reports;
