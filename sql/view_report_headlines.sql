-- The headline figures of each report (总计 column of table 三, totals of table 四): how many
-- applications it received and carried over, how it handled them, how many reconsiderations
-- (行政复议) and lawsuits (行政诉讼) it faced, and its correction rate (纠错率: cases whose
-- outcome was corrected, 结果纠正, of the cases concluded, 总计 − 尚未审结, over review and both
-- kinds of litigation). A figure summing several cells is NULL when any of them is (as in the
-- checks): denied = the eight 不予公开 rows, unable = the three 无法提供 rows, rejected = the
-- five 不予处理 rows, other = （六）其他处理 (one row in 2019, three in 2021).
create or replace view report_headlines as
with summed_cells as (
    -- per version of table 三: how many 总计 cells each summed figure adds up
    select
        template_version,
        count(*) filter (where row_key like 'denied%') as denied_cells,
        count(*) filter (where row_key like 'unable%') as unable_cells,
        count(*) filter (where row_key like 'rejected%') as rejected_cells,
        count(*) filter (where row_key like 'other%') as other_cells
    from dim_cells
    where section = 'applications'
        and column_key = 'total'
    group by template_version
),
printed as (
    -- the values each report prints in the 总计 column of table 三 and in table 四, on the cells
    -- of its template (blanks left out: every figure below counts or adds values only)
    select report_id, section, row_key, column_key, value
    from template_values
    where (section = 'applications' and column_key = 'total')
        or section = 'appeals'
),
applications as (
    -- every report whose template has a 总计 column in table 三
    select
        report_templates.report_id,
        max(printed.value) filter (where printed.row_key = 'new_received') as received,
        max(printed.value) filter (where printed.row_key = 'carried_over') as carried_over,
        max(printed.value) filter (where printed.row_key = 'granted') as granted,
        max(printed.value) filter (where printed.row_key = 'partially_granted')
            as partially_granted,
        case
            when count(printed.value) filter (where printed.row_key like 'denied%')
                = summed_cells.denied_cells
                then sum(printed.value) filter (where printed.row_key like 'denied%')
        end as denied,
        case
            when count(printed.value) filter (where printed.row_key like 'unable%')
                = summed_cells.unable_cells
                then sum(printed.value) filter (where printed.row_key like 'unable%')
        end as unable,
        case
            when count(printed.value) filter (where printed.row_key like 'rejected%')
                = summed_cells.rejected_cells
                then sum(printed.value) filter (where printed.row_key like 'rejected%')
        end as rejected,
        case
            when count(printed.value) filter (where printed.row_key like 'other%')
                = summed_cells.other_cells
                then sum(printed.value) filter (where printed.row_key like 'other%')
        end as other_handling,
        max(printed.value) filter (where printed.row_key = 'total_processed') as total_processed,
        max(printed.value) filter (where printed.row_key = 'carried_forward') as carried_forward
    from report_templates
    join summed_cells
        on summed_cells.template_version = report_templates.applications_version
    left join printed
        on printed.report_id = report_templates.report_id
        and printed.section = 'applications'
    group by
        report_templates.report_id,
        summed_cells.denied_cells,
        summed_cells.unable_cells,
        summed_cells.rejected_cells,
        summed_cells.other_cells
),
appeals as (
    select
        report_id,
        max(value) filter (where row_key = 'review' and column_key = 'total') as reconsiderations,
        case
            when count(value) filter (where row_key like 'litigation%' and column_key = 'total') = 2
                then sum(value) filter (where row_key like 'litigation%' and column_key = 'total')
        end as lawsuits,
        case
            when count(value) filter (where column_key = 'corrected') = 3
                then sum(value) filter (where column_key = 'corrected')
        end as corrected,
        case
            when count(value) filter (where column_key in ('total', 'pending')) = 6
                then sum(value) filter (where column_key = 'total')
                    - sum(value) filter (where column_key = 'pending')
        end as concluded
    from printed
    where section = 'appeals'
    group by report_id
)
select
    reports.report_id,
    reports.source_path,
    reports.agency,
    reports.year,
    reports.parse_status,
    applications.received,
    applications.carried_over,
    applications.granted,
    applications.partially_granted,
    applications.denied,
    applications.unable,
    applications.rejected,
    applications.other_handling,
    applications.total_processed,
    applications.carried_forward,
    appeals.reconsiderations,
    appeals.lawsuits,
    appeals.corrected,
    appeals.concluded,
    case
        when appeals.concluded > 0
            then round(cast(appeals.corrected as double) / cast(appeals.concluded as double), 4)
    end as correction_rate
from reports
join applications
    on applications.report_id = reports.report_id
left join appeals
    on appeals.report_id = reports.report_id;
