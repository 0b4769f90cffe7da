delete from dim_identity_terms;
