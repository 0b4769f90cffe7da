insert into dim_columns by name
select * from staged_dim_columns;
