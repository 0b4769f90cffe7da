-- Current reports whose file now holds other content, when no file present holds them any
-- more: a new version superseded them (they move to the *_history tables).
create or replace temp table superseded_reports as
select
    reports.report_id,
    reports.agency,
    reports.year,
    now_at_path.report_id as superseded_by
from reports
join source_files as now_at_path
    on now_at_path.source_path = reports.source_path
where now_at_path.report_id is distinct from reports.report_id
    and reports.report_id not in (select report_id from batch_reports)
    and reports.report_id not in (
        select report_id
        from source_files
        where removed_at is null
            and report_id is not null
    );
