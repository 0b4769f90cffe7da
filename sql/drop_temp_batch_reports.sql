drop table if exists batch_reports;
