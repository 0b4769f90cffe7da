-- Table 三 as printed: one row per report and row, the seven applicant columns side by side
-- (NULL: blank, placeholder or not read). The question it answers: "show me table 三 of these
-- reports" — e.g. every report's 予以公开 row: where row_key = 'granted'.
create or replace view applications_wide as
select
    report_id,
    agency,
    year,
    template_version,
    row_key,
    row_label_zh,
    row_parent_label_zh,
    row_order,
    max(value) filter (where applicant_type = 'natural_person') as natural_person,
    max(value) filter (where applicant_type = 'commercial_enterprise') as commercial_enterprise,
    max(value) filter (where applicant_type = 'research_institution') as research_institution,
    max(value) filter (where applicant_type = 'social_organization') as social_organization,
    max(value) filter (where applicant_type = 'legal_service_agency') as legal_service_agency,
    max(value) filter (where applicant_type = 'other_org') as other_org,
    max(value) filter (where applicant_type = 'total') as total
from fact_applications
group by
    report_id,
    agency,
    year,
    template_version,
    row_key,
    row_label_zh,
    row_parent_label_zh,
    row_order;
