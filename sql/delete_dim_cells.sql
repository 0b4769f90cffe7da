delete from dim_cells;
