-- The headline figures of each report (总计 column of table 三, totals of table 四): how many
-- applications it received and carried over, how it handled them, how many reconsiderations
-- (行政复议) and lawsuits (行政诉讼) it faced, and its correction rate (纠错率: cases whose
-- outcome was corrected, 结果纠正, of the cases concluded, 总计 − 尚未审结, over review and both
-- kinds of litigation). A figure summing several cells is NULL when any of them is (as in the
-- checks): denied = the eight 不予公开 rows, unable = the three 无法提供 rows, rejected = the
-- five 不予处理 rows, other = （六）其他处理 (one row in 2019, three in 2021).
create or replace view report_headlines as
with applications as (
    select
        report_id,
        max(value) filter (where row_key = 'new_received') as received,
        max(value) filter (where row_key = 'carried_over') as carried_over,
        max(value) filter (where row_key = 'granted') as granted,
        max(value) filter (where row_key = 'partially_granted') as partially_granted,
        case
            when count(value) filter (where row_key like 'denied%')
                = count(*) filter (where row_key like 'denied%')
                then sum(value) filter (where row_key like 'denied%')
        end as denied,
        case
            when count(value) filter (where row_key like 'unable%')
                = count(*) filter (where row_key like 'unable%')
                then sum(value) filter (where row_key like 'unable%')
        end as unable,
        case
            when count(value) filter (where row_key like 'rejected%')
                = count(*) filter (where row_key like 'rejected%')
                then sum(value) filter (where row_key like 'rejected%')
        end as rejected,
        case
            when count(value) filter (where row_key like 'other%')
                = count(*) filter (where row_key like 'other%')
                then sum(value) filter (where row_key like 'other%')
        end as other_handling,
        max(value) filter (where row_key = 'total_processed') as total_processed,
        max(value) filter (where row_key = 'carried_forward') as carried_forward
    from expected_cells
    where section = 'applications'
        and column_key = 'total'
    group by report_id
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
    from expected_cells
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
