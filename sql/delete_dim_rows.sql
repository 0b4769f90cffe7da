delete from dim_rows;
