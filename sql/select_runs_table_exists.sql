-- Whether this DuckDB file has the runs table (an empty or old-layout file has not).
select count(*) > 0
from duckdb_tables()
where database_name = current_database()
    and schema_name = 'main'
    and table_name = 'runs';
