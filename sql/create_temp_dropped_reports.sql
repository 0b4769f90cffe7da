-- Current rows the batch removes: reports loaded again and reports superseded.
create or replace temp table dropped_reports as
select report_id from replaced_reports
union
select report_id from superseded_reports;
