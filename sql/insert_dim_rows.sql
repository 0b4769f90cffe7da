insert into dim_rows by name
select * from staged_dim_rows;
