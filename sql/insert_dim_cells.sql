insert into dim_cells by name
select * from staged_dim_cells;
