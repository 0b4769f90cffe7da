-- Every printed agency name with the year of each of its reports (input of agency linking).
select
    agency,
    year
from reports
where agency is not null
    and trim(agency) <> ''
order by agency, year;
