-- An earlier decision on the same check (file, rule, cell) is replaced.
delete from review_decisions
where exists (
    select 1
    from staged_review_decisions as staged
    where staged.source_sha256 = review_decisions.source_sha256
        and staged.rule_id = review_decisions.rule_id
        and staged.row_key is not distinct from review_decisions.row_key
        and staged.column_key is not distinct from review_decisions.column_key
);
