-- Names that are gone or whose link changed (unchanged rows stay: see delete_agencies.sql).
delete from agency_names
where not exists (
    select 1
    from staged_agency_names as staged
    where staged.agency = agency_names.agency
        and staged.agency_id = agency_names.agency_id
        and staged.normalised_name = agency_names.normalised_name
        and staged.link_basis = agency_names.link_basis
        and staged.link_note is not distinct from agency_names.link_note
);
