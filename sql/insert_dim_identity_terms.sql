insert into dim_identity_terms by name
select * from staged_dim_identity_terms;
