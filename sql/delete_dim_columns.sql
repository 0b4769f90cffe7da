delete from dim_columns;
