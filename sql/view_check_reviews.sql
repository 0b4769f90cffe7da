-- Every failed check with the reviewer's decision on it, if any (review_decisions, matched by
-- the file's content hash, rule_id and cell): review_status is 'confirmed', 'dismissed' or
-- 'unreviewed'. Which flags still need a look: where severity = 'error' and review_status =
-- 'unreviewed'.
create or replace view check_reviews as
select
    failed_checks.*,
    coalesce(review_decisions.decision, 'unreviewed') as review_status,
    review_decisions.note as review_note,
    review_decisions.reviewer,
    review_decisions.decided_at as reviewed_at
from failed_checks
join reports
    on reports.report_id = failed_checks.report_id
left join review_decisions
    on review_decisions.source_sha256 = reports.source_sha256
    and review_decisions.rule_id = failed_checks.rule_id
    and review_decisions.row_key is not distinct from failed_checks.row_key
    and review_decisions.column_key is not distinct from failed_checks.column_key;
