-- Every agency name as printed in reports, and the body it belongs to. link_basis says why:
-- same_name (the body's canonical spelling), normalised (equal after width/space/关于
-- normalisation), abbreviation (equal once a short form such as 科委 is written out) or
-- ocr_variant (one look-alike character apart, e.g. 沐/沭, never two reports of one year);
-- link_note names the short form or the characters.
create table if not exists agency_names (
    agency varchar primary key,
    agency_id varchar not null,
    normalised_name varchar not null,
    link_basis varchar not null,
    link_note varchar
);
