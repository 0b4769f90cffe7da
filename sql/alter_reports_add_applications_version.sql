-- Warehouses created before reports.applications_version existed gain it (NULL until reloaded).
alter table reports add column if not exists applications_version varchar;
