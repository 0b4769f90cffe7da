drop table if exists checks;
