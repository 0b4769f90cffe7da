-- PDF provenance (page, cell box), added to warehouses created before PDF input.
alter table facts add column if not exists source_page integer;
