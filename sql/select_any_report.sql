select 1 from reports limit 1;
