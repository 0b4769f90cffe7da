-- The cells each failed check of the given reports reads, with the check's severity.
select
    failed_check_cells.report_id,
    failed_check_cells.rule_id,
    failed_check_cells.section,
    failed_check_cells.row_key,
    failed_check_cells.column_key,
    failed_check_cells.side,
    checks.severity
from failed_check_cells
join checks
    on checks.report_id = failed_check_cells.report_id
    and checks.rule_id = failed_check_cells.rule_id
    and checks.row_key is not distinct from failed_check_cells.check_row_key
    and checks.column_key is not distinct from failed_check_cells.check_column_key
    and checks.status = 'failed'
where list_contains($report_ids, failed_check_cells.report_id);
