-- The arithmetic identities of each template version, one row per term (from
-- pipeline/parsing/template.py, the one statement of the template): for every report, the terms
-- on side 'expected' must sum to the terms on side 'actual'. along = 'column': checked in every
-- column, the terms are row keys; along = 'row': checked in every row, the terms are column keys.
create table if not exists dim_identity_terms (
    rule varchar not null,
    template_version varchar not null,
    section varchar not null,
    along varchar not null,
    side varchar not null,
    term_key varchar not null
);
