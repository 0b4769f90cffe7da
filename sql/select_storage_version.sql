select map_extract_value(tags, 'storage_version') as storage_version
from duckdb_databases()
where database_name = current_database();
