-- Reviewers' decisions on failed checks (pipeline/reviews.py), keyed by the file's content hash
-- + rule_id + cell, so that a decision survives re-runs and rebuilds: confirmed (the report is
-- wrong) or dismissed (a parser error; note says what). Reloaded from review_decisions.csv on
-- every quality run.
create table if not exists review_decisions (
    source_sha256 varchar not null,
    source_path varchar,
    rule_id varchar not null,
    row_key varchar,
    column_key varchar,
    decision varchar not null,
    note varchar,
    reviewer varchar,
    decided_at varchar not null
);
