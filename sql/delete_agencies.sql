-- Bodies that are gone or whose row changed. Rows that stay the same are not rewritten: every
-- write to this primary-keyed table also updates its index.
delete from agencies
where not exists (
    select 1
    from staged_agencies as staged
    where staged.agency_id = agencies.agency_id
        and staged.name = agencies.name
        and staged.level = agencies.level
        and staged.government_level is not distinct from agencies.government_level
        and staged.region is not distinct from agencies.region
        and staged.region_path is not distinct from agencies.region_path
);
