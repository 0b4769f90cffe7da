-- Numbers the section-一 text states about the report itself (e.g. 收到政府信息公开申请5件).
create table if not exists narrative_numbers (
    report_id varchar not null,
    narrative_key varchar not null,
    value decimal(38, 6) not null,
    raw_text varchar not null,
    source_line integer
);
