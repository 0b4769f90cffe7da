delete from source_files
where source_path in (select source_path from staged_sources);
